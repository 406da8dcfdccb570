#!/usr/bin/env bash
# WebSocket echo (issue 18): inetkit's --ws listener against Node's ws and Python's websockets, run the same way
# on the same pinned core, in one run, as ratios; and the load generator against inetkit's WebSocket echo next
# to its TCP echo, for what the WebSocket framing costs.
#
#   bench/ws.sh [--rounds N] [-T SECONDS] [--kinds K,K...]
#
#   plain     inetkit load ws://... -c 100 -s 64 -P 4 --no-deflate (closed loop, binary): msgs/s, server CPU/msg
#   deflate   the same with permessage-deflate offered (each server takes it: node ws is started with it on)
#   tcp       the same load against inetkit's TCP echo (--tcp PORT, raw), the baseline of the framing's cost
#
# Targets, each pinned to cpu0: inetkit server --ws PORT --io-threads 1 (and --tcp PORT for the tcp kind), node
# ws_server.js (ws 8.18, from the lock file: npm ci), python3 websockets_server.py (Debian's python3-websockets,
# asyncio). The generator (inetkit load, one thread) runs on cpu1 and verifies every echoed message; a target
# faster than it shows as a tie, so read the server CPU per message (srv_us/msg) too. Round 0 warms every target
# up and is not counted; rounds are interleaved (the order rotates) and the medians printed. Loopback only.
# Results land in bench/results/ws-* (not committed). Environment: SERVER_JAVA_OPTS, RESULTS, NO_BUILD=1.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=3 T=5 kinds="plain,deflate,tcp"
while [[ $# -gt 0 ]]; do
    case $1 in
    --rounds) rounds=$2; shift 2 ;;
    -T) T=$2; shift 2 ;;
    --kinds) kinds=$2; shift 2 ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "ws.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
PYTHON=/usr/bin/python3 # Debian's, where python3-websockets lives
"$PYTHON" -c "import websockets" 2>/dev/null || { echo "ws.sh: python3-websockets is not installed (apt-get install python3-websockets)" >&2; exit 2; }
command -v node >/dev/null && command -v npm >/dev/null || { echo "ws.sh: node and npm are needed (apt-get install nodejs npm)" >&2; exit 2; }
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:--Dio.netty.leakDetection.level=disabled}
RESULTS=${RESULTS:-$root/bench/results}
mkdir -p "$RESULTS"
work="$RESULTS/ws-work"
rm -rf "$work" && mkdir -p "$work/node"
peers="$root/integration-tests/src/test/resources/ws"
cp "$peers/node/package.json" "$peers/node/package-lock.json" "$peers/node/ws_server.js" "$work/node/"
(cd "$work/node" && npm ci --no-audit --no-fund --loglevel=error >&2)
if [[ ${NO_BUILD:-} != 1 ]]; then
    echo "# building the server and the load generator" >&2
    (cd "$root" && ./mvnw -B -q -DskipTests -pl server,client -am package >&2)
fi
server_jar="$root/server/target/inetkit-server.jar"
client_jar="$root/client/target/inetkit-client.jar"

inetkit_port=19990 tcp_port=19991 node_port=19992 node_deflate_port=19993 python_port=19994
max=1048576
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
limits="--log-level warn --max-connections 100000 --max-connections-per-ip 100000 --admin off --idle-timeout 0"
# shellcheck disable=SC2086
taskset -c 0 java $SERVER_JAVA_OPTS -jar "$server_jar" server --ws $inetkit_port --tcp $tcp_port \
    --io-threads 1 $limits &
pids+=($!); inetkit_pid=$!
(cd "$work/node" && exec taskset -c 0 node ws_server.js $node_port $max plain >/dev/null) &
pids+=($!); node_pid=$!
(cd "$work/node" && exec taskset -c 0 node ws_server.js $node_deflate_port $max deflate >/dev/null) &
pids+=($!); node_deflate_pid=$!
taskset -c 0 "$PYTHON" "$peers/websockets_server.py" $python_port $max deflate >/dev/null &
pids+=($!); python_pid=$!
for port in $inetkit_port $tcp_port $node_port $node_deflate_port $python_port; do
    for _ in $(seq 100); do
        (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break
        sleep 0.2
    done
done

cpu() { # PID -> clock ticks of user + system time so far (a Node or Python process is one process too)
    awk '{print $14 + $15}' "/proc/$1/stat"
}

run() { # TARGET KIND ROUND [load options] -> $RESULTS/ws-TARGET-KIND-ROUND.{json,out,err,cpu}
    local target=$1 kind=$2 round=$3 url pid
    shift 3
    case $target:$kind in
    inetkit:tcp) url="127.0.0.1 $tcp_port" pid=$inetkit_pid ;;
    inetkit:*) url="ws://127.0.0.1:$inetkit_port/" pid=$inetkit_pid ;;
    node:deflate) url="ws://127.0.0.1:$node_deflate_port/" pid=$node_deflate_pid ;;
    node:*) url="ws://127.0.0.1:$node_port/" pid=$node_pid ;;
    python:*) url="ws://127.0.0.1:$python_port/" pid=$python_pid ;;
    esac
    local extra=""
    [[ $kind == plain ]] && extra="--no-deflate"
    local before after
    before=$(cpu $pid)
    # shellcheck disable=SC2086
    timeout 180 taskset -c 1 java -jar "$client_jar" load $url -t 1 -q $extra "$@" \
        --json "$RESULTS/ws-$target-$kind-$round.json" \
        >"$RESULTS/ws-$target-$kind-$round.out" 2>"$RESULTS/ws-$target-$kind-$round.err" || true
    after=$(cpu $pid)
    echo $((after - before)) >"$RESULTS/ws-$target-$kind-$round.cpu"
}

want() { [[ ",$kinds," == *",$1,"* ]]; }
targets=(inetkit node python)
load=(-c 100 -s 64 -P 4)
for t in "${targets[@]}"; do
    run "$t" plain 0 "${load[@]}" -T 3s -w 1s
done
echo "# warm-up round done" >&2
for ((r = 1; r <= rounds; r++)); do
    order=("${targets[@]:$((r % 3))}" "${targets[@]:0:$((r % 3))}")
    for t in "${order[@]}"; do
        if want plain; then run "$t" plain "$r" "${load[@]}" -T "${T}s" -w 2s; fi
        if want deflate; then run "$t" deflate "$r" "${load[@]}" -T "${T}s" -w 2s; fi
        if want tcp && [[ $t == inetkit ]]; then run "$t" tcp "$r" "${load[@]}" -T "${T}s" -w 2s; fi
    done
    echo "# round $r/$rounds done (order ${order[*]})" >&2
done

python3 - "$RESULTS" "$rounds" "$(getconf CLK_TCK)" "$kinds" <<'PY'
import json, statistics, sys
results, rounds, hz, kinds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4].split(",")
def figure(t, k):
    rate, per = [], []
    for r in range(1, rounds + 1):
        try:
            j = json.load(open(f"{results}/ws-{t}-{k}-{r}.json"))
            cpu = int(open(f"{results}/ws-{t}-{k}-{r}.cpu").read()) / hz
        except (OSError, ValueError):
            rate.append(float("nan")); per.append(float("nan")); continue
        ok = sum(j["errors"].values()) == 0
        rate.append(j["msgs_per_s"] if ok else float("nan"))
        per.append(cpu * 1e6 / j["messages"] if ok and j["messages"] else float("nan"))
    med = lambda xs: statistics.median([x for x in xs if x == x]) if any(x == x for x in xs) else float("nan")
    return med(rate), med(per), rate
print(f"WebSocket echo, -c 100 -s 64 -P 4, {rounds} interleaved rounds, medians; servers pinned to cpu0, "
      "inetkit load (1 thread, every echo verified) on cpu1")
print(f"{'kind':8s} {'target':8s} {'msgs/s':>10s} {'srv_us/msg':>11s} {'rate x':>8s} {'cpu x':>7s}   rounds")
for k in kinds:
    if k == "tcp":
        continue
    rows = {t: figure(t, k) for t in ("inetkit", "node", "python")}
    for t, (v, per, rs) in rows.items():
        vs = "" if t == "inetkit" else f"{rows['inetkit'][0] / v:8.2f} {per / rows['inetkit'][1]:7.2f}"
        print(f"{k:8s} {t:8s} {v:10.0f} {per:11.2f} {vs:>16s}   {[round(x) for x in rs]}")
print("(rate x: inetkit's msgs/s over the peer's; cpu x: the peer's server CPU per message over inetkit's)")
if "tcp" in kinds:
    ws, wsper, _ = figure("inetkit", "plain")
    tcp, tcpper, rs = figure("inetkit", "tcp")
    print(f"framing cost: inetkit TCP echo {tcp:.0f} msgs/s at {tcpper:.2f} us/msg, WebSocket {ws:.0f} msgs/s at "
          f"{wsper:.2f} us/msg: WebSocket/TCP rate {ws / tcp:.2f}, CPU per message {wsper / tcpper:.2f}x  {[round(x) for x in rs]}")
PY
