#!/usr/bin/env bash
# Builds the inetkit image from the jars Maven builds:
#   1. builds the jars of the modules that the command list names (./mvnw package) when one is missing
#      or older than the sources;
#   2. stages them, the command list, the in-image launcher and the health probe into docker/lib/
#      (the build context is docker/);
#   3. docker build --build-arg BASE_IMAGE=<base> -t <image> docker/
#
#   docker/build-image.sh [--base IMAGE] [--tag IMAGE]
#
#   --base IMAGE  the Java runtime image to build on. Default: $INETKIT_BASE_IMAGE if set, else the local
#                 inetkit-jre:17 if docker/build-base-image.sh made one, else eclipse-temurin:17-jre.
#   --tag IMAGE   default inetkit:latest
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
tag="inetkit:latest"
base="${INETKIT_BASE_IMAGE:-}"

die() { echo "build-image: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --base) [ $# -ge 2 ] || die "--base needs an image"; base="$2"; shift 2 ;;
    --tag)  [ $# -ge 2 ] || die "--tag needs an image"; tag="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

command -v docker >/dev/null 2>&1 || die "docker not found (apt-get install -y docker.io)"
docker info >/dev/null 2>&1 || die "no Docker engine answers (start it: dockerd >/tmp/dockerd.log 2>&1 &)"
if [ -z "$base" ]; then
  if docker image inspect inetkit-jre:17 >/dev/null 2>&1; then base=inetkit-jre:17; else base=eclipse-temurin:17-jre; fi
fi

# --- 1. the jars ------------------------------------------------------------------------------------
# The jars of the modules the command list names (the list the launchers and the program's Main read).
list="$root/common/src/main/resources/io/inetkit/common/cli/commands"
[ -f "$list" ] || die "the command list $list is missing"
modules=()
for m in $(awk '!/^[[:space:]]*(#|$)/ && !seen[$2]++ { print $2 }' "$list"); do
  [ -d "$root/$m/src/main/java" ] || die "the command list names module '$m', which has no sources under $root"
  modules+=("$m")
done
[ ${#modules[@]} -gt 0 ] || die "the command list $list names no command"
stale=()
for m in "${modules[@]}"; do
  jar="$root/$m/target/inetkit-$m.jar"
  # a jar is stale when any pom or main source of the project is newer (coarser than the launcher's check,
  # which follows each module's dependencies: an image build is rare and wants every jar current)
  if [ ! -f "$jar" ] || [ -n "$(find "$root/pom.xml" "$root"/*/pom.xml "$root"/*/src/main -newer "$jar" -type f -print -quit 2>/dev/null)" ]; then
    stale+=("$m")
  fi
done
if [ ${#stale[@]} -gt 0 ]; then
  list_csv="$(IFS=,; echo "${stale[*]}")"
  echo "build-image: building $list_csv (jar missing or older than its sources) ..." >&2
  (cd "$root" && ./mvnw -B -q -DskipTests -pl "$list_csv" -am package >&2) || die "the build of $list_csv failed (see above)"
fi

# --- 2. the build context ---------------------------------------------------------------------------
rm -rf "${here:?}/lib"
mkdir -p "$here/lib/probe"
for m in "${modules[@]}"; do
  cp "$root/$m/target/inetkit-$m.jar" "$here/lib/"
done
cp "$list" "$here/lib/commands"
cp "$here/jvm-options.sh" "$here/lib/jvm-options.sh"
javac="$(command -v javac || true)"
[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && javac="$JAVA_HOME/bin/javac"
[ -n "$javac" ] || die "javac not found (a JDK 17+ builds the health probe)"
"$javac" --release 17 -d "$here/lib/probe" "$here/probe/HealthProbe.java"
chmod 0755 "$here/inetkit"
chmod -R a+rX "$here/lib"

# --- 3. the image -----------------------------------------------------------------------------------
echo "build-image: building $tag on $base with ${modules[*]}" >&2
start=$(date +%s)
# (docker.io has no buildx: the CLI falls back to the legacy builder, which is all this needs); the context is docker/, filtered by docker/.dockerignore
previous="$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)"
docker build -q --build-arg "BASE_IMAGE=$base" -t "$tag" "$here" >/dev/null \
  || die "docker build failed (is $base a local image? offline, run docker/build-base-image.sh first)"
# the image this one replaces, unless a container still uses it
if [ -n "$previous" ] && [ "$previous" != "$(docker image inspect -f '{{.Id}}' "$tag")" ]; then
  docker rmi "$previous" >/dev/null 2>&1 || true
fi
size="$(docker image inspect -f '{{.Size}}' "$tag")"
echo "build-image: built $tag ($((size / 1000000)) MB) in $(( $(date +%s) - start )) s" >&2
