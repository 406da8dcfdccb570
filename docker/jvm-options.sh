# inetkit's JVM options for one run: sourced (POSIX sh) by every launcher, the repository's ./inetkit and the
# installed one (docker/inetkit: the image, the Debian package, the tarball). After
#
#   inetkit_jvm_options COMMAND JAR JAVA
#
# $INETKIT_JVM_OPTS holds the options (words without blanks), for `java $INETKIT_JVM_OPTS -jar JAR ...`.
#
# Start-up (bench/startup.sh measures it; BENCHMARKS.md, "Start-up"):
# - One-shot commands (everything but server and load) run with the quick compiler alone, the serial GC and
#   no perf-data file: one request or round trip is over before C2, G1's threads or jstat would pay off.
# - Class data of the command's jar, made by the JVM itself on the first run of a one-shot command and used by
#   every later run, one file per jar and runtime in $INETKIT_CACHE (default ~/.cache/inetkit; INETKIT_CDS=off
#   disables it):
#     Java 19+     a dynamic AppCDS archive, -XX:+AutoCreateSharedArchive (the JVM remakes a stale one);
#     Java 17-18   a dynamic AppCDS archive, -XX:ArchiveClassesAtExit on the first run, used after;
#     Java 25+ with INETKIT_AOT=on: an AOT cache instead (JEP 483/514/515: classes loaded and linked, method
#                  profiles), -XX:AOTCacheOutput on the first run, -XX:AOTCache after. Not the default: the JVM
#                  prints "AOTConfiguration recorded" and its child's lines into the recording run's output,
#                  and -Xlog cannot silence them; the program's output must stay the program's.
#   A first run writes to a name of its own (NAME.PID.tmp) and a later run adopts the file once that process
#   is gone, so that two first runs never write one file. The JVM checks an archive against the jar (size and
#   time) and its own build, and ignores one that does not match (-Xshare:auto); the file name carries both.
#   The server and load generator use an archive when one is there, and never make one: their exit is theirs.
inetkit_jvm_options() {
  _cmd="$1" _jar="$2" _java="$3"
  INETKIT_JVM_OPTS=""
  case "$_cmd" in
    server|load) _oneshot="" ;;
    *) _oneshot=1 ; INETKIT_JVM_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData" ;;
  esac
  [ "${INETKIT_CDS:-on}" = off ] && return 0
  _cache="${INETKIT_CACHE:-${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/inetkit}"
  { mkdir -p "$_cache" 2>/dev/null && [ -w "$_cache" ]; } || return 0
  _real="$(readlink -f "$_java" 2>/dev/null || echo "$_java")"
  _home="${_real%/bin/java}"
  _feature="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$_home/release" 2>/dev/null)"
  case "$_feature" in ''|*[!0-9]*) return 0 ;; esac
  _libjvm="$_home/lib/server/libjvm.so"
  _runtime="$(printf '%s %s' "$_real" "$(stat -c %s.%Y "$_libjvm" 2>/dev/null)" | cksum | cut -d' ' -f1)"
  _name="$_cache/$(basename "$_jar" .jar)-$(stat -c %s.%Y "$_jar" 2>/dev/null)-java$_feature-$_runtime"
  _aot=""
  [ "$_feature" -ge 25 ] && [ "${INETKIT_AOT:-off}" = on ] && _aot=1
  if [ -n "$_aot" ]; then _file="$_name.aot"; else _file="$_name.jsa"; fi
  # a finished first run's file: the first one found becomes the archive; any other is dropped
  for _tmp in "$_file".*.tmp; do
    [ -f "$_tmp" ] || continue
    _pid="${_tmp%.tmp}"; _pid="${_pid##*.}"
    kill -0 "$_pid" 2>/dev/null && continue
    if [ -f "$_file" ] || ! mv "$_tmp" "$_file" 2>/dev/null; then rm -f "$_tmp"; fi
  done
  _quiet="-Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off"
  if [ -n "$_aot" ]; then
    if [ -f "$_file" ]; then
      INETKIT_JVM_OPTS="$INETKIT_JVM_OPTS -XX:AOTCache=$_file -Xlog:aot=off -Xlog:cds=off"
    elif [ -n "$_oneshot" ]; then
      INETKIT_JVM_OPTS="$INETKIT_JVM_OPTS -XX:AOTCacheOutput=$_file.$$.tmp -Xlog:aot=off -Xlog:cds=off"
    fi
  elif [ "$_feature" -ge 19 ] && [ -n "$_oneshot" ]; then
    INETKIT_JVM_OPTS="$INETKIT_JVM_OPTS -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$_file $_quiet"
  elif [ -f "$_file" ]; then
    INETKIT_JVM_OPTS="$INETKIT_JVM_OPTS -XX:SharedArchiveFile=$_file $_quiet"
  elif [ -n "$_oneshot" ]; then
    INETKIT_JVM_OPTS="$INETKIT_JVM_OPTS -XX:ArchiveClassesAtExit=$_file.$$.tmp $_quiet"
  fi
}
