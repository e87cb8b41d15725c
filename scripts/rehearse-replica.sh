#!/usr/bin/env bash
# Rehearses the read replica (ops.md) with real processes on loopback: a
# primary PostgreSQL 15, a streaming replica made by `pg_basebackup -R`,
# and CleanStation with DATABASE_URL and DATABASE_READONLY_URL.
#  1. an order written through the API is listed through the replica;
#  2. the replica stops: lists still answer (from the primary) and
#     /api/ready says "degraded";
#  3. the replica comes back: /api/ready says "ready".
# Exits non-zero at the first step that does not hold.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/pg.sh"
source "$here/lib/instance.sh"
bin=$(cleanstation_bin)
api="$here/lib/api.py"

dir=$(scratch_dir replica)
cleanup() {
    stop_instances
    pg_stop "$dir/replica" immediate
    pg_stop "$dir/primary" immediate
    rm -rf "$dir"
}
trap cleanup EXIT

primary_port=$(free_port)
replica_port=$(free_port)
pg_init "$dir/primary"
pg_start "$dir/primary" "$primary_port" "-c wal_level=replica -c max_wal_senders=4 -c hot_standby=on"
as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$dir/replica" -R -X stream
pg_start "$dir/replica" "$replica_port"
[ "$(psql_at "$replica_port" 'SELECT pg_is_in_recovery()')" = t ] || { echo "the replica is not a standby" >&2; exit 1; }
echo "primary on $primary_port, streaming replica on $replica_port"

two_roles "$primary_port" postgres
export DATABASE_READONLY_URL="postgres://cleanstation_app@127.0.0.1:$replica_port/postgres?sslmode=disable"
instance_env "$dir"
migrate_as_owner >/dev/null
echo "Replica-Test-42!" | "$bin" user create --email coordinator@rehearsal.test --role PRODUCTION_COORDINATOR \
    --full-name "Rehearsal Coordinator" --initials RC --password-stdin >/dev/null
port=$(free_port)
url="http://127.0.0.1:$port"
start_instance "$port" "$dir/server.log"

token=$(python3 "$api" "$url" login coordinator@rehearsal.test "Replica-Test-42!")
python3 "$api" "$url" order "$token" PO-REPLICA-1 B-REPLICA-1 >/dev/null
# The replica applies the write within moments; bounded wait.
for _ in $(seq 100); do
    [ "$(psql_at "$replica_port" "SELECT count(*) FROM orders")" = 1 ] && break
    sleep 0.05
done
total=$(python3 "$api" "$url" get "$token" /api/v1/orders | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
replica_reads=$(curl -s "$url/metrics" | awk '/^postgresql_query_duration_seconds_count\{database="replica"\}/ {print $2}')
echo "1. list through the replica: total=$total, replica queries=$replica_reads"
[ "$total" = 1 ] && [ "${replica_reads:-0}" -gt 0 ]

pg_stop "$dir/replica" immediate
total=$(python3 "$api" "$url" get "$token" /api/v1/orders | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
ready=$(curl -s "$url/api/ready")
echo "2. replica stopped: list total=$total, ready=$ready"
[ "$total" = 1 ]
echo "$ready" | grep -q '"status":"degraded"'

pg_start "$dir/replica" "$replica_port"
wait_for "$url/api/ready" 30
ready=$(curl -s "$url/api/ready")
echo "3. replica back: ready=$ready"
echo "$ready" | grep -q '"status":"ready"'
echo "replica rehearsal: passed"
