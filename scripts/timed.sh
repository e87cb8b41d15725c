#!/usr/bin/env bash
# timed.sh NAME COMMAND...: runs one step of `make test` and prints how long it
# took, so that a CI log shows where its minutes go (CI must stay under 30).
# With TIMINGS=FILE the line is also appended there.
set -uo pipefail
name=$1
shift
start=$(date +%s)
"$@"
status=$?
line="timing: $name took $(($(date +%s) - start)) s (exit $status)"
echo "$line" >&2
[ -z "${TIMINGS:-}" ] || echo "$line" >>"$TIMINGS"
exit "$status"
