#!/usr/bin/env bash
# Builds a small Java base image from this machine's JDK, for machines that cannot pull
# eclipse-temurin:17-jre (no registry reachable). The image holds:
#   /opt/java        a jlink runtime of the host JDK (the modules inetkit's programs use, with a CDS archive)
#   /usr/lib/...     the glibc and other shared libraries that runtime links, found with ldd
#   libpcap          libpcap.so.0.8 and its libraries (the sniffer captures through it)
#   /usr/bin/busybox a shell and the usual tools (sh, wget, ip, ...), from busybox-static
# packed into a tar and `docker import`ed. It is about 60 MB and builds in seconds.
#
#   docker/build-base-image.sh [IMAGE]       default IMAGE: inetkit-jre:17
#
# Needs: a JDK 17+ with jmods (JAVA_HOME, or the one `javac` belongs to), busybox-static, libpcap0.8,
# a running Docker engine. On Debian/Ubuntu: apt-get install -y busybox-static libpcap0.8
# Then build the inetkit image on it: docker/build-image.sh (it picks this image up by itself).
set -euo pipefail

image="${1:-inetkit-jre:17}"
modules="java.base,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,jdk.crypto.ec,jdk.httpserver,jdk.jfr,jdk.management,jdk.naming.dns,jdk.net,jdk.sctp,jdk.unsupported,jdk.zipfs"

die() { echo "build-base-image: $*" >&2; exit 1; }

# --- what it needs ----------------------------------------------------------------------------------
find_jdk() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  command -v javac >/dev/null 2>&1 && candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  for c in /usr/lib/jvm/*; do candidates+=("$c"); done
  local j
  for j in "${candidates[@]}"; do
    if [ ! -x "$j/bin/jlink" ] || [ ! -f "$j/jmods/java.base.jmod" ]; then continue; fi
    local v
    v="$("$j/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
    [ -n "$v" ] && [ "${v%%.*}" -ge 17 ] 2>/dev/null && { echo "$j"; return 0; }
  done
  return 1
}
jdk="$(find_jdk)" || die "no JDK 17+ with jmods found (set JAVA_HOME; on Debian: apt-get install -y openjdk-17-jdk-headless)"
busybox="$(command -v busybox || true)"
[ -n "$busybox" ] || die "busybox not found: apt-get install -y busybox-static"
pcap=""
for candidate in /usr/lib/x86_64-linux-gnu/libpcap.so.0.8 /lib/x86_64-linux-gnu/libpcap.so.0.8 /usr/lib/*/libpcap.so.0.8; do
  [ -f "$candidate" ] && { pcap="$candidate"; break; }
done
[ -n "$pcap" ] || die "libpcap.so.0.8 not found: apt-get install -y libpcap0.8"
docker info >/dev/null 2>&1 || die "no Docker engine answers (start it: dockerd >/tmp/dockerd.log 2>&1 &)"

start=$(date +%s)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root"/usr/{bin,sbin,lib,lib64} "$root"/{etc,tmp,root,opt,home,proc,sys,dev,run,var/tmp}
# the usr-merged layout of Debian 12, so that libraries land where ldd saw them
ln -s usr/bin "$root/bin"; ln -s usr/sbin "$root/sbin"; ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"
chmod 1777 "$root/tmp" "$root/var/tmp"
chmod 700 "$root/root"

# --- the Java runtime -------------------------------------------------------------------------------
echo "build-base-image: jlink runtime from $jdk ($modules)" >&2
"$jdk/bin/jlink" --module-path "$jdk/jmods" --add-modules "$modules" \
  --strip-debug --no-man-pages --no-header-files --compress=2 --generate-cds-archive \
  --output "$root/opt/java" >/dev/null
# the archive for heaps over 32 GB (no compressed oops) is 11 MB that a container of this toolkit never uses
rm -f "$root/opt/java/lib/server/classes_nocoops.jsa"
# symbols are another 4 MB of libjvm.so; strip them where binutils is installed
if command -v strip >/dev/null 2>&1; then
  find "$root/opt/java" -name '*.so' -exec strip --strip-unneeded {} +
fi
# Debian's JDK links its trust store into /etc; keep the runtime self-contained
if [ -L "$root/opt/java/lib/security/cacerts" ]; then
  cp --remove-destination -L "$root/opt/java/lib/security/cacerts" "$root/opt/java/lib/security/cacerts" 2>/dev/null \
    || rm -f "$root/opt/java/lib/security/cacerts"
fi

# --- shared libraries: everything the runtime and libpcap link, plus glibc's usual set ---------------
copy_lib() { # copy a library to the same path in the image, following symlinks
  local path="$1"
  case "$path" in "$root"/*) return 0 ;; esac   # the runtime's own libraries, already in place
  [ -e "$root$path" ] && return 0
  mkdir -p "$root$(dirname "$path")"
  cp -L "$path" "$root$path"
}
libs_of() { { ldd "$1" 2>/dev/null || true; } | awk '/=>/ && $3 ~ /^\// {print $3} /^\t\// {print $1}'; }
{
  find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 | while IFS= read -r -d '' f; do libs_of "$f"; done
  libs_of "$pcap"
  echo "$pcap"
  libs_of "$busybox"   # nothing for busybox-static; the libraries of a dynamic busybox
  # glibc's compatibility libraries that natives extracted at run time name (Netty's epoll/io_uring: libdl, librt)
  for l in libc.so.6 libm.so.6 libdl.so.2 librt.so.1 libpthread.so.0 libresolv.so.2 libutil.so.1 libgcc_s.so.1; do
    ls /lib/x86_64-linux-gnu/$l 2>/dev/null || true
  done
} | sort -u | while read -r lib; do copy_lib "$lib"; done
ln -sf libpcap.so.0.8 "$root$(dirname "$pcap")/libpcap.so"   # what JNA asks for when pcap4j loads "pcap"
[ -e "$root/lib64/ld-linux-x86-64.so.2" ] || die "the dynamic loader was not collected (ldd output unexpected)"

# --- busybox ----------------------------------------------------------------------------------------
cp -L "$busybox" "$root/usr/bin/busybox"
"$busybox" --list-full | while read -r applet; do
  case "$applet" in */busybox) continue ;; esac
  target="$root/${applet}"
  # usr-merge: bin/x and usr/bin/x are the same file
  [ -e "$target" ] || [ -L "$target" ] || ln -s /usr/bin/busybox "$target"
done

# --- /etc -------------------------------------------------------------------------------------------
cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
printf 'hosts: files dns\nnetworks: files\npasswd: files\ngroup: files\n' >"$root/etc/nsswitch.conf"
printf 'NAME="inetkit Java base (jlink runtime + busybox)"\nID=inetkit-jre\n' >"$root/etc/os-release"
: >"$root/etc/hosts"; : >"$root/etc/resolv.conf"; : >"$root/etc/hostname"

# --- pack and import --------------------------------------------------------------------------------
java_version="$("$root/opt/java/bin/java" -version 2>&1 | head -1 | sed 's/.*"\(.*\)".*/\1/')"
previous="$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)"
tar --numeric-owner --owner=0 --group=0 -C "$root" -cf "$work/rootfs.tar" .
docker import \
  --change 'ENV JAVA_HOME=/opt/java' \
  --change 'ENV PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change "LABEL org.opencontainers.image.title=\"inetkit-jre\" org.opencontainers.image.description=\"jlink Java $java_version runtime, glibc, libpcap, busybox\"" \
  --change 'CMD ["/bin/sh"]' \
  "$work/rootfs.tar" "$image" >/dev/null

# --- it runs ----------------------------------------------------------------------------------------
# the image this one replaces, unless a container or another image still uses it
if [ -n "$previous" ] && [ "$previous" != "$(docker image inspect -f '{{.Id}}' "$image")" ]; then
  docker rmi "$previous" >/dev/null 2>&1 || true
fi
docker run --rm "$image" java -version >/dev/null 2>&1 || die "$image was built but java -version fails in it"
size="$(docker image inspect -f '{{.Size}}' "$image")"
echo "build-base-image: built $image (Java $java_version, $((size / 1000000)) MB) in $(( $(date +%s) - start )) s" >&2
