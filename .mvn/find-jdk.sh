# Sourced (POSIX sh) by ./mvnw and ./conv4j: point JAVA_HOME at a JDK 25 or newer.
# Order: $JAVA_HOME, then the java on PATH, then /usr/lib/jvm/*. Stops with a
# message saying how to get one when none is found.
conv4j_java_major() {
  # prints the feature version of the java binary $1 (e.g. 25), or nothing
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}
conv4j_jdk_ok() {
  # $1 = a JDK home; true when it has java and javac of version 25 or newer
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  v=$(conv4j_java_major "$1/bin/java")
  [ -n "$v" ] && [ "$v" -ge 25 ]
}
conv4j_find_jdk() {
  if [ -n "${JAVA_HOME-}" ] && conv4j_jdk_ok "$JAVA_HOME"; then return 0; fi
  if command -v javac >/dev/null 2>&1; then
    h=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    if conv4j_jdk_ok "$h"; then JAVA_HOME=$h; export JAVA_HOME; return 0; fi
  fi
  case $- in *f*) noglob=1 ;; *) noglob= ;; esac
  set +f # mvnw runs with 'set -f'; the search below needs the glob
  for h in /usr/lib/jvm/*; do
    if conv4j_jdk_ok "$h"; then
      [ -z "$noglob" ] || set -f
      JAVA_HOME=$h; export JAVA_HOME; return 0
    fi
  done
  [ -z "$noglob" ] || set -f
  echo "conv4j needs JDK 25 or newer (with jdk.incubator.vector); found none in" >&2
  echo "  JAVA_HOME=${JAVA_HOME-<unset>}, on PATH, or under /usr/lib/jvm." >&2
  echo "Install one (e.g. Temurin 25 from https://adoptium.net, or 'apt-get install temurin-25-jdk'" >&2
  echo "from the Adoptium apt repository) and set JAVA_HOME to it." >&2
  exit 1
}
conv4j_find_jdk
