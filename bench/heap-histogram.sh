#!/usr/bin/env bash
# Where the bytes of an idle connection go: a fresh echo server (pinned to SERVER_CPU), a class histogram of
# its live heap (`jmap -histo:live`, which runs a full GC first) before any connection and again with N idle
# connections open (`inetkit load` on CLIENT_CPU, one 64-byte message per connection every --period seconds,
# so the connections are idle between), and the difference per class divided by N, largest first. Also the
# native memory (NMT summary) at N when the server runs with -XX:NativeMemoryTracking=summary.
#
#   bench/heap-histogram.sh [-n 19000] [--period 30] [--top 30] [--jar SERVER_JAR] [--nmt]
#
# --jar measures another server jar (e.g. a copy of main's, for a before/after in one run).
# Environment: SERVER_JAVA_OPTS, SERVER_ARGS (e.g. --transport io_uring), SERVER_CPU (0), CLIENT_CPU (1),
#   BASE_PORT (19900), RESULTS (bench/results), SOURCE_IPS (127.0.0.2-127.0.0.5).
# Loopback only; the client is bounded by a duration and a timeout.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N=19000 PERIOD=30 TOP=30 JAR="$root/server/target/inetkit-server.jar" NMT=0
while [[ $# -gt 0 ]]; do
    case $1 in
    -n) N=$2; shift 2 ;;
    --period) PERIOD=$2; shift 2 ;;
    --top) TOP=$2; shift 2 ;;
    --jar) JAR=$2; shift 2 ;;
    --nmt) NMT=1; shift ;;
    -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "heap-histogram: unknown option $1" >&2; exit 2 ;;
    esac
done
SERVER_CPU=${SERVER_CPU:-0} CLIENT_CPU=${CLIENT_CPU:-1} BASE_PORT=${BASE_PORT:-19900}
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:-} SERVER_ARGS=${SERVER_ARGS:-} SOURCE_IPS=${SOURCE_IPS:-127.0.0.2-127.0.0.5}
RESULTS=${RESULTS:-$root/bench/results}
client_jar="$root/client/target/inetkit-client.jar"
[[ -f $JAR && -f $client_jar ]] || { echo "heap-histogram: build first: ./mvnw -B -q -DskipTests -pl server,client -am package" >&2; exit 1; }
((N + 40 <= $(ulimit -Hn))) || { echo "heap-histogram: $N connections need more open files than ulimit -Hn" >&2; exit 2; }
ulimit -n "$(ulimit -Hn)"
out="$RESULTS/$(date +%Y%m%d-%H%M%S)-heap-histogram"
mkdir -p "$out"
((NMT)) && SERVER_JAVA_OPTS="$SERVER_JAVA_OPTS -XX:NativeMemoryTracking=summary"

PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [[ -n $p ]] && kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
free_port() { local p=$1; while ss -Hltun "sport = :$p" | grep -q .; do p=$((p + 1)); done; echo "$p"; }
active() { curl -s --max-time 5 "http://127.0.0.1:$1/metrics" | awk '/^inetkit_connections_active/ {s += $2} END {printf "%d", s}'; }

port=$(free_port "$BASE_PORT"); aport=$(free_port $((port + 1)))
# shellcheck disable=SC2086
taskset -c "$SERVER_CPU" java $SERVER_JAVA_OPTS -jar "$JAR" server --tcp "$port" --io-threads 1 --log-level warn \
    --max-connections 1100000 --max-connections-per-ip 1100000 --admin "127.0.0.1:$aport" $SERVER_ARGS \
    >"$out/server.log" 2>&1 &
spid=$!; PIDS+=("$spid")
for ((i = 0; i < 300; i++)); do
    curl -s --max-time 1 "http://127.0.0.1:$aport/health" >/dev/null 2>&1 && break
    kill -0 "$spid" 2>/dev/null || { echo "heap-histogram: server died:" >&2; tail "$out/server.log" >&2; exit 1; }
    sleep 0.1
done
sleep 2
jmap -histo:live "$spid" >"$out/histo-0.txt"
rss0=$(awk '/^VmRSS/ {print $2}' "/proc/$spid/status")
duration=$((PERIOD * 3))
rate=$(awk -v n="$N" -v p="$PERIOD" 'BEGIN {r = n / p; printf "%d", (r < 1 ? 1 : r)}')
timeout $((duration + 120)) taskset -c "$CLIENT_CPU" java -jar "$client_jar" load 127.0.0.1 "$port" -c "$N" -s 64 \
    --rate "$rate" --duration "${duration}s" --warmup 0s --connect-timeout 60s --timeout 30s -t 1 -q \
    --source-ips "$SOURCE_IPS" >"$out/client.log" 2>&1 &
cpid=$!; PIDS+=("$cpid")
for ((i = 0; i < 1200; i++)); do
    (($(active "$aport") >= N)) && break
    kill -0 "$cpid" 2>/dev/null || { echo "heap-histogram: client ended early:" >&2; tail -5 "$out/client.log" >&2; exit 1; }
    sleep 0.1
done
sleep 5 # every connection has sent its first message and is idle until its next
jmap -histo:live "$spid" >"$out/histo-n.txt"
rssn=$(awk '/^VmRSS/ {print $2}' "/proc/$spid/status")
((NMT)) && jcmd "$spid" VM.native_memory summary >"$out/nmt-n.txt"
open=$(active "$aport")
kill "$cpid" 2>/dev/null || true; wait "$cpid" 2>/dev/null || true
kill -TERM "$spid"; wait "$spid" 2>/dev/null || true

echo "# $JAR $SERVER_ARGS: $open connections open at the second histogram; RSS $((rss0 / 1024)) -> $((rssn / 1024)) MiB; raw: $out"
# per class: (bytes at N - bytes before) / N, and instances per connection
awk -v n="$N" -v top="$TOP" '
    FNR == 1 { f++ }
    $1 ~ /^[0-9]+:$/ { if (f == 1) { b0[$4] = $3; i0[$4] = $2 } else { b1[$4] = $3; i1[$4] = $2 } }
    END {
        for (c in b1) { d = (b1[c] - b0[c]) / n; if (d > 0.5) { printf "%9.1f %7.2f %s\n", d, (i1[c] - i0[c]) / n, c } }
    }' "$out/histo-0.txt" "$out/histo-n.txt" | sort -rn >"$out/per-connection.txt"
printf "%9s %7s %s\n" B/conn obj/conn class
head -"$TOP" "$out/per-connection.txt"
awk '{s += $1} END {printf "%9.1f         total of classes above 0.5 B per connection\n", s}' "$out/per-connection.txt"
((NMT)) && grep -E '^-|^ *Total' "$out/nmt-n.txt" | head -30
exit 0
