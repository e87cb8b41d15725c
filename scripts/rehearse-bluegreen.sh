#!/usr/bin/env bash
# Rehearses zero-downtime releases (ops.md) with real processes on loopback:
# nginx in front of CleanStation instances sharing one PostgreSQL 15, under
# a continuous stream of reads and order creations.
#  1. blue-green: blue serves; green starts on the same database, becomes
#     ready, nginx switches its upstream with a reload, blue drains and stops;
#  2. rolling restart: three instances, each in turn taken out of the
#     upstream, stopped, started again and put back;
#  3. an instance stopped (SIGTERM) while it answers writes directly exits 0
#     and loses no acknowledged order.
# Reports requests sent and failed; zero failed is the bar.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/pg.sh"
source "$here/lib/nginx.sh"
source "$here/lib/instance.sh"
bin=$(cleanstation_bin)
api="$here/lib/api.py"

dir=$(scratch_dir bluegreen)
cleanup() {
    status=$?
    if [ "$status" != 0 ]; then
        echo "--- nginx errors" >&2
        tail -n 20 "$dir/nginx/logs/error.log" >&2 2>/dev/null || true
        for log in "$dir"/instance-*.log; do echo "--- $log" >&2; grep -v '^$' "$log" | head -n 30 >&2 || true; done
    fi
    touch "$dir/load.json.stop" 2>/dev/null || true
    stop_instances
    nginx_stop
    pg_stop "$dir/db" immediate
    rm -rf "$dir"
}
trap cleanup EXIT

pg_port=$(free_port)
pg_init "$dir/db"
pg_start "$dir/db" "$pg_port" "-c max_connections=100"
two_roles "$pg_port" postgres
instance_env "$dir"
export ENVIRONMENT=development DATABASE_POOL_SIZE=4
migrate_as_owner >/dev/null
echo "Blue-Green-Test-42!" | "$bin" user create --email coordinator@bluegreen.test --role PRODUCTION_COORDINATOR \
    --full-name "Release Coordinator" --initials RC --password-stdin >/dev/null

# start PORT: an instance, waited for until ready.
start() { start_instance "$1" "$dir/instance-$1.log"; }
# stop PORT: SIGTERM; the instance must finish what it holds and exit 0.
stop() {
    local status=0
    stop_instance "$1" || status=$?
    [ "$status" = 0 ] || { echo "instance $1 exited with status $status on SIGTERM" >&2; return 1; }
}

nginx_port=$(free_port)
nginx_setup "$dir/nginx" "$nginx_port"

blue=$(free_port)
start "$blue"
upstream "$blue"
nginx_start
url="http://127.0.0.1:$nginx_port"
wait_for "$url/api/ready" 30
token=$(python3 "$api" "$url" login coordinator@bluegreen.test "Blue-Green-Test-42!")
python3 "$api" "$url" load "$token" 600 "$dir/load.json" --writes &
load=$!
answered() { curl -s "http://127.0.0.1:$1/metrics" | awk '/^http_requests_total\{/ {sum += $2} END {print sum + 0}'; }

# 1. Blue-green: green on the same database, the switch, blue drained and stopped.
green=$(free_port)
start "$green"
upstream "$green"
reload
echo "1. blue-green: blue ($blue) answered $(answered "$blue") requests; traffic switched to green ($green)"
stop "$blue"

# 2. Rolling restart of three instances: each leaves the upstream, restarts, returns.
ports=("$green" "$(free_port)" "$(free_port)")
start "${ports[1]}"
start "${ports[2]}"
upstream "${ports[@]}"
reload
for port in "${ports[@]}"; do
    entries=()
    for other in "${ports[@]}"; do
        if [ "$other" = "$port" ]; then entries+=("$other:down"); else entries+=("$other"); fi
    done
    upstream "${entries[@]}"
    reload
    stop "$port"
    start "$port"
    upstream "${ports[@]}"
    reload
    echo "2. rolling restart: instance $port restarted"
done

touch "$dir/load.json.stop"
wait $load

# 3. SIGTERM while an instance is answering a stream of writes directly (as
#    when a load balancer deregisters a task late): it finishes the requests
#    it holds, exits 0, and every order it acknowledged is stored.
direct=$(free_port)
start "$direct"
python3 "$api" "http://127.0.0.1:$direct" load "$token" 60 "$dir/direct.json" --writes &
direct_load=$!
before=$(psql_at "$pg_port" "SELECT count(*) FROM orders")
for _ in $(seq 200); do
    [ "$(psql_at "$pg_port" "SELECT count(*) FROM orders")" -ge $((before + 10)) ] && break
    sleep 0.05
done
stop "$direct"
touch "$dir/direct.json.stop"
wait $direct_load
psql_at "$pg_port" "SELECT po_number FROM orders" >"$dir/stored.txt"
missing=$(python3 -c 'import json,sys; stored=set(open(sys.argv[2]).read().split()); print(sum(po not in stored for po in json.load(open(sys.argv[1]))["acknowledged"]))' "$dir/direct.json" "$dir/stored.txt")
echo "3. SIGTERM under direct load: exited 0; $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["acknowledged"]))' "$dir/direct.json") orders acknowledged, $missing missing"
[ "$missing" = 0 ] || { echo "acknowledged orders are missing" >&2; exit 1; }

result=$(cat "$dir/load.json")
sent=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["sent"])' "$result")
failed=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["failed"])' "$result")
acknowledged=$(python3 -c 'import json,sys; print(len(json.loads(sys.argv[1])["acknowledged"]))' "$result")
stored=$(psql_at "$pg_port" "SELECT count(*) FROM orders WHERE po_number LIKE '$(python3 -c 'import json,sys; a=json.loads(sys.argv[1])["acknowledged"]; print(a[0][:13] if a else "none")' "$result")%'")
echo "requests sent: $sent, failed: $failed, orders acknowledged: $acknowledged, orders stored: $stored"
[ "$failed" = 0 ] || { echo "$result" >&2; exit 1; }
[ "$acknowledged" = "$stored" ] || { echo "acknowledged and stored orders differ" >&2; exit 1; }
[ "$sent" -gt 50 ] || { echo "too few requests to mean anything" >&2; exit 1; }
echo "blue-green and rolling rehearsal: passed"
