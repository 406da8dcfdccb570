#!/usr/bin/env bash
# The cost of the PROXY protocol header (issue 19): connect rate and closed-loop msgs/s of one inetkit server
# with and without --tcp PORT:line:proxy, in one run, as ratios (with header / without).
#
#   bench/proxy.sh [--rounds N] [-T SECONDS] [-c CONNECTS] [--version v1|v2]
#
#   connect  inetkit load -c CONNECTS (5000), as fast as it can: "connected N in S s" gives connections/s;
#            with the header, each connection also sends it and the server decodes it and admits its client
#   msgs     inetkit load -c 100 -d 4 -s 63 --framing line -T SECONDS (5) -w 2s: msgs/s; the header is sent
#            once per connection, and its two handlers leave both pipelines, so this should not move
#
# One server process serves both listeners (same JVM, same warm-up), pinned to cpu0; the load generator runs
# on cpu1. Rounds are interleaved (plain, proxy, then proxy, plain in the next round) and the medians printed.
# Everything is on loopback. Results land in bench/results/proxy-* (not committed). Environment:
# SERVER_JAVA_OPTS (default below), RESULTS (bench/results), NO_BUILD=1 to use the jars already built.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=5 T=5 connects=5000 version=v2
while [[ $# -gt 0 ]]; do
    case $1 in
    --rounds) rounds=$2; shift 2 ;;
    -T) T=$2; shift 2 ;;
    -c) connects=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "proxy.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
# each round opens $connects connections to each port, and each leaves a TIME_WAIT behind on the client:
# stay inside the local port range (about 28,000 ports per destination)
if ((connects * rounds > 25000)); then
    echo "proxy.sh: -c $connects x --rounds $rounds connections per port would exhaust the local ports;" \
        "keep the product under 25000" >&2
    exit 2
fi
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:--Dio.netty.leakDetection.level=disabled}
RESULTS=${RESULTS:-$root/bench/results}
mkdir -p "$RESULTS"

if [[ ${NO_BUILD:-} != 1 ]]; then
    echo "# building the server and the load generator" >&2
    (cd "$root" && ./mvnw -B -q -DskipTests -pl server,client -am package >&2)
fi
server_jar="$root/server/target/inetkit-server.jar"
client_jar="$root/client/target/inetkit-client.jar"
plain=19970 proxied=19971
limits="--log-level warn --max-connections 100000 --max-connections-per-ip 100000 --admin off --idle-timeout 0"
# shellcheck disable=SC2086
taskset -c 0 java $SERVER_JAVA_OPTS -jar "$server_jar" server --tcp $plain:line --tcp $proxied:line:proxy \
    --io-threads 1 $limits &
spid=$!
trap 'kill -TERM $spid 2>/dev/null; wait $spid 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    (exec 3<>/dev/tcp/127.0.0.1/$proxied) 2>/dev/null && break
    sleep 0.2
done

load() { # KIND PORT ROUND [load options] -> one measurement, appended to $RESULTS/proxy-KIND-*.txt
    local kind=$1 port=$2 round=$3
    shift 3
    local args=(127.0.0.1 "$port" --framing line -t 1)
    [[ $port == "$proxied" ]] && args+=(--proxy-protocol "$version" --proxy-sources 10.0.0.0/16)
    timeout 120 taskset -c 1 java -jar "$client_jar" load "${args[@]}" "$@" \
        >"$RESULTS/proxy-$kind-$port-$round.out" 2>"$RESULTS/proxy-$kind-$port-$round.err" || true
}

for ((r = 1; r <= rounds; r++)); do
    order=("$plain" "$proxied")
    ((r % 2 == 0)) && order=("$proxied" "$plain")
    for port in "${order[@]}"; do
        load connect "$port" "$r" -c "$connects" -T 1s -w 0s
        load msgs "$port" "$r" -c 100 -d 4 -s 63 -T "${T}s" -w 2s
    done
    echo "# round $r/$rounds done" >&2
done

python3 - "$RESULTS" "$plain" "$proxied" "$rounds" "$version" <<'EOF'
import re, statistics, sys
results, plain, proxied, rounds, version = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
def figures(kind, port):
    out = []
    for r in range(1, rounds + 1):
        if kind == "connect":
            text = open(f"{results}/proxy-connect-{port}-{r}.err").read()
            m = re.search(r"connected (\d+)/\d+ in ([\d.]+) s", text)
            out.append(int(m.group(1)) / float(m.group(2)) if m else float("nan"))
        else:
            text = open(f"{results}/proxy-msgs-{port}-{r}.out").read()
            m = re.search(r"throughput\s+\|\s+([\d.]+) msgs/s", text)
            out.append(float(m.group(1)) if m else float("nan"))
    return out
print(f"PROXY {version} header, {rounds} interleaved rounds, medians (with header / without):")
for kind, unit in (("connect", "connections/s"), ("msgs", "msgs/s")):
    a, b = figures(kind, plain), figures(kind, proxied)
    ma, mb = statistics.median(a), statistics.median(b)
    print(f"  {kind:8s} without {ma:10.0f} {unit}, with {mb:10.0f} {unit}: ratio {mb / ma:.3f}"
          f"   (rounds without {[round(x) for x in a]}, with {[round(x) for x in b]})")
EOF
