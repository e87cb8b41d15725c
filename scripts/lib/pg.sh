# Shared by the rehearsal scripts: throw-away PostgreSQL 15 clusters on
# loopback, free ports, and waiting for HTTP readiness. Source it.

PG_BIN=/usr/lib/postgresql/15/bin

# Installs a Debian package when its command is absent: need CMD PACKAGE.
need() {
    command -v "$1" >/dev/null 2>&1 && return 0
    [ -x "$PG_BIN/$1" ] && return 0
    echo "installing $2 from Debian" >&2
    export DEBIAN_FRONTEND=noninteractive
    # One installer at a time: `make test` runs lanes side by side.
    flock /tmp/cleanstation-apt.lock sh -c "apt-get update -qq >/dev/null && apt-get install -y -qq '$2' >/dev/null"
}

# Runs a command as the owner of the clusters (PostgreSQL refuses root).
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# A scratch directory the cluster owner may write: scratch_dir NAME.
scratch_dir() {
    local dir
    dir=$(mktemp -d "/tmp/cleanstation-$1.XXXXXX")
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    echo "$dir"
}

# pg_init DATADIR: a new cluster, trusting loopback (replication included).
pg_init() {
    need initdb postgresql-15
    as_pg "$PG_BIN/initdb" -D "$1" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
}

# pg_start DATADIR PORT [extra postgres options]
pg_start() {
    local data=$1 port=$2
    shift 2
    as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$data/../$(basename "$data").log" -w -t 60 \
        -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 $*" start >/dev/null
}

pg_stop() {
    as_pg "$PG_BIN/pg_ctl" -D "$1" -m "${2:-fast}" -w stop >/dev/null 2>&1 || true
}

# psql_at PORT SQL: one value, unaligned.
psql_at() {
    as_pg psql -h 127.0.0.1 -p "$1" -U postgres -d postgres -XAtqc "$2"
}

# two_roles PORT DATABASE: the deployment's two roles (ADR 009) on the
# cluster at PORT: cleanstation_owner owns DATABASE (created when absent) and
# runs the migrations (OWNER_URL, given as DATABASE_MIGRATION_URL to
# `migrate_as_owner` only, never to a serving instance); cleanstation_app is
# what the instances connect as (DATABASE_URL, exported), granted by
# `cleanstation migrate`.
two_roles() {
    psql_at "$1" "DO \$\$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cleanstation_owner') THEN CREATE ROLE cleanstation_owner LOGIN; END IF;
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cleanstation_app') THEN CREATE ROLE cleanstation_app LOGIN; END IF;
    END \$\$" >/dev/null
    if [ "$(psql_at "$1" "SELECT count(*) FROM pg_database WHERE datname = '$2'")" = 0 ]; then
        psql_at "$1" "CREATE DATABASE $2 OWNER cleanstation_owner" >/dev/null
    else
        psql_at "$1" "ALTER DATABASE $2 OWNER TO cleanstation_owner" >/dev/null
        as_pg psql -h 127.0.0.1 -p "$1" -U postgres -d "$2" -XAtqc "ALTER SCHEMA public OWNER TO cleanstation_owner" >/dev/null
    fi
    OWNER_URL="postgres://cleanstation_owner@127.0.0.1:$1/$2?sslmode=disable"
    export DATABASE_URL="postgres://cleanstation_app@127.0.0.1:$1/$2?sslmode=disable"
}

# migrate_as_owner [ARGS]: `cleanstation migrate` as the schema's owner (two_roles).
migrate_as_owner() {
    LOG_LEVEL=warning DATABASE_MIGRATION_URL="$OWNER_URL" "$(cleanstation_bin)" migrate "$@"
}

# wait_for URL SECONDS [STATUS]: polls until the URL answers 200 (or STATUS).
wait_for() {
    local url=$1 seconds=$2 want=${3:-200} deadline
    deadline=$(($(date +%s) + seconds))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$url" 2>/dev/null)" = "$want" ] && return 0
        sleep 0.2
    done
    echo "timed out after ${seconds}s waiting for $url" >&2
    return 1
}

# The binary under test: CLEANSTATION_BIN, or the debug build.
cleanstation_bin() {
    echo "${CLEANSTATION_BIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.build/debug/cleanstation}"
}

# instance_env DIR: what every rehearsal gives its CleanStation instances: an
# unused SQLite path, documents and the audit file in DIR, warnings only,
# and one pair of JWT keys, one encryption key and one audit signing key that all instances share,
# as in production. Exports the variables.
instance_env() {
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1/jwt.pem" 2>/dev/null
    openssl pkey -in "$1/jwt.pem" -pubout -out "$1/jwt.pub" 2>/dev/null
    export SQLITE_PATH="$1/unused.sqlite" DOCUMENTS_DIR="$1/documents" AUDIT_LOG_PATH="$1/audit.log" LOG_LEVEL=warning
    export JWT_PRIVATE_KEY_FILE="$1/jwt.pem" JWT_PUBLIC_KEY_FILE="$1/jwt.pub"
    ENCRYPTION_KEY=$(openssl rand -base64 32)
    AUDIT_SIGNING_KEY=$(openssl rand -base64 32)
    export ENCRYPTION_KEY AUDIT_SIGNING_KEY
}

# throwaway_database NAME [postgres options]: a scratch directory ($dir), a
# cluster on a free port ($pg_port) holding an empty `cleanstation` database
# (DATABASE_URL exported) and the settings of instance_env. On exit, stops
# the process in $server when the caller set one, then the cluster, and
# removes $dir.
throwaway_database() {
    dir=$(scratch_dir "$1")
    shift
    pg_port=$(free_port)
    server=""
    trap throwaway_database_cleanup EXIT
    pg_init "$dir/db"
    pg_start "$dir/db" "$pg_port" "$@"
    two_roles "$pg_port" cleanstation
    instance_env "$dir"
}

throwaway_database_cleanup() {
    if [ -n "${server:-}" ]; then
        kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
    fi
    pg_stop "$dir/db" fast
    rm -rf "$dir"
}
