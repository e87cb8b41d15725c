#!/usr/bin/env bash
# lanes.sh NAME=COMMAND …: runs the commands side by side, each with its
# output in a log of its own, then prints every log whole, in the order
# given, and exits non-zero when any failed, naming it and repeating its
# failures at the end (where a CI log's tail shows them). Interrupted (INT,
# TERM: a cancelled or timed-out CI run), it stops every lane's processes and
# prints the logs as they stand.
# `make test` runs the browser suite beside the rehearsals: both spend most
# of their time waiting on a browser or on processes they started, so side
# by side they take about the time of the longer one (CI must stay under 30
# minutes). Each starts its own PostgreSQL clusters and servers on free
# ports; the test tools are installed before (scripts/test-tools.sh).
set -uo pipefail
set -m # each lane in a process group of its own, so that it can be stopped whole
dir=$(mktemp -d /tmp/cleanstation-lanes.XXXXXX)
trap 'rm -rf "$dir"' EXIT
names=()
pids=()

show() {
    for name in "${names[@]}"; do
        echo "==== lane $name"
        cat "$dir/$name.log"
    done
}

stop() {
    for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
    wait
    show
    echo "---- interrupted: every lane stopped"
    exit 130
}
trap stop INT TERM

for lane in "$@"; do
    name=${lane%%=*}
    names+=("$name")
    bash -c "${lane#*=}" >"$dir/$name.log" 2>&1 &
    pids+=($!)
done
failed=()
for index in "${!pids[@]}"; do
    wait "${pids[$index]}" || failed+=("${names[$index]}")
done
show
[ ${#failed[@]} -eq 0 ] && exit 0
echo "---- failed lanes: ${failed[*]}; their failures, again:"
for name in "${failed[@]}"; do
    grep -aE '✘|: error:|Fatal error|[Cc]rashed|^FAIL|^ERROR|Error:|Exception|AssertionError|failed|exit [1-9]' "$dir/$name.log" \
        | grep -av 'Test run with' | tail -40
done
exit 1
