#!/usr/bin/env bash
# Benchmark of `inetkit sniff` (not a test; figures go to sniffer/BENCHMARKS.md):
#   1. writes a capture of FRAMES ARP frames (default 1,000,000),
#   2. measures the decode rate of the handler chain in frames/s (in one JVM, after warm-up rounds),
#   3. measures the wall time of `java -jar sniffer/target/inetkit-sniffer.jar -r FILE --format line`
#      against `tcpdump -nn -r FILE`, both with stdout to /dev/null, in one run, and prints the ratio;
#      with hyperfine when installed, else by repeated timing. tcpdump formats its timestamps with
#      localtime(), which without TZ set stats /etc/localtime once per packet, so the comparison is
#      made both as the environment is and with TZ=UTC.
# Needs the jar and the test classes: ./mvnw -B -pl sniffer -am verify (or package -DskipTests).
# Environment: FRAMES (1000000), RUNS (10), WORK (a temporary directory, removed unless given),
# HYPERFINE=0 to time with the shell even where hyperfine is installed.
set -euo pipefail

cd "$(dirname "$0")/../.."
FRAMES=${FRAMES:-1000000}
RUNS=${RUNS:-10}
JAR=sniffer/target/inetkit-sniffer.jar
CLASSES=sniffer/target/test-classes
if [[ ! -f $JAR || ! -d $CLASSES/io/inetkit/sniffer/bench ]]; then
  echo "sniff-bench: build first: ./mvnw -B -pl sniffer -am verify" >&2
  exit 2
fi
command -v tcpdump >/dev/null || { echo "sniff-bench: tcpdump is not installed (apt-get install tcpdump)" >&2; exit 2; }
if [[ -z ${WORK:-} ]]; then
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
fi
FILE=$WORK/arp-$FRAMES.pcap

echo "== machine"
echo "cpus: $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
java -version 2>&1 | head -1
tcpdump --version 2>&1 | head -2 | paste -sd' '

echo "== capture: $FRAMES ARP frames"
java -cp "$JAR:$CLASSES" io.inetkit.sniffer.bench.SniffBench generate "$FILE" "$FRAMES"
ls -l "$FILE" | awk '{print $5 " bytes"}'
read -r lines < <(tcpdump -nn -r "$FILE" 2>/dev/null | wc -l)
echo "tcpdump reads $lines frames"

echo "== decode rate (one JVM, five rounds; the last ones are warm)"
java -cp "$JAR:$CLASSES" io.inetkit.sniffer.bench.SniffBench decode "$FILE"

SNIFF="java -jar $JAR sniff -r $FILE --format line"
TCPDUMP="tcpdump -nn -r $FILE"

# mean wall seconds of a command over RUNS runs (after one warm-up run), stdout to /dev/null
mean_seconds() {
  local start end
  $1 >/dev/null 2>&1 || true
  for ((i = 0; i < RUNS; i++)); do
    start=$(date +%s.%N)
    $1 >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    echo "$start $end"
  done | awk '{ total += $2 - $1 } END { printf "%.3f", total / NR }'
}

compare() {
  local label=$1
  echo "== wall time, $label: inetkit sniff vs tcpdump"
  if [[ ${HYPERFINE:-1} != 0 ]] && command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 1 --runs "$RUNS" --export-csv "$WORK/wall.csv" "$SNIFF" "$TCPDUMP"
    # columns: command,mean,stddev,median,user,system,min,max
    awk -F, 'NR == 2 { s = $2 } NR == 3 { t = $2 }
      END { printf "inetkit sniff %.3f s, tcpdump %.3f s: ratio %.2f (target <= 2.00)\n", s, t, s / t }' "$WORK/wall.csv"
  else
    echo "(timed by the shell: mean of $RUNS runs each after a warm-up)"
    local s t
    s=$(mean_seconds "$SNIFF")
    t=$(mean_seconds "$TCPDUMP")
    awk -v s="$s" -v t="$t" \
      'BEGIN { printf "inetkit sniff %.3f s, tcpdump %.3f s: ratio %.2f (target <= 2.00)\n", s, t, s / t }'
  fi
}

compare "environment as is (TZ=${TZ:-unset})"
TZ=UTC compare "TZ=UTC"
