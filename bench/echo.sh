#!/usr/bin/env bash
# The echo server's throughput, CPU per message and latency against the C reference: one command per figure
# of bench/README.md.
#
#   bench/echo.sh raw        closed loop, raw framing:   -c 100 -s 64 -d 4   (server CPU per message vs ref; ref-uring too)
#   bench/echo.sh line       closed loop, line framing:  -c 100 -s 64 -d 4   (each message ends in \n), epoll and io_uring
#   bench/echo.sh fixed      closed loop, fixed:64 framing
#   bench/echo.sh open       open loop: -r 50000 -c 1000 -s 64               (p99, p99.9 vs ref)
#   bench/echo.sh udp        UDP: -u -c 10 -s 64 -d 8                        (datagrams/s vs ref-udp)
#   bench/echo.sh reuseport  UDP on both cores: inetkit with 1 and 2 I/O threads (SO_REUSEPORT), 2 client threads
#   bench/echo.sh transports raw closed loop: inetkit on epoll and on io_uring, plain Netty, and the C io_uring server
#   bench/echo.sh gc         open loop: inetkit under several collectors
#
# Options: --rounds N (5), -T SECONDS (10), any other option goes to the harness (e.g. -w 3).
# With ../shared/bench (the team's harness: C reference servers and load generator, server pinned to
# cpu0, load generator to cpu1), every figure is a ratio to the C reference measured in the same run
# (rounds interleaved A B A B, medians). Without it, the script runs `inetkit load` against inetkit alone
# (absolute figures only, no reference).
# Environment: SERVER_JAVA_OPTS (JVM options of the inetkit server; default below), RESULTS (bench/results).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
harness="$root/../shared/bench/run_echo_bench.sh"
scenario=${1:-}
[[ -n $scenario ]] || { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
shift
rounds=5 T=10 extra=()
while [[ $# -gt 0 ]]; do
    case $1 in
    --rounds) rounds=$2; shift 2 ;;
    -T) T=$2; shift 2 ;;
    *) extra+=("$1"); shift ;;
    esac
done
# The JVM options measured best here (bench/README.md): Netty's sampling leak detector off (it records a
# stack trace for one buffer in 128).
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:--Dio.netty.leakDetection.level=disabled}
export RESULTS=${RESULTS:-$root/bench/results}
mkdir -p "$RESULTS"

echo "# building the server" >&2
(cd "$root" && ./mvnw -B -q -DskipTests -pl server -am package >&2)
jar="$root/server/target/inetkit-server.jar"
# the limits sized for a benchmark: the defaults (10,000 connections, 1,000 per address, 1,000 datagrams/s
# per source) would refuse the load generator
limits="--log-level warn --max-connections 100000 --max-connections-per-ip 100000 --udp-rate-per-source 0 --admin off"
server() { # NAME LISTENER [inetkit options] -> a harness spec
    local name=$1 listener=$2
    shift 2
    echo "$name=cmd:java $SERVER_JAVA_OPTS -jar $jar server $listener --io-threads 1 $limits $*"
}

if [[ ! -x $harness ]]; then
    # no team harness: inetkit load against inetkit, same scenarios, no reference
    echo "# ../shared/bench not found: measuring with inetkit load, without the C reference" >&2
    (cd "$root" && ./mvnw -B -q -DskipTests -pl client -am package >&2) ||
        { echo "echo.sh: neither ../shared/bench nor the client module (inetkit load) is available" >&2; exit 1; }
    client="$root/client/target/inetkit-client.jar"
    port=19950
    case $scenario in
    raw) srv=(--tcp $port); load=(-c 100 -s 64 -P 4) ;;
    line) srv=(--tcp $port:line); load=(-c 100 -s 63 -P 4 --framing line) ;;
    fixed) srv=(--tcp $port:fixed:64); load=(-c 100 -s 64 -P 4 --framing fixed:64) ;;
    open) srv=(--tcp $port); load=(-c 1000 -s 64 -r 50000) ;;
    udp | reuseport) srv=(--udp $port); load=(--udp -c 10 -s 64 -P 8) ;;
    *) echo "echo.sh: scenario $scenario needs ../shared/bench" >&2; exit 2 ;;
    esac
    for ((r = 1; r <= rounds; r++)); do
        # shellcheck disable=SC2086
        taskset -c 0 java $SERVER_JAVA_OPTS -jar "$jar" server "${srv[@]}" --io-threads 1 $limits &
        spid=$!
        sleep 3
        timeout $((T + 60)) taskset -c 1 java -jar "$client" load 127.0.0.1 $port "${load[@]}" -T "${T}s" -w 3s -t 1 \
            --json "$RESULTS/inetkit-load-$scenario-$r.json" || true
        kill -TERM "$spid"; wait "$spid" 2>/dev/null || true
    done
    exit 0
fi

closed=(-c 100 -s 64 -d 4 -T "$T" --rounds "$rounds")
# the harness's io_uring C server (multishot receive into a buffer ring, one system call per loop): what a
# server can reach on this kernel; the harness builds it only where liburing is installed
uring=()
"$harness" list 2>/dev/null | grep -q '^ref-uring ' && uring=(ref-uring)
case $scenario in
raw)
    exec "$harness" compare "${closed[@]}" "${extra[@]}" "${uring[@]}" "$(server inetkit "--tcp {PORT}")" netty-epoll ;;
line)
    # loadgen's messages end in \n (its last byte) and hold no other \n: line frames, 63 bytes + \n
    exec "$harness" compare "${closed[@]}" "${extra[@]}" "${uring[@]}" "$(server inetkit-line "--tcp {PORT}:line")" \
        "$(server inetkit-raw "--tcp {PORT}")" \
        "$(server inetkit-line-io_uring "--tcp {PORT}:line" --transport io_uring)" ;;
fixed)
    exec "$harness" compare "${closed[@]}" "${extra[@]}" "$(server inetkit-fixed64 "--tcp {PORT}:fixed:64")" ;;
open)
    exec "$harness" compare -r 50000 -c 1000 -s 64 -T "$T" --rounds "$rounds" "${extra[@]}" \
        "$(server inetkit "--tcp {PORT}")" netty-epoll ;;
udp)
    exec "$harness" compare -u -c 10 -s 64 -d 8 -T "$T" --rounds "$rounds" "${extra[@]}" \
        "$(server inetkit "--udp {PORT}")" ;;
reuseport)
    # both sides on both cores: the 2 I/O threads' sockets share the port, the kernel spreads the client's
    # 16 sockets (source ports) over them
    export SERVER_CPU=0,1 LOADGEN_CPU=0,1
    exec "$harness" compare -u -c 16 -s 64 -d 8 -t 2 -T "$T" --rounds "$rounds" "${extra[@]}" \
        "$(server inetkit-1-thread "--udp {PORT}")" \
        "inetkit-2-threads=cmd:java $SERVER_JAVA_OPTS -jar $jar server --udp {PORT} --io-threads 2 $limits" ;;
transports)
    exec "$harness" compare "${closed[@]}" "${extra[@]}" "${uring[@]}" "$(server inetkit-epoll "--tcp {PORT}" --transport epoll)" \
        "$(server inetkit-io_uring "--tcp {PORT}" --transport io_uring)" netty-epoll ;;
gc)
    gcs=("serial=" "parallel=-XX:+UseParallelGC" "g1=-XX:+UseG1GC" "zgc=-XX:+UseZGC" "serial-pretouch=-Xms256m -Xmx256m -XX:+AlwaysPreTouch")
    specs=()
    for g in "${gcs[@]}"; do
        name=${g%%=*} opts=${g#*=}
        specs+=("inetkit-$name=cmd:java $SERVER_JAVA_OPTS $opts -jar $jar server --tcp {PORT} --io-threads 1 $limits")
    done
    exec "$harness" compare -r 50000 -c 1000 -s 64 -T "$T" --rounds "$rounds" "${extra[@]}" "${specs[@]}" ;;
*)
    echo "echo.sh: unknown scenario '$scenario' (raw, line, fixed, open, udp, reuseport, transports, gc)" >&2
    exit 2 ;;
esac
