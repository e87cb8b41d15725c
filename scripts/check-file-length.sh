#!/usr/bin/env bash
# Files with one reason to change (issue 19): a Swift file over 400 lines
# must say at its top, within its first 15 lines, why it is one file:
# a line with "One file:" and the reason. Prints the files that do not.
set -euo pipefail
cd "$(dirname "$0")/.."
limit=400
status=0
while IFS= read -r file; do
    lines=$(wc -l <"$file")
    if [ "$lines" -gt "$limit" ] && ! head -n 15 "$file" | grep -q "One file:"; then
        echo "$file: $lines lines, over $limit, and no \"One file:\" reason at its top" >&2
        status=1
    fi
done < <(find Sources Tests Benchmarks -name '*.swift' | sort)
exit $status
