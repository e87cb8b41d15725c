#!/usr/bin/env bash
# One request at a time: the mean latency of each hot request, with wrk on
# one connection for SECONDS each (default 4), against a release build on a
# throw-away PostgreSQL 15 holding ORDERS demo orders (default 5000). These
# are the per-request figures of BENCHMARKS.md: no queueing, only the work
# and the round trips of one request.
# Usage: bench-requests.sh [ORDERS] [SECONDS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/pg.sh"
orders=${1:-5000}
seconds=${2:-4}
bin=${CLEANSTATION_BIN:-$here/../.build/release/cleanstation}
[ -x "$bin" ] || { echo "build it first: swift build -c release --product cleanstation" >&2; exit 1; }
need wrk wrk

throwaway_database requests "-c shared_buffers=256MB"
port=$(free_port)
migrate_as_owner >/dev/null
"$bin" demo --orders "$orders" >"$dir/demo.txt"
as_pg psql -h 127.0.0.1 -p "$pg_port" -U postgres -d cleanstation -XAtqc "VACUUM ANALYZE" >/dev/null
"$bin" serve --port "$port" >"$dir/server.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
wait_for "$base/api/health" 60
email=$(awk '/PRODUCTION_COORDINATOR/ {print $2}' "$dir/demo.txt")
password=$(awk '/PRODUCTION_COORDINATOR/ {print $3}' "$dir/demo.txt")
token=$(python3 "$here/lib/api.py" "$base" login "$email" "$password")
order=$(python3 "$here/lib/api.py" "$base" get "$token" "/api/v1/orders?status=PARTS_SENT&limit=1" |
    python3 -c 'import json,sys; item=json.load(sys.stdin)["items"][0]; print(item["id"], item["buildNumbers"][0])')
read -r order_id build <<<"$order"

# The database's share, from the instance's own query histogram: queries and
# time in PostgreSQL per request (the rest is the server's own work).
queries() {
    curl -s "$base/metrics" | awk '/^postgresql_query_duration_seconds_(sum|count)\{database="primary"\}/ {printf "%s ", $2}'
}
printf '%-60s %8s %9s %9s %9s\n' request bytes "mean ms" queries "db ms"
for path in /api/health "/api/v1/orders?status=PARTS_SENT&limit=20&page=3" "/api/v1/orders?q=lakeside&limit=20" \
    "/api/v1/orders/$order_id" "/api/v1/orders/$order_id/builds/$build/bom" \
    "/api/v1/orders/$order_id/builds/$build/checklists/pre-qc"; do
    bytes=$(curl -s -H "Authorization: Bearer $token" "$base$path" | wc -c)
    read -r sum_before count_before <<<"$(queries)"
    report=$(wrk -t1 -c1 -d"${seconds}s" -H "Authorization: Bearer $token" "$base$path")
    read -r sum_after count_after <<<"$(queries)"
    requests=$(awk '/requests in/ {print $1}' <<<"$report")
    mean=$(awk '/Latency/ {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; printf "%.2f", v}' <<<"$report")
    python3 - "${path/$order_id/{id\}}" "$bytes" "$mean" "$requests" "$sum_before" "$sum_after" "$count_before" "$count_after" <<'PY'
import sys
path, size, mean, requests, s0, s1, c0, c1 = sys.argv[1:]
n = max(int(requests), 1)
print("%-60s %8s %9s %9.1f %9.2f" % (path, size, mean, (float(c1) - float(c0)) / n, (float(s1) - float(s0)) * 1000 / n))
PY
done
