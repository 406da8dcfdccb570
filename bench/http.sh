#!/usr/bin/env bash
# The HTTP listener against nginx (issue 16, part 3): requests/s and server CPU per request of
# `inetkit server --http` and of nginx serving the same bodies as static files, in one run, as ratios
# (inetkit / nginx).
#
#   bench/http.sh [--rounds N] [-T SECONDS] [--warmup SECONDS] [--paths "/ip /get /bytes/24"] [--tools "wrk h2load"]
#
#   wrk     HTTP/1.1, closed loop: wrk -t1 -c50 -dT
#   h2load  HTTP/2 over cleartext with prior knowledge: h2load -c10 -m10 -DT (10 connections, 10 streams each)
#
# nginx (Debian nginx-light or nginx, one worker, sendfile and an open-file cache) serves, for each path, a file holding the very bytes that
# inetkit's listener answers to it (fetched once at start with the request wrk sends), so both send the same
# body; nginx adds its own headers (Date, ETag, Last-Modified, Accept-Ranges), inetkit its CORS ones. Each
# server is pinned to cpu0 and the tool to cpu1. Rounds are interleaved (inetkit first in odd rounds, nginx
# first in even ones) and the medians printed. CPU per request is the server's user+system time over the
# measured interval (from /proc, the master and worker together for nginx) divided by the requests done.
# inetkit is first warmed up (--warmup, 5 s per tool and path, unmeasured). Everything is on loopback. Results land in bench/results/http-* (not committed). Environment:
# SERVER_JAVA_OPTS (default below), RESULTS (bench/results), NO_BUILD=1 to use the jar already built.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=5 T=5 warmup=5 paths="/ip /get /bytes/24" tools="wrk h2load"
while [[ $# -gt 0 ]]; do
    case $1 in
    --rounds) rounds=$2; shift 2 ;;
    -T) T=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --paths) paths=$2; shift 2 ;;
    --tools) tools=$2; shift 2 ;;
    -h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "http.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
for tool in nginx $tools; do
    command -v "$tool" >/dev/null || PATH=$PATH:/usr/sbin command -v "$tool" >/dev/null || {
        echo "http.sh: $tool is not installed (apt-get install nginx-light wrk nghttp2-client)" >&2
        exit 2
    }
done
PATH=$PATH:/usr/sbin
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:--Dio.netty.leakDetection.level=disabled}
RESULTS=${RESULTS:-$root/bench/results}
mkdir -p "$RESULTS"
work=$(mktemp -d)
chmod 755 "$work" # nginx's workers (www-data) read the files

if [[ ${NO_BUILD:-} != 1 ]]; then
    echo "# building the server" >&2
    (cd "$root" && ./mvnw -B -q -DskipTests -pl server -am package >&2)
fi
inetkit=19960 nginx_h1=19961 nginx_h2=19962
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# shellcheck disable=SC2086
taskset -c 0 java $SERVER_JAVA_OPTS -jar "$root/server/target/inetkit-server.jar" server --http $inetkit \
    --io-threads 1 --admin off --log-level warn --idle-timeout 0 \
    --max-connections 100000 --max-connections-per-ip 100000 &
pids+=($!)
inetkit_pid=$!
for _ in $(seq 100); do
    curl -fso /dev/null "http://127.0.0.1:$inetkit/ip" && break
    sleep 0.2
done

mkdir -p "$work/www"
for path in $paths; do
    mkdir -p "$work/www$(dirname "$path")"
    # the request wrk sends: a Host header and nothing else
    curl -fs -H 'User-Agent:' -H 'Accept:' "http://127.0.0.1:$inetkit$path" -o "$work/www$path"
done
cat >"$work/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 100000000;
    # Debian's defaults, and the file descriptors kept open: nginx at its best for a static file
    sendfile on;
    tcp_nopush on;
    open_file_cache max=100 inactive=60s;
    open_file_cache_valid 60s;
    default_type application/json;
    server {
        listen 127.0.0.1:$nginx_h1;
        listen 127.0.0.1:$nginx_h2 http2;
        root $work/www;
    }
}
EOF
taskset -c 0 nginx -c "$work/nginx.conf" &
pids+=($!)
nginx_pid=$!
for _ in $(seq 100); do
    curl -fso /dev/null "http://127.0.0.1:$nginx_h1${paths%% *}" && break
    sleep 0.2
done

ticks() { # PID... -> user+system clock ticks of the processes and their children threads
    local sum=0 pid
    for pid in "$@" $(pgrep -P "$1" || true); do
        sum=$((sum + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
    done
    echo "$sum"
}

measure() { # SERVER TOOL PATH ROUND -> "requests ticks" in $RESULTS/http-SERVER-TOOL-PATH-ROUND.txt
    local server=$1 tool=$2 path=$3 round=$4 pid port out
    if [[ $server == inetkit ]]; then pid=$inetkit_pid port=$inetkit; else pid=$nginx_pid port=$nginx_h1; fi
    [[ $server == nginx && $tool == h2load ]] && port=$nginx_h2
    out="$RESULTS/http-$server-$tool-${path//\//_}-$round"
    local before after
    before=$(ticks "$pid")
    if [[ $tool == wrk ]]; then
        timeout $((T + 30)) taskset -c 1 wrk -t1 -c50 -d"${T}s" "http://127.0.0.1:$port$path" >"$out.out" 2>&1 || true
    else
        timeout $((T + 30)) taskset -c 1 h2load -c10 -m10 -D "$T" "http://127.0.0.1:$port$path" >"$out.out" 2>&1 || true
    fi
    after=$(ticks "$pid")
    echo "$((after - before))" >"$out.ticks"
}

# the JVM compiles the hot paths in its first seconds: warm every path up with each tool, unmeasured
echo "# warming up inetkit for ${warmup} s per tool and path" >&2
for tool in $tools; do
    for path in $paths; do
        if [[ $tool == wrk ]]; then
            taskset -c 1 wrk -t1 -c50 -d"${warmup}s" "http://127.0.0.1:$inetkit$path" >/dev/null 2>&1 || true
        else
            taskset -c 1 h2load -c10 -m10 -D "$warmup" "http://127.0.0.1:$inetkit$path" >/dev/null 2>&1 || true
        fi
    done
done

for ((r = 1; r <= rounds; r++)); do
    order=(inetkit nginx)
    ((r % 2 == 0)) && order=(nginx inetkit)
    for tool in $tools; do
        for path in $paths; do
            for server in "${order[@]}"; do
                measure "$server" "$tool" "$path" "$r"
            done
        done
    done
    echo "# round $r/$rounds done" >&2
done

python3 - "$RESULTS" "$rounds" "$T" "$(getconf CLK_TCK)" "$tools" "$paths" <<'EOF'
import re, statistics, sys
results, rounds, T, hz = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
tools, paths = sys.argv[5].split(), sys.argv[6].split()

def one(server, tool, path, r):
    base = f"{results}/http-{server}-{tool}-{path.replace('/', '_')}-{r}"
    text = open(base + ".out").read()
    ticks = int(open(base + ".ticks").read())
    if tool == "wrk":
        m = re.search(r"(\d+) requests in ([\d.]+)s", text)
        bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
        errors = re.search(r"Socket errors: (.*)", text)
        if not m or bad or errors:
            return None
        done, secs = int(m.group(1)), float(m.group(2))
    else:
        m = re.search(r"finished in ([\d.]+)s", text)
        d = re.search(r"requests: \d+ total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed", text)
        if not m or not d or int(d.group(3)) > 0:
            return None
        done, secs = int(d.group(2)), float(m.group(1))
    return done / secs, ticks / hz / done * 1e6

print(f"# HTTP listener vs nginx: {rounds} interleaved rounds of {T:g} s, medians; server on cpu0, tool on cpu1")
print(f"{'tool':7} {'path':10} {'inetkit req/s':>14} {'nginx req/s':>12} {'ratio':>6}  "
      f"{'inetkit us/req':>14} {'nginx us/req':>12} {'ratio':>6}")
for tool in tools:
    for path in paths:
        runs = {s: [one(s, tool, path, r) for r in range(1, rounds + 1)] for s in ("inetkit", "nginx")}
        if any(x is None for v in runs.values() for x in v):
            print(f"{tool:7} {path:10} a run failed or saw errors: see {results}/http-*-{tool}-*")
            continue
        rate = {s: statistics.median(x[0] for x in v) for s, v in runs.items()}
        cpu = {s: statistics.median(x[1] for x in v) for s, v in runs.items()}
        print(f"{tool:7} {path:10} {rate['inetkit']:14.0f} {rate['nginx']:12.0f} {rate['inetkit'] / rate['nginx']:6.2f}  "
              f"{cpu['inetkit']:14.1f} {cpu['nginx']:12.1f} {cpu['inetkit'] / cpu['nginx']:6.2f}")
EOF
