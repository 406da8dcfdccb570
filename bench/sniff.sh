#!/usr/bin/env bash
# Throughput of `inetkit sniff -r` against `tcpdump -nn -r` over the same 1,000,000-frame capture, both
# with stdout to /dev/null, in one run: ROUNDS interleaved rounds (inetkit, java -jar, tcpdump, inetkit, ...),
# the median wall time of each, and the throughput ratio (tcpdump's median time / inetkit's: above 1.0 means
# inetkit reads more frames per second). Prints figures, asserts nothing: a benchmark, not a test.
# "inetkit" is the command as users run it, the repository's ./inetkit launcher (its JVM options and class
# data archive, made by the untimed warm-up run); "java -jar" is the bare jar with the JVM's defaults, for
# reference: the difference between the two is start-up.
# Needs the jar and the test classes (the capture generator): ./mvnw -B -pl sniffer -am package -DskipTests
#   then also: ./mvnw -B -pl sniffer test-compile
# Environment: FRAMES (1000000), ROUNDS (7), TZ as you run it (tcpdump's localtime() stats /etc/localtime
# per packet when TZ is unset, so the script runs both ways; with TZ=UTC, once), WORK (a temporary directory, removed unless given).
set -euo pipefail

cd "$(dirname "$0")/.."
FRAMES=${FRAMES:-1000000}
ROUNDS=${ROUNDS:-7}
JAR=sniffer/target/inetkit-sniffer.jar
CLASSES=sniffer/target/test-classes
if [[ ! -f $JAR || ! -d $CLASSES/io/inetkit/sniffer/bench ]]; then
  echo "sniff.sh: build first: ./mvnw -B -pl sniffer -am package -DskipTests && ./mvnw -B -pl sniffer test-compile" >&2
  exit 2
fi
command -v tcpdump >/dev/null || { echo "sniff.sh: tcpdump is not installed (apt-get install tcpdump)" >&2; exit 2; }
if [[ -z ${WORK:-} ]]; then
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
fi
FILE=$WORK/arp-$FRAMES.pcap

echo "== machine: $(nproc) cpus, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
echo "== $(tcpdump --version 2>&1 | head -2 | paste -sd' ')"
java -cp "$JAR:$CLASSES" io.inetkit.sniffer.bench.SniffBench generate "$FILE" "$FRAMES" >/dev/null
echo "== capture: $FRAMES ARP frames, $(stat -c %s "$FILE") bytes"

# wall seconds of one run, stdout and stderr to /dev/null
seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

run() {
  local label=$1
  : >"$WORK/ink" && : >"$WORK/jar" && : >"$WORK/tcd"
  ./inetkit sniff -r "$FILE" >/dev/null 2>&1 # warm the page cache, make the class data archive
  java -jar "$JAR" sniff -r "$FILE" >/dev/null 2>&1
  tcpdump -nn -r "$FILE" >/dev/null 2>&1
  for ((i = 1; i <= ROUNDS; i++)); do
    seconds ./inetkit sniff -r "$FILE" >>"$WORK/ink"
    seconds java -jar "$JAR" sniff -r "$FILE" >>"$WORK/jar"
    seconds tcpdump -nn -r "$FILE" >>"$WORK/tcd"
  done
  local ink jar tcd
  ink=$(median <"$WORK/ink")
  jar=$(median <"$WORK/jar")
  tcd=$(median <"$WORK/tcd")
  echo "== $label, $ROUNDS interleaved rounds, load average $(cut -d' ' -f1-3 /proc/loadavg) after"
  echo "inetkit sniff -r:         $(sort -g "$WORK/ink" | paste -sd' ') s"
  echo "java -jar ... sniff -r:   $(sort -g "$WORK/jar" | paste -sd' ') s"
  echo "tcpdump -nn -r:           $(sort -g "$WORK/tcd" | paste -sd' ') s"
  awk -v i="$ink" -v j="$jar" -v t="$tcd" -v n="$FRAMES" 'BEGIN {
    printf "median: inetkit %.3f s (%.0f frames/s), tcpdump %.3f s (%.0f frames/s): throughput ratio %.2fx (target >= 1.0x)\n",
      i, n / i, t, n / t, t / i
    printf "        java -jar %.3f s: ratio %.2fx\n", j, t / j }'
}

if [[ ${TZ:-} != UTC ]]; then
  run "TZ=${TZ:-unset}"
fi
TZ=UTC run "TZ=UTC"
