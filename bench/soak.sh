#!/usr/bin/env bash
# soak.sh - the soak benchmark of inetkit server (not part of ./mvnw verify): MINUTES (default 30) of mixed
# load and attacks against the packaged server with a small heap, on loopback; RSS, fds, GC, memory and
# every listener's p99 over time in server/target/soak/ (soak.csv, soak.svg), and a summary on stdout.
#
#   bench/soak.sh [MINUTES] [soak.py options: --interval S, --port P, --out DIR]
#
# Needs python3 and a JDK. Builds the server and client jars first (MAVEN_ARGS="-o" to build offline).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
minutes=${1:-30}
[ $# -gt 0 ] && shift
(cd "$ROOT" && ./mvnw -B -q -pl server,client -am package -DskipTests)
exec python3 "$ROOT/bench/soak.py" --minutes "$minutes" "$@"
