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
bin=$(cleanstation_bin)
api="$here/lib/api.py"
need nginx nginx

dir=$(scratch_dir bluegreen)
declare -A servers=()
nginx_up=""
cleanup() {
    status=$?
    if [ "$status" != 0 ]; then
        echo "--- nginx errors" >&2
        tail -n 20 "$dir/nginx/logs/error.log" >&2 2>/dev/null || true
        for log in "$dir"/instance-*.log; do echo "--- $log" >&2; grep -v '^$' "$log" | head -n 30 >&2 || true; done
    fi
    touch "$dir/load.json.stop" 2>/dev/null || true
    for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -n "$nginx_up" ] && nginx -p "$dir/nginx" -c nginx.conf -s stop 2>/dev/null || true
    pg_stop "$dir/db" immediate
    rm -rf "$dir"
}
trap cleanup EXIT

pg_port=$(free_port)
pg_init "$dir/db"
pg_start "$dir/db" "$pg_port" "-c max_connections=100"
export DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/postgres?sslmode=disable"
instance_env "$dir"
export ENVIRONMENT=development DATABASE_POOL_SIZE=4
"$bin" migrate >/dev/null
echo "Blue-Green-Test-42!" | "$bin" user create --email coordinator@bluegreen.test --role PRODUCTION_COORDINATOR \
    --full-name "Release Coordinator" --initials RC --password-stdin >/dev/null

# start PORT: an instance, waited for until ready.
start() {
    "$bin" serve --port "$1" >>"$dir/instance-$1.log" 2>&1 &
    servers[$1]=$!
    wait_for "http://127.0.0.1:$1/api/ready" 60
}
# stop PORT: SIGTERM; the instance must finish what it holds and exit 0.
stop() {
    local status=0
    kill -TERM "${servers[$1]}"
    wait "${servers[$1]}" || status=$?
    unset "servers[$1]"
    [ "$status" = 0 ] || { echo "instance $1 exited with status $status on SIGTERM" >&2; return 1; }
}

# nginx on loopback; the upstream block lives in its own file, rewritten by `upstream`.
mkdir -p "$dir/nginx/logs"
nginx_port=$(free_port)
cat >"$dir/nginx/nginx.conf" <<CONF
worker_processes 2;
pid nginx.pid;
error_log logs/error.log warn;
events { worker_connections 512; }
http {
    access_log off;
    client_body_temp_path tmp-body;
    proxy_temp_path tmp-proxy;
    fastcgi_temp_path tmp-fastcgi;
    uwsgi_temp_path tmp-uwsgi;
    scgi_temp_path tmp-scgi;
    include upstream.conf;
    server {
        listen 127.0.0.1:$nginx_port;
        location / {
            proxy_pass http://cleanstation;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
CONF
# upstream PORT[:down] ...: the instances nginx may send requests to.
upstream() {
    {
        echo "upstream cleanstation {"
        for entry in "$@"; do
            if [[ $entry == *:down ]]; then echo "    server 127.0.0.1:${entry%:down} down;"; else echo "    server 127.0.0.1:$entry max_fails=0;"; fi
        done
        echo "    keepalive 16;"
        echo "}"
    } >"$dir/nginx/upstream.conf"
}
# reload: new workers take the new upstream; returns once every old worker has
# finished its requests and exited, so that nothing is sent to a removed instance.
reload() {
    local master old
    master=$(cat "$dir/nginx/nginx.pid")
    old=$(pgrep -P "$master" | tr '\n' ' ')
    nginx -p "$dir/nginx" -c nginx.conf -s reload
    for _ in $(seq 400); do
        local alive=""
        for pid in $old; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ -z "$alive" ] && return 0
        sleep 0.05
    done
    echo "old nginx workers did not drain" >&2
    return 1
}

blue=$(free_port)
start "$blue"
upstream "$blue"
nginx -p "$dir/nginx" -c nginx.conf -t -q
nginx -p "$dir/nginx" -c nginx.conf
nginx_up=1
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
