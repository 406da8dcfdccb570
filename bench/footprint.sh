#!/usr/bin/env bash
# Per-connection footprint of the echo server: for each N, a fresh server (pinned to SERVER_CPU) gets N
# connections from a load client (pinned to CLIENT_CPU), each echoing one 64-byte message every PERIOD
# seconds for DURATION seconds; the server's RSS, heap (live, after a full GC), direct memory and GC
# pauses are read at N connections, and a least-squares line through the points gives the cost of one
# more connection.
#
#   bench/footprint.sh [-n "5000 10000 19000"] [--period 10] [--duration 60] [--client auto|inetkit|loadgen]
#                      [--source-ips 127.0.0.2-127.0.0.5] [--connect-rate R]
#
# --client inetkit uses `inetkit load` (the client module, built here when missing); loadgen uses the C
# load generator of ../shared/bench (built by its Makefile); auto prefers inetkit load.
# Environment: SERVER_JAVA_OPTS (JVM options of the server, default: none), SERVER_ARGS (more server
#   options, e.g. --transport io_uring), CLIENT_JAVA_OPTS,
#   SERVER_JAR (another server jar to measure, e.g. a copy of main's for a before/after; default: this tree's),
#   SERVER_CPU (0), CLIENT_CPU (1), BASE_PORT (19800), RESULTS (bench/results).
# The server needs an open file per connection: N plus ~40 must stay under `ulimit -Hn`.
# Loopback only; every client run is bounded by --duration and a timeout.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="$root/../shared/bench"
NS="5000 10000 19000" PERIOD=10 DURATION=60 CLIENT=auto SOURCE_IPS="" CONNECT_RATE=0
while [[ $# -gt 0 ]]; do
    case $1 in
    -n) NS=$2; shift 2 ;;
    --period) PERIOD=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --client) CLIENT=$2; shift 2 ;;
    --source-ips) SOURCE_IPS=$2; shift 2 ;;
    --connect-rate) CONNECT_RATE=$2; shift 2 ;;
    -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "footprint: unknown option $1" >&2; exit 2 ;;
    esac
done
SERVER_CPU=${SERVER_CPU:-0} CLIENT_CPU=${CLIENT_CPU:-1} BASE_PORT=${BASE_PORT:-19800}
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:-} SERVER_ARGS=${SERVER_ARGS:-} CLIENT_JAVA_OPTS=${CLIENT_JAVA_OPTS:-}
RESULTS=${RESULTS:-$root/bench/results}
out="$RESULTS/$(date +%Y%m%d-%H%M%S)-footprint"
mkdir -p "$out"

server_jar="${SERVER_JAR:-$root/server/target/inetkit-server.jar}"
client_jar="$root/client/target/inetkit-client.jar"
if [[ $CLIENT == auto ]]; then
    if [[ -d $root/client/src ]]; then CLIENT=inetkit; else CLIENT=loadgen; fi
fi
modules=server
[[ $CLIENT == inetkit ]] && modules=server,client
echo "# building $modules" >&2
(cd "$root" && ./mvnw -B -q -DskipTests -pl "$modules" -am package >&2)
if [[ $CLIENT == loadgen ]]; then
    make -s -C "$shared" >&2 || { echo "footprint: cannot build $shared (the C load generator)" >&2; exit 1; }
fi

hard=$(ulimit -Hn)
ulimit -n "$hard"
for n in $NS; do
    if ((n + 40 > hard)); then
        echo "footprint: $n connections need more open files than this machine's hard limit ($hard)" >&2
        exit 2
    fi
done

PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [[ -n $p ]] && kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

free_port() { local p=$1; while ss -Hltun "sport = :$p" | grep -q .; do p=$((p + 1)); done; echo "$p"; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
scrape() { curl -s --max-time 5 "http://127.0.0.1:$1/metrics"; }
# sum (or max) of the samples of one metric in a scrape, optionally only those whose labels contain a string;
# pauses of the GCs this script forces (cause "Diagnostic Command") are left out
metric() { awk -v m="$2" -v f="${3:-}" -v op="${4:-sum}" '(index($0, m "{") == 1 || $1 == m) && (f == "" || index($0, f)) \
    && !index($0, "Diagnostic Command") {if (op == "max") {if ($NF > s) s = $NF} else s += $NF} END {printf "%.6f", s}' "$1"; }
heap_after_gc() { # pid -> bytes used in the heap after a full GC
    jcmd "$1" GC.run >/dev/null
    sleep 0.5
    jcmd "$1" GC.heap_info | awk '/total.*used/ && !/Metaspace|class space/ {
        for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i+1); sub(/K,?$/, "", v); s += v}} END {printf "%.0f", s * 1024}'
}

echo "# footprint: N in {$NS}, one 64-byte message per connection every ${PERIOD}s for ${DURATION}s, client=$CLIENT; raw: $out" >&2
printf "%-7s %9s %9s %9s %9s %8s %10s %9s %8s %7s %9s %8s %7s %6s\n" N connect_s conn_per_s rss0_MiB rssN_MiB B_per_conn heapN_B heap_B/c direct_B gc_n gc_sum_ms gc_max_ms msgs errors | tee "$out/table.txt"
port=$BASE_PORT
for n in $NS; do
    port=$(free_port "$port"); aport=$(free_port $((port + 1)))
    slog="$out/server-$n.log"
    # shellcheck disable=SC2086
    taskset -c "$SERVER_CPU" java $SERVER_JAVA_OPTS -jar "$server_jar" server --tcp "$port" --io-threads 1 --log-level warn \
        --max-connections 1100000 --max-connections-per-ip 1100000 --udp-rate-per-source 0 \
        --admin "127.0.0.1:$aport" $SERVER_ARGS >"$slog" 2>&1 &
    spid=$!; PIDS+=("$spid")
    for ((i = 0; i < 300; i++)); do
        curl -s --max-time 1 "http://127.0.0.1:$aport/health" >/dev/null 2>&1 && break
        kill -0 "$spid" 2>/dev/null || { echo "footprint: server died:" >&2; tail "$slog" >&2; exit 1; }
        sleep 0.1
    done
    sleep 2
    heap0=$(heap_after_gc "$spid")
    rss0=$(rss_kib "$spid")
    rate=$(awk -v n="$n" -v p="$PERIOD" 'BEGIN {r = n / p; printf "%d", (r < 1 ? 1 : r)}')
    clog="$out/client-$n.log"
    t0=$(date +%s.%N)
    if [[ $CLIENT == inetkit ]]; then
        args=(load 127.0.0.1 "$port" -c "$n" -s 64 --rate "$rate" --duration "${DURATION}s" --warmup 0s
              --connect-timeout 60s --timeout 30s -t 1 -q --json "$out/client-$n.json")
        [[ -n $SOURCE_IPS ]] && args+=(--source-ips "$SOURCE_IPS")
        [[ $CONNECT_RATE != 0 ]] && args+=(--connect-rate "$CONNECT_RATE")
        # shellcheck disable=SC2086
        timeout $((DURATION + 180)) taskset -c "$CLIENT_CPU" java $CLIENT_JAVA_OPTS -jar "$client_jar" "${args[@]}" >"$clog" 2>&1 &
    else
        [[ -z $SOURCE_IPS ]] || echo "# the C load generator has no source addresses option: --source-ips ignored" >&2
        timeout $((DURATION + 180)) taskset -c "$CLIENT_CPU" "$shared/build/loadgen" -c "$n" -s 64 -r "$rate" -T "$DURATION" -w 0 -C 60 \
            "127.0.0.1:$port" >"$clog" 2>&1 &
    fi
    cpid=$!; PIDS+=("$cpid")
    # connect phase: from the first connection to the last one, as the server counts them
    first="" connected=""
    for ((i = 0; i < 1200; i++)); do
        m=$(scrape "$aport" | awk '/^inetkit_connections_active/ {s += $2} END {printf "%d", s}')
        now=$(date +%s.%N)
        [[ -z $first && $m -gt 0 ]] && first=$now
        if ((m >= n)); then connected=$now; break; fi
        kill -0 "$cpid" 2>/dev/null || break
        sleep 0.1
    done
    if [[ -z $connected ]]; then
        echo "footprint: only $m of $n connections came up; client log:" >&2; tail -5 "$clog" >&2
        kill "$spid" "$cpid" 2>/dev/null || true; wait 2>/dev/null || true
        exit 1
    fi
    connect_s=$(awk -v a="${first:-$t0}" -v b="$connected" 'BEGIN {printf "%.2f", b - a}')
    # the echoes run: read the footprint near the end of the window, while every connection is open
    end=$(awk -v t="$connected" -v d="$DURATION" 'BEGIN {printf "%.1f", t + d - 8}')
    while [[ $(awk -v e="$end" -v now="$(date +%s.%N)" 'BEGIN {print (now < e)}') == 1 ]] && kill -0 "$cpid" 2>/dev/null; do sleep 1; done
    rssn=$(rss_kib "$spid")
    scrape "$aport" >"$out/metrics-$n.txt"
    heapn=$(heap_after_gc "$spid")
    still=$(scrape "$aport" | awk '/^inetkit_connections_active/ {s += $2} END {printf "%d", s}')
    wait "$cpid" || true
    kill -TERM "$spid"; wait "$spid" 2>/dev/null || true
    m="$out/metrics-$n.txt"
    direct=$(metric "$m" jvm_buffer_memory_used_bytes 'id="direct"' | cut -d. -f1)
    gcn=$(metric "$m" jvm_gc_pause_seconds_count | cut -d. -f1)
    gcsum=$(awk -v s="$(metric "$m" jvm_gc_pause_seconds_sum)" 'BEGIN {printf "%.1f", s * 1000}')
    gcmax=$(awk -v s="$(metric "$m" jvm_gc_pause_seconds_max "" max)" 'BEGIN {printf "%.1f", s * 1000}')
    if [[ $CLIENT == inetkit ]]; then
        read -r msgs errors < <(python3 -c 'import json, sys
try:
    r = json.load(open(sys.argv[1])); print(r["messages"], sum(r["errors"].values()))
except Exception:
    print("? ?")' "$out/client-$n.json")
    else
        line=$(tail -1 "$clog")
        msgs=$(sed -n 's/.* msgs=\([0-9]*\).*/\1/p' <<<"$line")
        errors=$(sed -n 's/.* errors=\([0-9]*\).*/\1/p' <<<"$line")
        mism=$(sed -n 's/.* mismatches=\([0-9]*\).*/\1/p' <<<"$line")
        errors=$((${errors:-1} + ${mism:-0}))
    fi
    [[ $still -ge $n ]] || errors="$errors(open:$still)"
    printf "%-7s %9s %9.0f %9.1f %9.1f %8.0f %10s %9.0f %8s %7s %9s %8s %7s %6s\n" "$n" "$connect_s" \
        "$(awk -v n="$n" -v s="$connect_s" 'BEGIN {print (s > 0 ? n / s : 0)}')" \
        "$(awk -v k="$rss0" 'BEGIN {print k / 1024}')" "$(awk -v k="$rssn" 'BEGIN {print k / 1024}')" \
        "$(awk -v a="$rss0" -v b="$rssn" -v n="$n" 'BEGIN {print (b - a) * 1024 / n}')" "$heapn" \
        "$(awk -v a="$heap0" -v b="$heapn" -v n="$n" 'BEGIN {print (b - a) / n}')" "$direct" "$gcn" "$gcsum" "$gcmax" \
        "${msgs:-?}" "$errors" | tee -a "$out/table.txt"
    echo "$n $rss0 $rssn $heap0 $heapn" >>"$out/points.txt"
    port=$((aport + 1))
done
# least squares through (N, RSS) and (N, live heap): the slope is the cost of one more connection
awk '{n[NR] = $1; r[NR] = $3 * 1024; h[NR] = $5}
     function slope(y,   i, sx, sy, sxx, sxy, k) { k = NR; for (i = 1; i <= k; i++) { sx += n[i]; sy += y[i]; sxx += n[i]^2; sxy += n[i] * y[i] }
                                                 return (k * sxy - sx * sy) / (k * sxx - sx^2) }
     function icept(y, s,   i, sx, sy) { for (i = 1; i <= NR; i++) { sx += n[i]; sy += y[i] } return (sy - s * sx) / NR }
     END { if (NR < 2) exit
           rs = slope(r); hs = slope(h)
           printf "fit over N: RSS = %.1f MiB + %.0f B x N   live heap = %.1f MiB + %.0f B x N\n", icept(r, rs) / 1048576, rs, icept(h, hs) / 1048576, hs
           printf "extrapolated to 1,000,000 connections: RSS %.2f GiB, live heap %.2f GiB\n", (icept(r, rs) + rs * 1e6) / 2^30, (icept(h, hs) + hs * 1e6) / 2^30 }' \
    "$out/points.txt" | tee -a "$out/table.txt"
