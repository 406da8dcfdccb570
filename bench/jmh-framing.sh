#!/usr/bin/env bash
# ns per decoded frame: inetkit's framing decoders next to Netty's stock ones (JMH).
#   bench/jmh-framing.sh [JMH options, e.g. -f 1 -wi 3 -i 5]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./mvnw -B -q -pl common -am test-compile -DskipTests
cp_file="$root/common/target/jmh.classpath"
./mvnw -B -q -pl common dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
exec java -cp "$root/common/target/test-classes:$root/common/target/classes:$(cat "$cp_file")" \
  org.openjdk.jmh.Main io.inetkit.common.bench.FramingDecoderBenchmark "$@"
