#!/usr/bin/env bash
# Builds the Prometheus image of the compose demo's `prometheus` profile from Debian's prometheus package,
# the way build-base-image.sh builds the Java base image: no registry, no Dockerfile. The image holds
#   /usr/bin/prometheus   from Debian's package (the one apt has: the cached .deb, else apt-get download)
#   /usr/lib/...          the libraries it links (ldd)
#   /usr/bin/busybox      a shell and wget, from busybox-static (for a look inside, and health checks)
#   /prometheus           its data directory, writable by the user it runs as (nobody)
# The configuration is the demo's docker/prometheus/prometheus.yml, mounted by compose.yaml.
#
#   docker/build-prometheus-image.sh [IMAGE]     default IMAGE: inetkit-prometheus:2
#
# Needs: apt (Debian/Ubuntu), busybox-static, a running Docker engine.
set -euo pipefail

image="${1:-inetkit-prometheus:2}"
die() { echo "build-prometheus-image: $*" >&2; exit 1; }
busybox="$(command -v busybox || true)"
[ -n "$busybox" ] || die "busybox not found: apt-get install -y busybox-static"
docker info >/dev/null 2>&1 || die "no Docker engine answers (start it: dockerd >/tmp/dockerd.log 2>&1 &)"

start=$(date +%s)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# --- Debian's package, unpacked (not installed: the host runs no Prometheus for this) -----------------
deb="$(ls -t /var/cache/apt/archives/prometheus_*.deb 2>/dev/null | head -1 || true)"
if [ -z "$deb" ]; then
  (cd "$work" && apt-get download prometheus >&2) || die "apt-get download prometheus failed (apt-get update first?)"
  deb="$(ls "$work"/prometheus_*.deb | head -1)"
fi
dpkg-deb -x "$deb" "$work/pkg"
[ -x "$work/pkg/usr/bin/prometheus" ] || die "$deb has no usr/bin/prometheus"
version="$(dpkg-deb -f "$deb" Version)"

root="$work/rootfs"
mkdir -p "$root"/usr/{bin,sbin,lib,lib64} "$root"/{etc/prometheus,tmp,prometheus,proc,sys,dev}
ln -s usr/bin "$root/bin"; ln -s usr/sbin "$root/sbin"; ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"
chmod 1777 "$root/tmp"
chmod 0777 "$root/prometheus"
cp "$work/pkg/usr/bin/prometheus" "$root/usr/bin/prometheus"
[ -d "$work/pkg/usr/share/prometheus" ] && mkdir -p "$root/usr/share" && cp -r "$work/pkg/usr/share/prometheus" "$root/usr/share/"

# --- the libraries it links ---------------------------------------------------------------------------
{ ldd "$root/usr/bin/prometheus" 2>/dev/null || true; } | awk '/=>/ && $3 ~ /^\// {print $3} /^\t\// {print $1}' \
  | sort -u | while read -r lib; do
      mkdir -p "$root$(dirname "$lib")"
      cp -L "$lib" "$root$lib"
    done

# --- busybox, /etc --------------------------------------------------------------------------------------
cp -L "$busybox" "$root/usr/bin/busybox"
"$busybox" --list-full | while read -r applet; do
  case "$applet" in */busybox) continue ;; esac
  [ -e "$root/$applet" ] || [ -L "$root/$applet" ] || ln -s /usr/bin/busybox "$root/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
: >"$root/etc/hosts"; : >"$root/etc/resolv.conf"

previous="$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)"
tar --numeric-owner --owner=0 --group=0 -C "$root" -cf "$work/rootfs.tar" .
docker import \
  --change 'USER 65534:65534' \
  --change 'WORKDIR /prometheus' \
  --change 'EXPOSE 9090' \
  --change "LABEL org.opencontainers.image.title=\"inetkit-prometheus\" org.opencontainers.image.description=\"Prometheus $version from Debian's package, busybox\"" \
  --change 'ENTRYPOINT ["/usr/bin/prometheus"]' \
  --change 'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]' \
  "$work/rootfs.tar" "$image" >/dev/null
if [ -n "$previous" ] && [ "$previous" != "$(docker image inspect -f '{{.Id}}' "$image")" ]; then
  docker rmi "$previous" >/dev/null 2>&1 || true
fi
docker run --rm --entrypoint /usr/bin/prometheus "$image" --version >/dev/null 2>&1 \
  || die "$image was built but prometheus --version fails in it"
size="$(docker image inspect -f '{{.Size}}' "$image")"
echo "build-prometheus-image: built $image (Prometheus $version, $((size / 1000000)) MB) in $(( $(date +%s) - start )) s" >&2
