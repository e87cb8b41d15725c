#!/usr/bin/env bash
# Disaster-recovery drill (ops.md: RTO 4 h, RPO 1 h), with real processes on
# loopback:
#  1. a PostgreSQL 15 primary archiving its WAL, CleanStation serving on it;
#  2. `cleanstation backup` taken while orders are being written, restored
#     into an empty database and verified (`cleanstation restore`);
#  3. a base backup, more writes, the chosen recovery time T, more writes;
#  4. the primary is lost; a new cluster is restored from the base backup
#     and the WAL archive to T (point-in-time recovery);
#  5. `cleanstation audit verify` on it; every order and audit entry
#     committed before T is there, none after.
# Prints the measured recovery time and the data lost (must be none).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/pg.sh"
source "$here/lib/instance.sh"
bin=$(cleanstation_bin)
api="$here/lib/api.py"
load_seconds=${DR_LOAD_SECONDS:-4}

dir=$(scratch_dir dr)
mkdir "$dir/archive"
[ "$(id -u)" = 0 ] && chown postgres: "$dir/archive"
cleanup() {
    stop_instances
    pg_stop "$dir/primary" immediate
    pg_stop "$dir/recovered" immediate
    rm -rf "$dir"
}
trap cleanup EXIT

primary_port=$(free_port)
pg_init "$dir/primary"
pg_start "$dir/primary" "$primary_port" \
    "-c wal_level=replica -c archive_mode=on -c archive_command='test ! -f $dir/archive/%f && cp %p $dir/archive/%f' -c max_wal_senders=4"
psql_at "$primary_port" "CREATE DATABASE cleanstation" >/dev/null
psql_at "$primary_port" "CREATE DATABASE restored" >/dev/null
url_of() { echo "postgres://postgres@127.0.0.1:$1/$2?sslmode=disable"; }
sql_at() { as_pg psql -h 127.0.0.1 -p "$1" -U postgres -d "$2" -XAtqc "$3"; }

# The deployment's two roles (ADR 009) on both databases: the restore runs as the owner.
two_roles "$primary_port" restored
restored_env=("DATABASE_MIGRATION_URL=$OWNER_URL" "DATABASE_URL=$DATABASE_URL")
two_roles "$primary_port" cleanstation
instance_env "$dir"
migrate_as_owner >/dev/null
echo "DR-Drill-Test-42!" | "$bin" user create --email coordinator@drill.test --role PRODUCTION_COORDINATOR \
    --full-name "Drill Coordinator" --initials DC --password-stdin >/dev/null
port=$(free_port)
url="http://127.0.0.1:$port"
start_instance "$port" "$dir/server.log"
token=$(python3 "$api" "$url" login coordinator@drill.test "DR-Drill-Test-42!")
echo "1. primary on $primary_port archiving WAL to $dir/archive; CleanStation on $port"

# 2. A logical backup while orders are written; restored and verified.
python3 "$api" "$url" load "$token" "$load_seconds" "$dir/load-backup.json" --writes &
load=$!
for _ in $(seq 200); do
    [ "$(sql_at "$primary_port" cleanstation "SELECT count(*) FROM orders")" -ge 20 ] && break
    sleep 0.05
done
"$bin" backup "$dir/cleanstation.dump"
wait $load
env "${restored_env[@]}" "$bin" restore "$dir/cleanstation.dump"
echo "2. logical backup under load, restored and verified: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["statuses"])' "$dir/load-backup.json")"

# 3. Base backup, writes, the recovery target, more writes.
as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$dir/base" -X stream -c fast
python3 "$api" "$url" load "$token" "$load_seconds" "$dir/load-a.json" --writes
orders_at_t=$(sql_at "$primary_port" cleanstation "SELECT count(*) FROM orders")
audit_at_t=$(sql_at "$primary_port" cleanstation "SELECT seq FROM audit_head")
target=$(sql_at "$primary_port" cleanstation "SELECT clock_timestamp()")
python3 "$api" "$url" load "$token" "$load_seconds" "$dir/load-b.json" --writes
orders_after=$(sql_at "$primary_port" cleanstation "SELECT count(*) FROM orders")
audit_after=$(sql_at "$primary_port" cleanstation "SELECT seq FROM audit_head")
[ "$orders_after" -gt "$orders_at_t" ] || { echo "no writes after the target time" >&2; exit 1; }
segment=$(sql_at "$primary_port" postgres "SELECT pg_walfile_name(pg_switch_wal())")
for _ in $(seq 200); do
    [ -f "$dir/archive/$segment" ] && break
    sleep 0.05
done
[ -f "$dir/archive/$segment" ] || { echo "WAL segment $segment was not archived" >&2; exit 1; }
echo "3. target T=$target: $orders_at_t orders, audit head $audit_at_t; then $orders_after orders, audit head $audit_after"

# 4. The primary is lost; recover a new cluster to T.
stop_instance "$port" || true
pg_stop "$dir/primary" immediate
started=$(date +%s.%N)
cp -a "$dir/base" "$dir/recovered"
cat >>"$dir/recovered/postgresql.auto.conf" <<CONF
restore_command = 'cp $dir/archive/%f %p'
recovery_target_time = '$target'
recovery_target_action = 'promote'
archive_mode = off
CONF
as_pg touch "$dir/recovered/recovery.signal"
recovered_port=$(free_port)
pg_start "$dir/recovered" "$recovered_port"
for _ in $(seq 1200); do
    [ "$(sql_at "$recovered_port" postgres 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ] && break
    sleep 0.05
done
[ "$(sql_at "$recovered_port" postgres 'SELECT pg_is_in_recovery()')" = f ] || { echo "recovery did not finish" >&2; exit 1; }
finished=$(date +%s.%N)
recovery_seconds=$(python3 -c "print(f'{$finished - $started:.1f}')")

# 5. Verify.
orders=$(sql_at "$recovered_port" cleanstation "SELECT count(*) FROM orders")
audit=$(sql_at "$recovered_port" cleanstation "SELECT seq FROM audit_head")
# The checkpoints taken after T are ahead of the recovered chain: verify
# says what was lost and no new checkpoint is written over it, until the
# operator, having checked the chain on its own, accepts the restore.
recovered=$(url_of "$recovered_port" cleanstation)
if DATABASE_URL=$recovered "$bin" audit verify >"$dir/verify.txt" 2>&1; then
    echo "audit verify did not notice the entries after T" >&2
    exit 1
fi
grep -q "entries were removed from the end" "$dir/verify.txt" || { cat "$dir/verify.txt" >&2; exit 1; }
echo "   audit verify against the checkpoints: $(tail -n 1 "$dir/verify.txt")"
if DATABASE_URL=$recovered "$bin" audit checkpoint >"$dir/checkpoint.txt" 2>&1; then
    echo "a checkpoint was written over the lost entries" >&2
    exit 1
fi
DATABASE_URL=$recovered "$bin" audit verify --no-checkpoint
DATABASE_URL=$recovered "$bin" audit checkpoint --accept-restore
DATABASE_URL=$recovered "$bin" audit verify
lost_orders=$((orders_at_t - orders))
lost_entries=$((audit_at_t - audit))
echo "4. recovered to T in ${recovery_seconds}s: $orders orders, audit head $audit"
echo "5. lost before T: $lost_orders orders, $lost_entries audit entries; excluded after T: $((orders_after - orders)) orders"
[ "$orders" = "$orders_at_t" ] && [ "$audit" = "$audit_at_t" ] || { echo "the recovered database does not match T" >&2; exit 1; }
echo "dr drill: passed (recovery time ${recovery_seconds}s, data lost before T: none)"
