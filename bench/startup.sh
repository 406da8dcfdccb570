#!/usr/bin/env bash
# Cold start of inetkit's one-shot commands, next to `java -version` in the same run: for each round, every
# command once, in the same order (interleaved rounds, so that the machine's noise falls on all alike); the
# medians of the wall times of ROUNDS rounds, and each median as a multiple of java -version's.
#
#   bench/startup.sh [--rounds N] [--launcher PATH] [--java PATH]
#
#   --rounds N       rounds (default 15; the issue asks for >= 10)
#   --launcher PATH  the inetkit to time: the repository's ./inetkit (default), or an installed one
#                    (/usr/bin/inetkit, a tarball's bin/inetkit)
#   --java PATH      the java the launcher and `java -version` run (exported as JAVA_HOME's bin/java)
#
# The commands (each exits by itself; all traffic on loopback):
#   version   inetkit --version
#   http      inetkit http http://127.0.0.1:PORT/get        (a server of this script's, --http)
#   client    inetkit client 127.0.0.1 PORT --message hello (the same server's raw TCP listener)
#   sniff     inetkit sniff -r sniffer/examples/lecture.pcap
# Each also as NAME/plain: `java -jar` of the same jar with the same arguments and no JVM options, what the
# launchers ran before the start-up work (no archive, C2, G1): the before and after of one run.
# One untimed round first: it builds the jars (repository launcher) and the class-data archives the launcher
# makes on a command's first use, so the timed rounds are what every later start costs.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS=15 LAUNCHER="$root/inetkit" JAVA_BIN=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift 2 ;;
    --launcher) LAUNCHER=$2; shift 2 ;;
    --java) JAVA_BIN=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "startup: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
if [ -n "$JAVA_BIN" ]; then
  JAVA_HOME="$(cd "$(dirname "$(readlink -f "$JAVA_BIN")")/.." && pwd)"
  export JAVA_HOME
  export PATH="$JAVA_HOME/bin:$PATH"
fi
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
pcap="$root/sniffer/examples/lecture.pcap"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# --- the server the http and client commands talk to ------------------------------------------------
"$LAUNCHER" server --bind 127.0.0.1 --tcp 0 --http 0 --admin off >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do
  grep -q 'listening on http ' "$work/server.log" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
tcp_port="$(sed -n 's/.*listening on tcp 127\.0\.0\.1:\([0-9]*\) (raw).*/\1/p' "$work/server.log" | head -1)"
http_port="$(sed -n 's/.*listening on http 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$work/server.log" | head -1)"
[ -n "$tcp_port" ] && [ -n "$http_port" ] || { echo "startup: the server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }

# The jars the launcher runs, for the plain `java -jar` rows: an installed tree's lib/, or the clone's modules.
home="$(cd "$(dirname "$(readlink -f "$LAUNCHER")")/.." && pwd)"
jar_of() { if [ -f "$home/lib/commands" ]; then echo "$home/lib/inetkit-$1.jar"; else echo "$root/$1/target/inetkit-$1.jar"; fi; }

# NAME (the launcher, with its options and class-data archive) next to NAME/plain (java -jar the same jar,
# no options: what the launchers ran before the start-up work), same arguments.
names=(java-version version version/plain http http/plain client client/plain sniff sniff/plain)
args_of() {
  case "$1" in
    version) echo "--version" ;;
    http)    echo "http -s http://127.0.0.1:$http_port/get" ;;
    client)  echo "client 127.0.0.1 $tcp_port --message hello" ;;
    sniff)   echo "sniff -r $pcap" ;;
  esac
}
module_of() { case "$1" in version) echo server ;; http) echo http ;; client) echo client ;; sniff) echo sniffer ;; esac; }
run() {
  # shellcheck disable=SC2046
  case "$1" in
    java-version) "$java_bin" -version ;;
    */plain) "$java_bin" -jar "$(jar_of "$(module_of "${1%/plain}")")" $(args_of "${1%/plain}") ;;
    *) "$LAUNCHER" $(args_of "$1") ;;
  esac
}
# wall time of one run in ms; a failing command ends the benchmark (a fast failure is no start-up figure)
timed() {
  local t0 t1
  t0=$(date +%s%N)
  if ! run "$1" >"$work/out" 2>"$work/err" </dev/null; then
    echo "startup: '$1' failed:" >&2; cat "$work/err" >&2; exit 1
  fi
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}

for n in "${names[@]}"; do timed "$n" >/dev/null; done   # the untimed round
for _ in $(seq 1 "$ROUNDS"); do
  for n in "${names[@]}"; do timed "$n" >>"$work/${n//\//-}.ms"; done
done

median() { sort -n "$1" | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
base="$(median "$work/java-version.ms")"
jv="$("$java_bin" -version 2>&1 | head -1)"
echo "inetkit start-up: $ROUNDS interleaved rounds, medians; launcher $LAUNCHER; $jv; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-14s %8s %9s  %s\n' command median_ms x_java "target: <= max(300 ms, 3 x java -version)"
for n in "${names[@]}"; do
  m="$(median "$work/${n//\//-}.ms")"
  limit=$(( base * 3 > 300 ? base * 3 : 300 ))
  case "$n" in
    java-version|*/plain) verdict="" ;;
    *) verdict="$([ "$m" -le "$limit" ] && echo "met (<= $limit ms)" || echo "over ($limit ms)")" ;;
  esac
  printf '%-14s %8d %9s  %s\n' "$n" "$m" "$(awk -v m="$m" -v b="$base" 'BEGIN { printf "%.2f", m / b }')" "$verdict"
done
