#!/usr/bin/env bash
# failures-last.sh COMMAND...: runs COMMAND with its output as it comes, and
# when it fails, repeats the failed tests' lines at the end, where a CI log's
# tail shows them (a suite's log is thousands of lines of request logs).
set -uo pipefail
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
  echo "---- failed: $* (exit $status); the failures, again:"
  grep -aE '✘|: error:|Fatal error|[Cc]rashed|exited with signal|unexpected signal' "$log" | grep -av 'Test run with' | tail -40
fi
exit "$status"
