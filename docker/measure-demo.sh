#!/usr/bin/env bash
# Measures the demo as a person sees it: the size of the image, and the time from `docker-compose up` to the
# client's first echo (the first "Hello, World!" the client service prints, by Docker's log timestamp).
# Runs the demo once (one load generator) under its own project name, then removes it.
#
#   docker/measure-demo.sh [RUNS]      default 3 runs
#
# Needs the image (docker/build-image.sh) and docker-compose.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
runs="${1:-3}"
project="inetkitmeasure"
out="$(mktemp -d)"
trap 'cd "$here" && INETKIT_DEMO_OUT="$out" docker-compose -p "$project" -f compose.yaml down -t 15 >/dev/null 2>&1 || true; rm -rf "$out"' EXIT

docker image inspect inetkit:latest >/dev/null 2>&1 || { echo "measure-demo: no inetkit:latest (docker/build-image.sh)" >&2; exit 1; }
size="$(docker image inspect -f '{{.Size}}' inetkit:latest)"
echo "image inetkit:latest: $((size / 1000000)) MB"
docker image inspect inetkit-jre:17 >/dev/null 2>&1 \
  && echo "base inetkit-jre:17: $(( $(docker image inspect -f '{{.Size}}' inetkit-jre:17) / 1000000 )) MB"

cd "$here"
export INETKIT_DEMO_OUT="$out"
for i in $(seq 1 "$runs"); do
  docker-compose -p "$project" -f compose.yaml down -t 15 >/dev/null 2>&1 || true
  t0="$(date +%s.%N)"
  docker-compose -p "$project" -f compose.yaml up -d >/dev/null 2>&1 &
  up=$!
  first=""
  for _ in $(seq 1 1200); do   # at most 120 s
    first="$(docker logs -t "${project}_client_1" 2>&1 | awk '/Hello, World!$/ {print $1; exit}')" || true
    [ -n "$first" ] && break
    sleep 0.1
  done
  wait "$up" || true
  [ -n "$first" ] || { echo "measure-demo: run $i: no echo from the client within 120 s" >&2; exit 1; }
  echo "run $i: docker-compose up to the first echo: $(echo "$(date -d "$first" +%s.%N) - $t0" | bc | xargs printf '%.1f') s"
done
