# Sourced by ./mvnw, ./pipedesk and .ci/run: make JAVA_HOME point at a JDK >= 25.
# Keeps a JAVA_HOME that is already new enough; otherwise looks in /usr/lib/jvm and
# ~/.sdkman/candidates/java. Prints a clear message and returns 1 when none is found.
pipedesk_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}
pipedesk_find_jdk() {
  _min=25
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    _v=$(pipedesk_java_major "$JAVA_HOME")
    if [ -n "$_v" ] && [ "$_v" -ge "$_min" ]; then return 0; fi
  fi
  _java=$(command -v java 2>/dev/null || true)
  if [ -n "$_java" ]; then
    _home=$(dirname "$(dirname "$(readlink -f "$_java")")")
    _v=$(pipedesk_java_major "$_home")
    if [ -n "$_v" ] && [ "$_v" -ge "$_min" ] && [ -x "$_home/bin/javac" ]; then
      JAVA_HOME=$_home; export JAVA_HOME; return 0
    fi
  fi
  case $- in *f*) set +f; _pd_noglob=1 ;; *) _pd_noglob= ;; esac
  _candidates=$(ls -d /usr/lib/jvm/* "${HOME:-/root}"/.sdkman/candidates/java/* 2>/dev/null || true)
  [ -z "$_pd_noglob" ] || set -f
  for _home in $_candidates; do
    [ -x "$_home/bin/javac" ] || continue
    _v=$(pipedesk_java_major "$_home")
    if [ -n "$_v" ] && [ "$_v" -ge "$_min" ]; then
      JAVA_HOME=$_home; export JAVA_HOME; return 0
    fi
  done
  echo "PipeDesk needs a JDK >= $_min (Lambda's java25 runtime) and found none." >&2
  echo "Install one (e.g. Temurin 25 under /usr/lib/jvm) or set JAVA_HOME to it." >&2
  return 1
}
pipedesk_find_jdk
