#!/usr/bin/env bash
# Builds the inetkit image from the jars Maven builds:
#   1. builds the program jars (./mvnw package) when one is missing or older than its sources;
#   2. stages them, the in-image launcher and the health probe into docker/lib/ (the build context is docker/);
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
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

command -v docker >/dev/null 2>&1 || die "docker not found (apt-get install -y docker.io)"
docker info >/dev/null 2>&1 || die "no Docker engine answers (start it: dockerd >/tmp/dockerd.log 2>&1 &)"
if [ -z "$base" ]; then
  if docker image inspect inetkit-jre:17 >/dev/null 2>&1; then base=inetkit-jre:17; else base=eclipse-temurin:17-jre; fi
fi

# --- 1. the jars ------------------------------------------------------------------------------------
# A program module is in the image once it has sources (modules whose command is not written yet are skipped).
modules=()
for m in server client sniffer http; do
  [ -d "$root/$m/src/main/java" ] && modules+=("$m")
done
[ ${#modules[@]} -gt 0 ] || die "no program module has sources under $root"
stale=()
for m in "${modules[@]}"; do
  jar="$root/$m/target/inetkit-$m.jar"
  dirs=("$root/pom.xml" "$root/common/pom.xml" "$root/common/src" "$root/$m/pom.xml" "$root/$m/src")
  # the server mounts the HTTP echo listener of the http module
  [ "$m" = server ] && [ -d "$root/http/src" ] && dirs+=("$root/http/pom.xml" "$root/http/src")
  if [ ! -f "$jar" ] || [ -n "$(find "${dirs[@]}" -newer "$jar" -type f -print -quit 2>/dev/null)" ]; then
    stale+=("$m")
  fi
done
if [ ${#stale[@]} -gt 0 ]; then
  list="$(IFS=,; echo "${stale[*]}")"
  echo "build-image: building $list (jar missing or older than its sources) ..." >&2
  (cd "$root" && ./mvnw -B -q -DskipTests -pl "$list" -am package >&2) || die "the build of $list failed (see above)"
fi

# --- 2. the build context ---------------------------------------------------------------------------
rm -rf "${here:?}/lib"
mkdir -p "$here/lib/probe"
for m in "${modules[@]}"; do
  cp "$root/$m/target/inetkit-$m.jar" "$here/lib/"
done
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
