#!/usr/bin/env bash
# HTTP load generators (issue 22): inetkit load http:// against wrk (HTTP/1.1) and h2load (HTTP/2), every tool
# against the same nginx serving one small static file, in one run, as ratios (inetkit / the tool).
#
#   bench/http-load.sh [--rounds N] [-T SECONDS]
#
#   h1     wrk -t1 -c50 -dT                    vs  inetkit load http://... -t 1 -c 50 (closed loop, one at a time)
#   h2     h2load -c10 -m10 -DT (h2c)          vs  inetkit load http://... --http2-prior-knowledge -t 1 -c 10 -P 10
#   open   inetkit load -t 1 -c 50 -R (80 % of its own closed-loop median): the rate it kept, and its errors
#
# nginx (Debian nginx-light, one worker, access log off) is pinned to cpu0, every generator to cpu1. Rounds are
# interleaved (the tool order alternates) and the medians printed. Generator CPU per request: wrk's and h2load's
# user+system time over their whole run, divided by their requests; inetkit's own figure for its measured window
# (the JSON's cpu_pct, its warm-up of 2 s outside). Server CPU per request: nginx's master and worker over each
# run. inetkit verifies every response's status (and here its length, --verify length:N); wrk and h2load count
# statuses and bytes. Loopback only. Results land in bench/results/http-load-* (not committed).
# Environment: RESULTS, NO_BUILD=1.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=3 T=5
while [[ $# -gt 0 ]]; do
    case $1 in
    --rounds) rounds=$2; shift 2 ;;
    -T) T=$2; shift 2 ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "http-load.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
PATH=$PATH:/usr/sbin
for tool in nginx wrk h2load; do
    command -v "$tool" >/dev/null || { echo "http-load.sh: $tool is not installed (apt-get install nginx-light wrk nghttp2-client)" >&2; exit 2; }
done
RESULTS=${RESULTS:-$root/bench/results}
mkdir -p "$RESULTS"
work=$(mktemp -d)
chmod 755 "$work" # nginx's workers read the file
if [[ ${NO_BUILD:-} != 1 ]]; then
    echo "# building the load generator" >&2
    (cd "$root" && ./mvnw -B -q -DskipTests -pl client -am package >&2)
fi
client_jar="$root/client/target/inetkit-client.jar"
h1=19970 h2=19971
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/www"
head -c 612 /dev/zero | tr '\0' 'x' >"$work/www/small.txt" # the size of nginx's own welcome page
cat >"$work/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 100000000;
    sendfile on;
    tcp_nopush on;
    open_file_cache max=100 inactive=60s;
    default_type text/plain;
    server {
        listen 127.0.0.1:$h1;
        listen 127.0.0.1:$h2 http2;
        root $work/www;
    }
}
EOF
taskset -c 0 nginx -c "$work/nginx.conf" &
pids+=($!)
nginx_pid=$!
for _ in $(seq 100); do
    curl -fso /dev/null "http://127.0.0.1:$h1/small.txt" && break
    sleep 0.2
done

ticks() { # PID... -> user+system clock ticks of the processes and their children
    local sum=0 pid
    for pid in "$@" $(pgrep -P "$1" || true); do
        sum=$((sum + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
    done
    echo "$sum"
}

run() { # TOOL KIND ROUND [inetkit options] -> $RESULTS/http-load-TOOL-KIND-ROUND.{out,json,srv,gen}
    local tool=$1 kind=$2 round=$3
    shift 3
    local out="$RESULTS/http-load-$tool-$kind-$round" before after
    before=$(ticks "$nginx_pid")
    case $tool in
    wrk) ( TIMEFORMAT=%3U+%3S; { time taskset -c 1 wrk -t1 -c50 -d"${T}s" "http://127.0.0.1:$h1/small.txt" >"$out.out" 2>&1; } 2>"$out.gen" ) || true ;;
    h2load) ( TIMEFORMAT=%3U+%3S; { time taskset -c 1 h2load -c10 -m10 -D "$T" "http://127.0.0.1:$h2/small.txt" >"$out.out" 2>&1; } 2>"$out.gen" ) || true ;;
    inetkit)
        local port=$h1
        [[ $kind == h2 ]] && port=$h2
        timeout $((T + 60)) taskset -c 1 java -jar "$client_jar" load "http://127.0.0.1:$port/small.txt" -t 1 -q \
            --verify length:612 -w 2s -T "${T}s" "$@" --json "$out.json" >"$out.out" 2>&1 || true ;;
    esac
    after=$(ticks "$nginx_pid")
    echo $((after - before)) >"$out.srv"
}

for ((r = 1; r <= rounds; r++)); do
    if ((r % 2)); then order=(wrk inetkit); else order=(inetkit wrk); fi
    for t in "${order[@]}"; do
        # wrk's request has a Host header alone: inetkit drops its User-Agent and Accept to send the same
        # (nginx parses every header it gets); h2load sends both, as inetkit does by default
        if [[ $t == wrk ]]; then run wrk h1 "$r"; else run inetkit h1 "$r" -c 50 -H 'User-Agent:' -H 'Accept:'; fi
    done
    if ((r % 2)); then order=(h2load inetkit); else order=(inetkit h2load); fi
    for t in "${order[@]}"; do
        if [[ $t == h2load ]]; then run h2load h2 "$r"; else run inetkit h2 "$r" --http2-prior-knowledge -c 10 -P 10; fi
    done
    echo "# round $r/$rounds done" >&2
done
# the open loop at 80 % of inetkit's own closed-loop median
rate=$(python3 -c "
import json, statistics
print(int(0.8 * statistics.median(json.load(open('$RESULTS/http-load-inetkit-h1-%d.json' % r))['msgs_per_s'] for r in range(1, $rounds + 1))))")
for ((r = 1; r <= rounds; r++)); do
    run inetkit open "$r" -c 50 -R "$rate" -H 'User-Agent:' -H 'Accept:'
done

python3 - "$RESULTS" "$rounds" "$(getconf CLK_TCK)" "$T" "$rate" <<'PY'
import json, re, statistics, sys
results, rounds, hz, T, rate = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
med = lambda xs: statistics.median(xs) if xs else float("nan")
def tool(t, k, r):
    base = f"{results}/http-load-{t}-{k}-{r}"
    srv = int(open(base + ".srv").read()) / hz
    if t == "inetkit":
        j = json.load(open(base + ".json"))
        n, rps = j["messages"], j["msgs_per_s"]
        gen = j["cpu_pct"] / 100 * j["duration_s"]
        bad = sum(j["errors"].values())
        # nginx's CPU over the whole run (warm-up included): per request of the run, at the window's rate
        total = rps * (j["duration_s"] + j["warmup_s"])
        return rps, gen * 1e6 / n, srv * 1e6 / total, bad
    text = open(base + ".out").read()
    u, s = open(base + ".gen").read().strip().split("+")
    gen = float(u) + float(s)
    if t == "wrk":
        n = int(re.search(r"(\d+) requests in", text).group(1))
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
        bad = int(re.search(r"Non-2xx or 3xx responses: (\d+)", text).group(1)) if "Non-2xx" in text else 0
    else:
        n = int(re.search(r"requests: \d+ total, \d+ started, (\d+) done", text).group(1))
        rps = float(re.search(r"finished in [\d.]+m?s, ([\d.]+) req/s", text).group(1))
        bad = int(re.search(r"(\d+) failed, (\d+) errored", text).group(1))
    return rps, gen * 1e6 / n, srv * 1e6 / n, bad
print(f"HTTP load generators against nginx (one worker, cpu0), the generators on cpu1, {rounds} interleaved rounds, medians")
print(f"{'kind':5s} {'tool':8s} {'req/s':>10s} {'gen us/req':>11s} {'nginx us/req':>13s} {'errors':>7s}   rounds")
for k, other in (("h1", "wrk"), ("h2", "h2load")):
    rows = {}
    for t in (other, "inetkit"):
        got = [tool(t, k, r) for r in range(1, rounds + 1)]
        rows[t] = [med([g[i] for g in got]) for i in range(3)] + [sum(g[3] for g in got)]
        print(f"{k:5s} {t:8s} {rows[t][0]:10.0f} {rows[t][1]:11.2f} {rows[t][2]:13.2f} {rows[t][3]:7d}   {[round(g[0]) for g in got]}")
    print(f"      inetkit / {other}: rate {rows['inetkit'][0] / rows[other][0]:.2f}, generator CPU per request "
          f"{rows['inetkit'][1] / rows[other][1]:.2f}x")
got = []
for r in range(1, rounds + 1):
    j = json.load(open(f"{results}/http-load-inetkit-open-{r}.json"))
    got.append((j["msgs_per_s"], sum(j["errors"].values()), j["latency_us"]["p99"]))
print(f"open loop at {rate:.0f} req/s (80 % of the closed loop): achieved {[round(g[0]) for g in got]}, "
      f"median {med([g[0] for g in got]) / rate * 100:.2f} % of the rate, errors {[g[1] for g in got]}, "
      f"p99 {[round(g[2]) for g in got]} us")
PY
