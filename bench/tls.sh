#!/usr/bin/env bash
# TLS echo (issue 17): inetkit's TLS listener, OpenSSL and JDK providers, against stunnel (Debian's stunnel4) in
# front of the C reference echo server, in one run, as ratios (inetkit / stunnel+ref).
#
#   bench/tls.sh [--rounds N] [-T SECONDS] [--kinds K,K...] [--hs-quota PCT] [--ref BINARY | --ref-src ref_echo.c]
#
#   bulk64    inetkit load --tls -c 100 -s 64 -P 4 (closed loop): msgs/s, and server CPU per message
#   bulk16k   inetkit load --tls -c 100 -s 16384 -P 4: msgs/s, MiB/s, server CPU per message
#   hs-full   inetkit load --tls -c 50 --reconnect (a new connection and a full handshake per message): handshakes/s
#   hs-resume the same with --tls-resume (session tickets / IDs): resumed handshakes/s
#
# Targets, each pinned to cpu0 (stunnel and ref together): stunnel -> ref (raw echo), inetkit server
# --tcp PORT:tls --tls-provider openssl, and the same with --tls-provider jdk; all serve the same P-256 certificate
# (made here with openssl). The load generator (inetkit load, OpenSSL provider, one thread) runs on cpu1, so a
# target faster than the generator shows as a tie: read the server CPU per message (srv_us/msg) too.
# Handshakes cost the TLS client about as much as the server, so on a 2-core machine every generator (inetkit
# load, openssl s_time) runs out of its core before the targets do. The handshake kinds therefore give every
# target the same CPU budget, --hs-quota PCT of a core (default 20; 0 for none), through its own cgroup
# (cpu.max, or cpu.cfs_quota_us on cgroup v1; needs root): each target is then the limit of its own rate, and
# the handshakes/s compare what the servers do with equal CPU. stunnel and ref share one budget, as they
# share cpu0 in the bulk kinds.
# Rounds are interleaved (the target order rotates every round) and the medians printed. Loopback only.
# Results land in bench/results/tls-* (not committed). Environment: SERVER_JAVA_OPTS, RESULTS, NO_BUILD=1.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=3 T=5 ref="" ref_src="" kinds="bulk64,bulk16k,hs-full,hs-resume" hs_quota=20
while [[ $# -gt 0 ]]; do
    case $1 in
    --rounds) rounds=$2; shift 2 ;;
    -T) T=$2; shift 2 ;;
    --ref) ref=$2; shift 2 ;;
    --ref-src) ref_src=$2; shift 2 ;;
    --kinds) kinds=$2; shift 2 ;;
    --hs-quota) hs_quota=$2; shift 2 ;;
    -h | --help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "tls.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
command -v stunnel4 >/dev/null || command -v stunnel >/dev/null || { echo "tls.sh: stunnel is not installed (apt-get install stunnel4)" >&2; exit 2; }
STUNNEL=$(command -v stunnel4 || command -v stunnel)
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:--Dio.netty.leakDetection.level=disabled}
RESULTS=${RESULTS:-$root/bench/results}
mkdir -p "$RESULTS"
work="$RESULTS/tls-work"
rm -rf "$work" && mkdir -p "$work"

if [[ -z $ref ]]; then
    [[ -n $ref_src ]] || { echo "tls.sh: give --ref BINARY (the harness's ref_echo) or --ref-src ref_echo.c" >&2; exit 2; }
    cc -O2 -o "$work/ref_echo" "$ref_src"
    ref="$work/ref_echo"
fi
if [[ ${NO_BUILD:-} != 1 ]]; then
    echo "# building the server and the load generator" >&2
    (cd "$root" && ./mvnw -B -q -DskipTests -pl server,client -am package >&2)
fi
server_jar="$root/server/target/inetkit-server.jar"
client_jar="$root/client/target/inetkit-client.jar"

# one certificate for every target: EC P-256, signed by a throwaway CA
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=bench CA" \
    -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
    -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$work/san.ext"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 2 \
    -extfile "$work/san.ext" -out "$work/server.pem" 2>/dev/null

ref_port=19980 stunnel_port=19981 openssl_port=19982 jdk_port=19983
cat >"$work/stunnel.conf" <<CONF
foreground = yes
pid =
output = $work/stunnel.log
debug = 3
[echo]
accept = 127.0.0.1:$stunnel_port
connect = 127.0.0.1:$ref_port
cert = $work/server.pem
key = $work/server.key
sslVersionMin = TLSv1.2
CONF

pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
taskset -c 0 "$ref" tcp $ref_port >/dev/null 2>&1 &
pids+=($!); ref_pid=$!
taskset -c 0 "$STUNNEL" "$work/stunnel.conf" >/dev/null 2>&1 &
pids+=($!); stunnel_pid=$!
limits="--log-level warn --max-connections 100000 --max-connections-per-ip 100000 --admin off --idle-timeout 0"
for provider in openssl jdk; do
    port=$openssl_port
    [[ $provider == jdk ]] && port=$jdk_port
    # shellcheck disable=SC2086
    taskset -c 0 java $SERVER_JAVA_OPTS -jar "$server_jar" server --tcp $port:tls --tls-cert "$work/server.pem" \
        --tls-key "$work/server.key" --tls-provider $provider --io-threads 1 $limits &
    pids+=($!)
    [[ $provider == openssl ]] && openssl_pid=$! || jdk_pid=$!
done
# one cgroup per target, for --hs-quota; "max" (no limit) except during the handshake kinds
cg_root="" cg_v=0
if [[ $hs_quota != 0 ]]; then
    if [[ -f /sys/fs/cgroup/cgroup.controllers ]] && grep -qw cpu /sys/fs/cgroup/cgroup.controllers; then
        cg_root=/sys/fs/cgroup cg_v=2
        echo "+cpu" >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || true
    elif [[ -d /sys/fs/cgroup/cpu ]]; then
        cg_root=/sys/fs/cgroup/cpu cg_v=1
    fi
    for t in stunnel openssl jdk; do
        if [[ -z $cg_root ]] || ! mkdir -p "$cg_root/inetkit-tls-$t" 2>/dev/null; then
            echo "tls.sh: no cgroup cpu controller to write to (root, cgroup v1 or v2): --hs-quota 0 it is" >&2
            hs_quota=0 cg_root=""
            break
        fi
    done
fi
quota() { # TARGET PCT|max
    [[ -n $cg_root ]] || return 0
    local d="$cg_root/inetkit-tls-$1"
    if [[ $cg_v == 2 ]]; then
        [[ $2 == max ]] && echo "max 100000" >"$d/cpu.max" || echo "$(($2 * 1000)) 100000" >"$d/cpu.max"
    else
        echo 100000 >"$d/cpu.cfs_period_us"
        [[ $2 == max ]] && echo -1 >"$d/cpu.cfs_quota_us" || echo $(($2 * 1000)) >"$d/cpu.cfs_quota_us"
    fi
}
if [[ -n $cg_root ]]; then
    for p in $ref_pid $stunnel_pid; do echo "$p" >"$cg_root/inetkit-tls-stunnel/cgroup.procs"; done
    echo "$openssl_pid" >"$cg_root/inetkit-tls-openssl/cgroup.procs"
    echo "$jdk_pid" >"$cg_root/inetkit-tls-jdk/cgroup.procs"
    cleanup() {
        for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
        wait 2>/dev/null || true
        for t in stunnel openssl jdk; do rmdir "$cg_root/inetkit-tls-$t" 2>/dev/null || true; done
    }
fi
for port in $stunnel_port $openssl_port $jdk_port; do
    for _ in $(seq 100); do
        (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break
        sleep 0.2
    done
done

cpu() { # PID... -> clock ticks of user + system time so far
    local t=0 p
    for p in "$@"; do
        t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat")))
    done
    echo $t
}

run() { # TARGET KIND ROUND [load options] -> $RESULTS/tls-TARGET-KIND-ROUND.{out,err,cpu}
    local target=$1 kind=$2 round=$3 port
    shift 3
    local procs
    case $target in
    stunnel) port=$stunnel_port procs="$stunnel_pid $ref_pid" ;;
    openssl) port=$openssl_port procs=$openssl_pid ;;
    jdk) port=$jdk_port procs=$jdk_pid ;;
    esac
    local before after
    # shellcheck disable=SC2086
    before=$(cpu $procs)
    timeout 180 taskset -c 1 java -jar "$client_jar" load --tls --cacert "$work/ca.pem" --tls-provider openssl \
        localhost "$port" -t 1 -q "$@" --json "$RESULTS/tls-$target-$kind-$round.json" \
        >"$RESULTS/tls-$target-$kind-$round.out" 2>"$RESULTS/tls-$target-$kind-$round.err" || true
    # shellcheck disable=SC2086
    after=$(cpu $procs)
    echo $((after - before)) >"$RESULTS/tls-$target-$kind-$round.cpu"
}

targets=(stunnel openssl jdk)
want() { [[ ",$kinds," == *",$1,"* ]]; }
# Round 0 warms every target up and is not counted: a JVM's first seconds go to the JIT (a profile of a cold
# 6-second handshake run put half of the server's CPU in C2), which would charge inetkit for compiling, not for
# serving. The server CPU per operation below is counted from round 1 on.
for t in "${targets[@]}"; do
    run "$t" bulk64 0 -c 100 -s 64 -P 4 -T 3s -w 1s
    run "$t" hs-full 0 -c 50 --reconnect -T 3s -w 1s
done
echo "# warm-up round done" >&2
for ((r = 1; r <= rounds; r++)); do
    order=("${targets[@]:$((r % 3))}" "${targets[@]:0:$((r % 3))}")
    for t in "${order[@]}"; do
        # Each run is a new generator JVM: the handshake runs warm it up for 4 s, since its JIT (the TLS
        # client's Java side) would otherwise make the generator, not the target, the limit of the first seconds.
        if want bulk64; then run "$t" bulk64 "$r" -c 100 -s 64 -P 4 -T "${T}s" -w 2s; fi
        if want bulk16k; then run "$t" bulk16k "$r" -c 100 -s 16384 -P 4 -T "${T}s" -w 2s; fi
        [[ $hs_quota == 0 ]] || quota "$t" "$hs_quota"
        if want hs-full; then run "$t" hs-full "$r" -c 50 --reconnect -T "${T}s" -w 4s; fi
        if want hs-resume; then run "$t" hs-resume "$r" -c 50 --reconnect --tls-resume -T "${T}s" -w 4s; fi
        [[ $hs_quota == 0 ]] || quota "$t" max
    done
    echo "# round $r/$rounds done (order ${order[*]})" >&2
done

python3 - "$RESULTS" "$rounds" "$(getconf CLK_TCK)" "$kinds" "${hs_quota}% of a core" <<'PY'
import json, statistics, sys
results, rounds, hz, kinds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4].split(",")
def load(t, k, r):
    try:
        j = json.load(open(f"{results}/tls-{t}-{k}-{r}.json"))
    except (OSError, ValueError):
        return None
    cpu = int(open(f"{results}/tls-{t}-{k}-{r}.cpu").read()) / hz
    secs = j["duration_s"] + j.get("warmup_s", 0) if "duration_s" in j else None
    return j, cpu
def med(xs):
    xs = [x for x in xs if x == x]
    return statistics.median(xs) if xs else float("nan")
def figure(t, k):
    rate, per = [], []
    for r in range(1, rounds + 1):
        got = load(t, k, r)
        if got is None:
            rate.append(float("nan")); per.append(float("nan")); continue
        j, cpu = got
        errors = sum(j["errors"].values()) if isinstance(j.get("errors"), dict) else 0
        if k.startswith("hs"):
            v = j["handshake"]["per_second"]
            n = j["handshake"]["count"]
        else:
            v = j["throughput"]["msgs_per_s"] if isinstance(j.get("throughput"), dict) else j.get("msgs_per_s")
            n = j["messages"]
        rate.append(v if errors == 0 else float("nan"))
        per.append(cpu * 1e6 / n if n else float("nan"))
    return med(rate), med(per), rate
unit = {"bulk64": "msgs/s", "bulk16k": "msgs/s", "hs-full": "handshakes/s", "hs-resume": "handshakes/s"}
print(f"TLS echo, {rounds} interleaved rounds, medians; server pinned to cpu0, inetkit load (openssl) on cpu1")
if any(k.startswith("hs") for k in kinds):
    print(f"handshake kinds: every target limited to the same CPU budget ({sys.argv[5]}; 0: none)")
print(f"{'kind':10s} {'target':8s} {'rate':>12s} {'unit':13s} {'srv_us/op':>10s} {'x stunnel':>10s}   rounds")
for k in kinds:
    base = figure("stunnel", k)[0]
    for t in ("stunnel", "openssl", "jdk"):
        v, per, rs = figure(t, k)
        print(f"{k:10s} {t:8s} {v:12.0f} {unit[k]:13s} {per:10.1f} {v / base:10.2f}   {[round(x) for x in rs]}")
PY
