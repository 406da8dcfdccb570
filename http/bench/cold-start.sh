#!/usr/bin/env bash
# Cold-start wall time of one GET on loopback: `inetkit http` with and without its AppCDS archive,
# next to curl, in the same run. Needs the packaged jar (./mvnw -B -pl http -am package -DskipTests);
# uses hyperfine when installed, otherwise times a loop itself.
#
#   http/bench/cold-start.sh            # 30 runs each
#   RUNS=50 http/bench/cold-start.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=http/target/inetkit-http.jar
JSA=http/target/inetkit-http.jsa
RUNS=${RUNS:-30}
JAVA=${JAVA:-java}
SERVER_JAR=server/target/inetkit-server.jar
[ -f "$JAR" ] && [ -f "$SERVER_JAR" ] ||
  { echo "cold-start.sh: $JAR or $SERVER_JAR is missing: ./mvnw -B -pl server,http -am package -DskipTests" >&2; exit 1; }

# The target: the server's HTTP listener in its own JVM, on a free loopback port that its log names.
coproc TARGET { exec "$JAVA" -jar "$SERVER_JAR" server --http 0 --admin off 2>&1; }
trap 'kill "$TARGET_PID" 2>/dev/null; wait "$TARGET_PID" 2>/dev/null || true' EXIT
PORT=
while read -r -t 60 line <&"${TARGET[0]}"; do
  if [[ $line =~ listening\ on\ http\ [^\ ]*:([0-9]+) ]]; then PORT=${BASH_REMATCH[1]}; break; fi
done
[ -n "$PORT" ] || { echo "cold-start.sh: the server's HTTP listener did not start" >&2; exit 1; }
URL="http://127.0.0.1:$PORT/ip"
curl -sf "$URL" >/dev/null

CDS="-XX:SharedArchiveFile=$JSA -Xlog:cds=off -Xlog:cds+dynamic=off"
declare -a NAMES=("curl" "inetkit http (no CDS)")
declare -a CMDS=("curl -s $URL" "$JAVA -jar $JAR http $URL")
if [ -f "$JSA" ]; then
  NAMES+=("inetkit http (AppCDS)" "inetkit http (AppCDS, C1 only)")
  CMDS+=("$JAVA $CDS -jar $JAR http $URL" "$JAVA $CDS -XX:TieredStopAtLevel=1 -jar $JAR http $URL")
else
  echo "cold-start.sh: no $JSA (built with -Dcds.skip=true?): measuring without it only" >&2
fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $("$JAVA" -version 2>&1 | head -1); curl: $(curl --version | head -1 | cut -d' ' -f1-2)"
echo "target: $URL (inetkit echo listener), $RUNS runs each after 3 warm-ups"
if command -v hyperfine >/dev/null; then
  args=()
  for i in "${!CMDS[@]}"; do args+=(-n "${NAMES[$i]}" "${CMDS[$i]}"); done
  table=$(mktemp)
  hyperfine -N -w 3 -r "$RUNS" --style basic --export-markdown "$table" "${args[@]}"
  echo
  cat "$table"
  rm -f "$table"
else
  for i in "${!CMDS[@]}"; do
    for _ in 1 2 3; do ${CMDS[$i]} >/dev/null; done
    start=$(date +%s%N)
    for _ in $(seq "$RUNS"); do ${CMDS[$i]} >/dev/null; done
    end=$(date +%s%N)
    printf '%-32s mean %8.1f ms\n' "${NAMES[$i]}" "$(echo "($end - $start) / $RUNS / 1000000" | bc -l)"
  done
fi
