# Reduces Maven's batch-mode log to progress a newcomer can follow during ./pipedesk local's
# first build: one line per module ("[3/19] PipeDesk Lambda shells"), errors as Maven prints
# them, and the result. Input: `mvnw --batch-mode ...` without -q. Output is flushed per line.
/^\[INFO\] Building .* \[[0-9]+\/[0-9]+\]$/ {
  step = $0
  sub(/^.* \[/, "[", step)
  name = $0
  sub(/^\[INFO\] Building /, "", name)
  sub(/ +\[[0-9]+\/[0-9]+\]$/, "", name)
  sub(/ [0-9][^ ]*(-SNAPSHOT)?$/, "", name)
  sub(/ \(.*\)$/, "", name)
  printf "  %s %s\n", step, name
  fflush()
  next
}
/^\[ERROR\]/ || /^BUILD FAILURE/ || /^\[INFO\] BUILD FAILURE/ { print; fflush(); next }
/^\[INFO\] BUILD SUCCESS/ { print "  build finished"; fflush(); next }
