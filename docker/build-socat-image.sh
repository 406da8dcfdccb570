#!/usr/bin/env bash
# Builds the socat image the container tests need, from this machine's socat, for machines that cannot pull
# alpine/socat. Testcontainers' DockerComposeContainer.withExposedService reaches a compose service
# through a socat "ambassador" container (entrypoint /bin/sh, then `socat TCP-LISTEN:... TCP:...`); the
# tests name this image through socat.container.image (integration-tests' testcontainers.properties).
#
#   docker/build-socat-image.sh [IMAGE]       default IMAGE: inetkit-socat:1
#
# Needs socat and busybox-static (apt-get install -y socat busybox-static) and a running Docker engine.
set -euo pipefail

image="${1:-inetkit-socat:1}"
die() { echo "build-socat-image: $*" >&2; exit 1; }

socat="$(command -v socat || true)"
[ -n "$socat" ] || die "socat not found: apt-get install -y socat"
busybox="$(command -v busybox || true)"
[ -n "$busybox" ] || die "busybox not found: apt-get install -y busybox-static"
docker info >/dev/null 2>&1 || die "no Docker engine answers (start it: dockerd >/tmp/dockerd.log 2>&1 &)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root"/usr/{bin,lib,lib64} "$root"/{etc,tmp}
ln -s usr/bin "$root/bin"; ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"
chmod 1777 "$root/tmp"

cp -L "$socat" "$root/usr/bin/socat"
cp -L "$busybox" "$root/usr/bin/busybox"
# the shared libraries both link (none for busybox-static), at the paths ldd names
for bin in "$socat" "$busybox"; do
  { ldd "$bin" 2>/dev/null || true; } | awk '/=>/ && $3 ~ /^\// {print $3} /^\t\// {print $1}'
done | sort -u | while read -r lib; do
  mkdir -p "$root$(dirname "$lib")"
  [ -e "$root$lib" ] || cp -L "$lib" "$root$lib"
done
ln -s busybox "$root/usr/bin/sh"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"

previous="$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)"
tar --numeric-owner --owner=0 --group=0 -C "$root" -cf "$work/rootfs.tar" .
docker import --change 'ENTRYPOINT ["/bin/sh"]' "$work/rootfs.tar" "$image" >/dev/null
# the image this one replaces, unless a container or another image still uses it
if [ -n "$previous" ] && [ "$previous" != "$(docker image inspect -f '{{.Id}}' "$image")" ]; then
  docker rmi "$previous" >/dev/null 2>&1 || true
fi
docker run --rm "$image" -c 'socat -V' >/dev/null 2>&1 || die "$image was built but socat does not run in it"
echo "build-socat-image: built $image ($(( $(docker image inspect -f '{{.Size}}' "$image") / 1000000 )) MB)" >&2
