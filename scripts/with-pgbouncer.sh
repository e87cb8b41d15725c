#!/usr/bin/env bash
# Runs a command with PgBouncer (Debian) in transaction mode in front of
# the PostgreSQL that CLEANSTATION_TEST_POSTGRES_URL names (with-postgres.sh
# provides it), pool sizes as the deployment guide sets them
# (max_client_conn 100, default_pool_size 25); the command sees the
# bouncer's address in CLEANSTATION_TEST_POSTGRES_URL, and
# CLEANSTATION_TEST_PGBOUNCER=1 (the tests then run without prepared
# statements, as DATABASE_PREPARED_STATEMENTS=off).
# Usage: with-postgres.sh with-pgbouncer.sh CMD...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/pg.sh"
: "${CLEANSTATION_TEST_POSTGRES_URL:?run under scripts/with-postgres.sh}"
need pgbouncer pgbouncer
pgbouncer=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)

target_port=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.urlparse(sys.argv[1]).port)' "$CLEANSTATION_TEST_POSTGRES_URL")
dir=$(scratch_dir pgbouncer)
port=$(free_port)
cat >"$dir/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$target_port
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $dir/users.txt
pool_mode = transaction
max_client_conn = 100
default_pool_size = 25
ignore_startup_parameters = extra_float_digits
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
echo '"postgres" ""' >"$dir/users.txt"
[ "$(id -u)" = 0 ] && chown -R postgres: "$dir"
cleanup() {
    [ -f "$dir/pgbouncer.pid" ] && kill "$(cat "$dir/pgbouncer.pid")" 2>/dev/null || true
    rm -rf "$dir"
}
trap cleanup EXIT
as_pg "$pgbouncer" -d "$dir/pgbouncer.ini"
for _ in $(seq 100); do
    python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$port" 2>/dev/null && break
    sleep 0.05
done
export CLEANSTATION_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
# PgBouncer before 1.21 keeps no named prepared statements in transaction mode (ADR 019).
export CLEANSTATION_TEST_PGBOUNCER=1
echo "with-pgbouncer: PgBouncer $("$pgbouncer" --version | head -1 | awk '{print $2}') in transaction mode on 127.0.0.1:$port" >&2
"$@"
