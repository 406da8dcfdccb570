#!/usr/bin/env bash
# load-bench.sh - the benchmarks of inetkit load (loopback only, every run bounded in time).
#
#   load-bench.sh closed   [ROUNDS]  inetkit load vs the C loadgen, closed loop -c 100 -s 64 -d 4, both on
#                                    cpu1 against the C reference server (ref_echo) on cpu0, A B A B rounds
#   load-bench.sh open     [ROUNDS]  the same at 10,000 msgs/s open loop: p50 / p99 of both
#   load-bench.sh conns    [N]       N (default 19000) connections against inetkit server (cpu0), inetkit
#                                    load on cpu1; server RSS before and during, per connection
#   load-bench.sh all                closed, open and conns
#
# Needs: gcc, taskset, python3, a JDK; the jars built first:
#   ./mvnw -B -q -o -pl server,client -am package -DskipTests
# Environment: BENCH_SRC (../shared/bench beside the repository: loadgen.c, ref_echo.c), JAVA (java),
#   LOAD_JAVA_OPTS (JVM options of inetkit load, e.g. -XX:TieredStopAtLevel=1),
#   T (5 s measured), W (3 s warmup), SERVER_CPU (0), LOADGEN_CPU (1), PORT (19300), OUT (client/target/bench)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BENCH_SRC=${BENCH_SRC:-$ROOT/../shared/bench}
JAVA=${JAVA:-java}
read -r -a LOAD_JAVA_OPTS <<< "${LOAD_JAVA_OPTS:-}"
T=${T:-5}
W=${W:-3}
SERVER_CPU=${SERVER_CPU:-0}
LOADGEN_CPU=${LOADGEN_CPU:-1}
PORT=${PORT:-19300}
OUT=${OUT:-$ROOT/client/target/bench}
CLIENT_JAR=$ROOT/client/target/inetkit-client.jar
SERVER_JAR=$ROOT/server/target/inetkit-server.jar

die() { echo "load-bench: $*" >&2; exit 2; }
log() { echo "# $*" >&2; }

mkdir -p "$OUT"
[[ -f $CLIENT_JAR ]] || die "$CLIENT_JAR missing: ./mvnw -B -q -o -pl server,client -am package -DskipTests"
command -v python3 >/dev/null || die "python3 is needed to read the JSON reports"

build_c() {
    [[ -f $BENCH_SRC/loadgen.c ]] || die "no loadgen.c in $BENCH_SRC (set BENCH_SRC)"
    if [[ ! -x $OUT/loadgen || $BENCH_SRC/loadgen.c -nt $OUT/loadgen ]]; then
        gcc -O2 -Wall -pthread -o "$OUT/loadgen" "$BENCH_SRC/loadgen.c" -lm
    fi
    if [[ ! -x $OUT/ref_echo || $BENCH_SRC/ref_echo.c -nt $OUT/ref_echo ]]; then
        gcc -O2 -Wall -o "$OUT/ref_echo" "$BENCH_SRC/ref_echo.c"
    fi
}

SRV_PID=""
stop_server() {
    if [[ -n $SRV_PID ]] && kill -0 "$SRV_PID" 2>/dev/null; then
        kill -TERM "$SRV_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$SRV_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SRV_PID" 2>/dev/null || true
        wait "$SRV_PID" 2>/dev/null || true
    fi
    SRV_PID=""
}
trap stop_server EXIT
trap 'exit 130' INT TERM

wait_listening() { # port
    for _ in $(seq 1 200); do
        if [[ -n $(ss -Hltn "sport = :$1" 2>/dev/null) ]]; then return 0; fi
        kill -0 "$SRV_PID" 2>/dev/null || die "server exited; see $OUT/server.log"
        sleep 0.1
    done
    die "server not listening on $1"
}

start_ref() {
    taskset -c "$SERVER_CPU" "$OUT/ref_echo" tcp "$PORT" >"$OUT/server.log" 2>&1 &
    SRV_PID=$!
    wait_listening "$PORT"
}

# one C loadgen run -> "msgs_per_s p50_us p99_us errors mismatches cpu_pct"
c_run() {
    local line
    line=$(timeout $((T + W + 30)) taskset -c "$LOADGEN_CPU" "$OUT/loadgen" "$@" -T "$T" -w "$W" "127.0.0.1:$PORT")
    echo "$line" >>"$OUT/raw.txt"
    python3 -c 'import sys; kv=dict(p.split("=",1) for p in sys.argv[1].split()); print(kv["msgs_per_s"], kv["p50_us"], kv["p99_us"], kv["errors"], kv["mismatches"], kv["lg_cpu_pct"])' "$line"
}

# one inetkit load run -> "msgs_per_s p50_us p99_us errors mismatches cpu_pct"
j_run() {
    local json=$OUT/inetkit-$RANDOM.json
    timeout $((T + W + 60)) taskset -c "$LOADGEN_CPU" "$JAVA" ${LOAD_JAVA_OPTS[@]+"${LOAD_JAVA_OPTS[@]}"} -jar "$CLIENT_JAR" load 127.0.0.1 "$PORT" "$@" \
        -T "$T" -w "$W" -t 1 -q --json "$json" >>"$OUT/raw.txt" 2>&1 || true
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); e=r["errors"]; print(round(r["msgs_per_s"]), r["latency_us"]["p50"], r["latency_us"]["p99"], sum(v for k,v in e.items() if k!="mismatch"), e["mismatch"], round(r.get("cpu_pct", -1)))' "$json"
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

compare() { # label rounds args-for-C -- args-for-inetkit
    local label=$1 rounds=$2; shift 2
    local cargs=() jargs=()
    while [[ $1 != -- ]]; do cargs+=("$1"); shift; done
    shift
    jargs=("$@")
    : >"$OUT/$label.txt"
    build_c
    start_ref
    log "$label: $rounds rounds of C loadgen ${cargs[*]} vs inetkit load ${jargs[*]}, T=$T W=$W, server ref_echo cpu$SERVER_CPU, load generators cpu$LOADGEN_CPU"
    for r in $(seq 1 "$rounds"); do
        echo "c $(c_run "${cargs[@]}")" | tee -a "$OUT/$label.txt" >&2
        echo "j $(j_run "${jargs[@]}")" | tee -a "$OUT/$label.txt" >&2
    done
    stop_server
    local cm jm c50 j50 c99 j99
    cm=$(awk '$1=="c"{print $2}' "$OUT/$label.txt" | median); jm=$(awk '$1=="j"{print $2}' "$OUT/$label.txt" | median)
    c50=$(awk '$1=="c"{print $3}' "$OUT/$label.txt" | median); j50=$(awk '$1=="j"{print $3}' "$OUT/$label.txt" | median)
    c99=$(awk '$1=="c"{print $4}' "$OUT/$label.txt" | median); j99=$(awk '$1=="j"{print $4}' "$OUT/$label.txt" | median)
    local ratios cns jns ccpu jcpu
    ratios=$(awk '$1=="c"{c=$2} $1=="j"{if (c>0) print $2/c}' "$OUT/$label.txt" | median)
    # CPU per message of the generator itself (cpu share / msgs/s): what a busy machine disturbs least
    cns=$(awk '$1=="c" && $2>0 {print $7/100*1e9/$2}' "$OUT/$label.txt" | median)
    jns=$(awk '$1=="j" && $2>0 {print $7/100*1e9/$2}' "$OUT/$label.txt" | median)
    ccpu=$(awk '$1=="c"{print $7}' "$OUT/$label.txt" | median); jcpu=$(awk '$1=="j"{print $7}' "$OUT/$label.txt" | median)
    printf '%-8s %-14s %12s %10s %10s %8s %10s\n' "$label" generator "msgs/s" "p50_us" "p99_us" "cpu%" "cpu_ns/msg"
    printf '%-8s %-14s %12.0f %10.1f %10.1f %8.0f %10.0f\n' "$label" "C loadgen" "$cm" "$c50" "$c99" "$ccpu" "$cns"
    printf '%-8s %-14s %12.0f %10.1f %10.1f %8.0f %10.0f\n' "$label" "inetkit load" "$jm" "$j50" "$j99" "$jcpu" "$jns"
    awk -v a="$jm" -v b="$cm" -v c="$j50" -v d="$c50" -v e="$j99" -v f="$c99" -v r="$ratios" 'BEGIN {
        printf "%-8s ratio inetkit/C: msgs/s %.3f (median of per-round ratios %.3f), p50 %.3f, p99 %.3f\n", "'"$label"'", a/b, r, c/d, e/f }'
    awk '$5>0 || $6>0 {bad=1} END {if (bad) print "WARNING: errors or mismatches in some rounds (see raw.txt)"}' "$OUT/$label.txt"
}

rss_kb() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }

conns() {
    local n=${1:-19000}
    [[ -f $SERVER_JAR ]] || die "$SERVER_JAR missing: ./mvnw -B -q -o -pl server -am package -DskipTests"
    taskset -c "$SERVER_CPU" "$JAVA" -jar "$SERVER_JAR" server --tcp "$PORT" --io-threads 1 --admin off \
        --max-connections 100000 --max-connections-per-ip 100000 --idle-timeout 0 >"$OUT/server.log" 2>&1 &
    SRV_PID=$!
    wait_listening "$PORT"
    sleep 1
    local before peak=0 rss json=$OUT/conns.json
    before=$(rss_kb "$SRV_PID")
    log "conns: $n connections, inetkit server (1 io thread) on cpu$SERVER_CPU, RSS before: $before kB"
    # 4 source addresses: 4 x the ephemeral range, so that TIME_WAIT left by an earlier run never runs short;
    # --timeout 30s: this run checks capacity (all up, all echoing, no error), a slow echo is not an error here
    taskset -c "$LOADGEN_CPU" "$JAVA" ${LOAD_JAVA_OPTS[@]+"${LOAD_JAVA_OPTS[@]}"} -jar "$CLIENT_JAR" load 127.0.0.1 "$PORT" -c "$n" -T 10 -w 2 -t 1 --timeout 30s \
        --source-ips 127.0.0.2-127.0.0.5 --json "$json" --html "$OUT/conns.html" >"$OUT/conns.out" 2>"$OUT/conns.err" &
    local lg=$!
    while kill -0 "$lg" 2>/dev/null; do
        rss=$(rss_kb "$SRV_PID"); if ((rss > peak)); then peak=$rss; fi
        sleep 0.5
    done
    wait "$lg" && rc=0 || rc=$?
    stop_server
    cat "$OUT/conns.out"
    grep -E "pre-flight|connected" "$OUT/conns.err" || true
    python3 - "$json" "$before" "$peak" "$n" "$rc" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); before, peak, n, rc = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
errors = sum(r["errors"].values())
print(f"conns: {r['connections']['up']}/{n} up, {r['connections']['echoed']} echoed at least once "
      f"({r['connections']['echoed_in_window']} in the measured window), errors {errors}, "
      f"exit {rc}; {r['msgs_per_s']:.0f} msgs/s; server RSS {before} kB before, {peak} kB peak: "
      f"{(peak - before) * 1024 / n:.0f} bytes per connection")
PY
}

case ${1:-} in
closed) compare closed "${2:-9}" -c 100 -s 64 -d 4 -- -c 100 -s 64 -P 4 ;;
open) compare open "${2:-7}" -c 100 -s 64 -r 10000 -- -c 100 -s 64 -r 10000 ;;
conns) conns "${2:-19000}" ;;
all) compare closed 9 -c 100 -s 64 -d 4 -- -c 100 -s 64 -P 4
     compare open 7 -c 100 -s 64 -r 10000 -- -c 100 -s 64 -r 10000
     conns 19000 ;;
*) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
