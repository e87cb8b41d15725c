#!/usr/bin/env bash
# Side by side, release builds: /api/health on SQLite and on PostgreSQL
# against a bare Vapor hello-world (wrk, 50 connections, ROUNDS rounds of
# SECONDS each, alternating), then /api/health one request at a time on
# SQLite while a 24 MiB upload is sent again and again. The figures of
# BENCHMARKS.md "Every core, with SQLite too".
# Usage: bench-cores.sh [ROUNDS] [SECONDS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/pg.sh"
rounds=${1:-3}
seconds=${2:-8}
bin=${CLEANSTATION_BIN:-$here/../.build/release/cleanstation}
hello_bin=$(dirname "$bin")/HelloVapor
[ -x "$bin" ] && [ -x "$hello_bin" ] || {
    echo "build them first: swift build -c release --product cleanstation && swift build -c release --product HelloVapor" >&2
    exit 1
}
need wrk wrk

throwaway_database cores
migrate_as_owner >/dev/null
pids=()
stop_all() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; throwaway_database_cleanup; }
trap stop_all EXIT

pg_port_http=$(free_port)
"$bin" serve --port "$pg_port_http" >"$dir/pg.log" 2>&1 &
pids+=($!)
mkdir -p "$dir/sqlite"
sqlite_port=$(free_port)
env -u DATABASE_URL SQLITE_PATH="$dir/sqlite/cs.sqlite" DOCUMENTS_DIR="$dir/sqlite/documents" AUDIT_LOG_PATH="$dir/sqlite/audit.log" \
    "$bin" demo >"$dir/sqlite-demo.txt"
env -u DATABASE_URL SQLITE_PATH="$dir/sqlite/cs.sqlite" DOCUMENTS_DIR="$dir/sqlite/documents" AUDIT_LOG_PATH="$dir/sqlite/audit.log" \
    "$bin" serve --port "$sqlite_port" >"$dir/sqlite.log" 2>&1 &
pids+=($!)
hello_port=$(free_port)
"$hello_bin" serve --port "$hello_port" --log warning >"$dir/hello.log" 2>&1 &
pids+=($!)
for port in "$pg_port_http" "$sqlite_port" "$hello_port"; do wait_for "http://127.0.0.1:$port/api/health" 60; done

rate() { wrk -t2 -c50 -d"${seconds}s" "http://127.0.0.1:$1/api/health" | awk '/Requests\/sec/ {printf "%.0f", $2}'; }
declare -A totals=([hello]=0 [sqlite]=0 [postgres]=0)
for round in $(seq "$rounds"); do
    for target in hello sqlite postgres; do
        case $target in hello) port=$hello_port ;; sqlite) port=$sqlite_port ;; postgres) port=$pg_port_http ;; esac
        value=$(rate "$port")
        totals[$target]=$((totals[$target] + value))
        echo "round $round $target: $value requests/s"
    done
done
for target in hello sqlite postgres; do
    mean=$((totals[$target] / rounds))
    echo "$target mean: $mean requests/s ($((100 * mean / (totals[hello] / rounds))) % of the hello-world)"
done

# Health while uploads run, on SQLite: one connection, so every answer's latency is the server's.
email=$(awk '/PRODUCTION_COORDINATOR/ {print $2}' "$dir/sqlite-demo.txt")
password=$(awk '/PRODUCTION_COORDINATOR/ {print $3}' "$dir/sqlite-demo.txt")
base="http://127.0.0.1:$sqlite_port"
token=$(python3 "$here/lib/api.py" "$base" login "$email" "$password")
order=$(python3 "$here/lib/api.py" "$base" get "$token" "/api/v1/orders?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
python3 -c 'import sys; sys.stdout.buffer.write(b"%PDF-1.7\n" + b"0" * (24 * 1048576 - 20) + b"\n%%EOF\n")' >"$dir/big.pdf"
idle=$(wrk -t1 -c1 -d"${seconds}s" --latency "$base/api/health" | awk '/ 50%| 99%/ {printf "%s %s  ", $1, $2} /Latency +[0-9]/ {printf "max %s  ", $4}')
deadline=$(($(date +%s) + seconds + 2))
(
    while [ "$(date +%s)" -lt "$deadline" ]; do
        curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $token" -F kind=DRAWING \
            -F "file=@$dir/big.pdf;type=application/pdf" "$base/api/v1/orders/$order/documents" >>"$dir/uploads.txt"
    done
) &
uploader=$!
sleep 1
busy=$(wrk -t1 -c1 -d"${seconds}s" --latency "$base/api/health" | awk '/ 50%| 99%/ {printf "%s %s  ", $1, $2} /Latency +[0-9]/ {printf "max %s  ", $4}')
wait "$uploader"
echo "SQLite /api/health, one connection, idle:            $idle"
echo "SQLite /api/health, one connection, 24 MiB uploads: $busy"
echo "uploads meanwhile (status: count): $(sort "$dir/uploads.txt" | uniq -c | awk '{printf "%s: %s  ", $2, $1}')"
