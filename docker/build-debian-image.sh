#!/usr/bin/env bash
# Builds a plain Debian 12 image with a Java runtime, for the package test (DebPackageIT): the machine
# `dpkg -i inetkit_VERSION_all.deb` is tried on. No registry is needed: mmdebstrap makes the root file system
# from Debian's package archive (the host's apt sources), and `docker import` makes it an image. It holds
#   openjdk-17-jre-headless   the runtime the package depends on (default-jre-headless | java17-runtime-headless)
#   man-db                    man -w inetkit-server
#   systemd                   systemd-analyze verify of the installed unit (systemd does not run as PID 1)
#   bash-completion zsh       the shells whose completion directories the package fills
# It takes a few minutes (mostly downloads) and is about 450 MB; LocalImages builds it once per machine.
#
#   docker/build-debian-image.sh [IMAGE]     default IMAGE: inetkit-debian:12
#
# Needs: mmdebstrap (apt-get install -y mmdebstrap), a running Docker engine, root.
set -euo pipefail

image="${1:-inetkit-debian:12}"
packages="openjdk-17-jre-headless,man-db,systemd,bash-completion,zsh"

die() { echo "build-debian-image: $*" >&2; exit 1; }
command -v mmdebstrap >/dev/null 2>&1 || die "mmdebstrap not found: apt-get install -y mmdebstrap"
docker info >/dev/null 2>&1 || die "no Docker engine answers (start it: dockerd >/tmp/dockerd.log 2>&1 &)"

start=$(date +%s)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "build-debian-image: mmdebstrap bookworm with $packages" >&2
# man-db's cache and the docs are what `man -w` and the test read: keep the default (non-minimal) dpkg filters
mmdebstrap --variant=apt --include="$packages" bookworm "$work/rootfs.tar" >"$work/mmdebstrap.log" 2>&1 \
  || { tail -20 "$work/mmdebstrap.log" >&2; die "mmdebstrap failed"; }
previous="$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)"
docker import \
  --change 'ENV LANG=C.UTF-8' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'LABEL org.opencontainers.image.title="inetkit-debian" org.opencontainers.image.description="Debian 12 with openjdk-17-jre-headless, man-db, systemd, bash-completion, zsh"' \
  --change 'CMD ["/bin/bash"]' \
  "$work/rootfs.tar" "$image" >/dev/null
if [ -n "$previous" ] && [ "$previous" != "$(docker image inspect -f '{{.Id}}' "$image")" ]; then
  docker rmi "$previous" >/dev/null 2>&1 || true
fi
docker run --rm "$image" java -version >/dev/null 2>&1 || die "$image was built but java -version fails in it"
size="$(docker image inspect -f '{{.Size}}' "$image")"
echo "build-debian-image: built $image ($((size / 1000000)) MB) in $(( $(date +%s) - start )) s" >&2
