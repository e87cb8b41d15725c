#!/usr/bin/env bash
# Robustness rehearsals with real processes on loopback (bounded in count and
# time), against a throw-away PostgreSQL 15:
#   crash      kill -9 in the middle of order creations and status changes,
#              restart: no partial order, no history without its audit
#              entry, `audit verify` exits 0, every acknowledged write present;
#   db-restart PostgreSQL restarted under load: requests fail fast (503)
#              while it is away, /api/ready tracks it, the service recovers;
#   limits     oversize and malformed bodies (413, 422), slow clients
#              (slowloris), a flood of sign-ins (429): memory stays bounded
#              and another user is served throughout.
# Usage: robustness.sh [crash|db-restart|limits]...   (all three by default)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/pg.sh"
bin=$(cleanstation_bin)
api="$here/lib/api.py"
checks=("$@")
[ ${#checks[@]} -gt 0 ] || checks=(crash db-restart limits)

dir=$(scratch_dir robustness)
server=""
cleanup() {
    [ -n "$server" ] && kill -9 "$server" 2>/dev/null || true
    pg_stop "$dir/db" immediate
    rm -rf "$dir"
}
trap cleanup EXIT
pg_port=$(free_port)
pg_init "$dir/db"
pg_start "$dir/db" "$pg_port" "-c max_connections=100"
two_roles "$pg_port" postgres
instance_env "$dir"
migrate_as_owner >/dev/null
for who in coordinator:PRODUCTION_COORDINATOR other:PRODUCTION_COORDINATOR admin:ADMIN; do
    echo "Robust-Test-42!x" | "$bin" user create --email "${who%%:*}@robust.test" --role "${who##*:}" \
        --full-name "Robust ${who%%:*}" --initials RB --password-stdin >/dev/null
done
port=$(free_port)
url="http://127.0.0.1:$port"
start_server() {
    "$bin" serve --port "$port" >>"$dir/server.log" 2>&1 &
    server=$!
    wait_for "$url/api/ready" 60
}
start_server
token=$(python3 "$api" "$url" login coordinator@robust.test "Robust-Test-42!x")
sql() { psql_at "$pg_port" "$1"; }

crash() {
    # Writers: order creations (api.py load --writes) and status changes of those orders.
    python3 "$api" "$url" load "$token" 30 "$dir/crash-load.json" --writes &
    local load=$!
    local admin_token
    admin_token=$(python3 "$api" "$url" login admin@robust.test "Robust-Test-42!x")
    python3 - "$url" "$admin_token" "$dir/crash-moves.json" "$here/lib" <<'PY' &
import json, sys, time
base, token, out, library = sys.argv[1:]
sys.path.insert(0, library)
from api import call
moved, deadline = [], time.monotonic() + 30
while time.monotonic() < deadline and len(moved) < 5000:
    try:
        status, page = call(base + "/api/v1/orders?status=ORDER_CREATED&limit=5", token=token, timeout=5)
        for order in (page or {}).get("items", []) if status == 200 else []:
            status, _ = call(base + "/api/v1/orders/%s/status" % order["id"], "POST", token, {"status": "CANCELLED", "note": "robustness"}, timeout=5)
            if status == 200:
                moved.append(order["id"])
    except Exception:
        break
    json.dump(moved, open(out, "w"))
PY
    local mover=$!
    for _ in $(seq 400); do
        [ "$(sql "SELECT count(*) FROM orders")" -ge 30 ] && [ "$(sql "SELECT count(*) FROM order_history WHERE from_status IS NOT NULL")" -ge 5 ] && break
        sleep 0.05
    done
    kill -9 "$server"
    wait "$server" 2>/dev/null || true
    wait $load || true
    wait $mover || true
    start_server
    local broken acknowledged missing moved_missing
    broken=$(sql "SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM builds b WHERE b.order_id = o.id)
        OR NOT EXISTS (SELECT 1 FROM order_history h WHERE h.order_id = o.id)
        OR NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.resource_type = 'order' AND a.resource_id = o.id::text AND a.action = 'CREATE')")
    # Every status change in the history has its audit entry.
    local changes audited
    changes=$(sql "SELECT count(*) FROM order_history WHERE from_status IS NOT NULL")
    audited=$(sql "SELECT count(*) FROM audit_log WHERE resource_type = 'order' AND action = 'UPDATE' AND new_value LIKE '%\"status\"%'")
    sql "SELECT po_number FROM orders" >"$dir/stored.txt"
    missing=$(python3 -c 'import json,sys; s=set(open(sys.argv[2]).read().split()); print(sum(p not in s for p in json.load(open(sys.argv[1]))["acknowledged"]))' "$dir/crash-load.json" "$dir/stored.txt")
    sql "SELECT id FROM orders WHERE status = 'CANCELLED'" >"$dir/cancelled.txt"
    moved_missing=$(python3 -c 'import json,sys; s=set(open(sys.argv[2]).read().split()); print(sum(i not in s for i in json.load(open(sys.argv[1]))))' "$dir/crash-moves.json" "$dir/cancelled.txt")
    "$bin" audit verify >/dev/null
    acknowledged=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["acknowledged"]))' "$dir/crash-load.json")
    echo "crash: killed -9 after $(sql "SELECT count(*) FROM orders") orders; partial orders: $broken; status changes $changes, audited $audited;" \
        "acknowledged creations missing: $missing of $acknowledged; acknowledged cancellations missing: $moved_missing; audit verify: ok"
    [ "$broken" = 0 ] && [ "$missing" = 0 ] && [ "$moved_missing" = 0 ] && [ "$changes" -le "$audited" ]
}

db_restart() {
    python3 "$api" "$url" load "$token" 25 "$dir/db-load.json" --writes &
    local load=$!
    pg_stop "$dir/db" fast
    local down_ready down_list started elapsed
    down_ready=$(curl -s -o /dev/null -w '%{http_code}' --max-time 15 "$url/api/ready")
    started=$(date +%s.%N)
    down_list=$(curl -s -o /dev/null -w '%{http_code}' --max-time 15 -H "Authorization: Bearer $token" "$url/api/v1/orders")
    elapsed=$(python3 -c "print(round($(date +%s.%N) - $started, 2))")
    pg_start "$dir/db" "$pg_port" "-c max_connections=100"
    wait_for "$url/api/ready" 60
    local up_list
    up_list=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$url/api/v1/orders")
    touch "$dir/db-load.json.stop"
    wait $load || true
    echo "db-restart: while down /api/ready=$down_ready, a list answered $down_list in ${elapsed}s; after restart ready, list=$up_list;" \
        "load statuses $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["statuses"])' "$dir/db-load.json")"
    [ "$down_ready" = 503 ] && [ "$down_list" = 503 ] && [ "$up_list" = 200 ] && python3 -c "import sys; sys.exit(0 if $elapsed < 12 else 1)"
}

limits() {
    local rss_before rss_after other_token
    other_token=$(python3 "$api" "$url" login other@robust.test "Robust-Test-42!x")
    rss_before=$(awk '/VmRSS/ {print $2}' "/proc/$server/status")
    # 1. A 2 MB body where 1 MB is the limit; broken JSON.
    local oversize malformed
    oversize=$(head -c 2097152 /dev/zero | tr '\0' 'a' | curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
        -H 'Content-Type: application/json' --data-binary @- "$url/api/v1/orders")
    malformed=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        --data-binary '{"poNumber": "x",' "$url/api/v1/orders")
    # 2. Slow clients: 200 connections that send headers a byte at a time, bounded to 20 s.
    python3 - "$port" <<'PY' &
import socket, sys, time
port = int(sys.argv[1])
sockets, deadline = [], time.monotonic() + 20
for _ in range(200):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=2)
        s.send(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n")
        sockets.append(s)
    except OSError:
        pass
while time.monotonic() < deadline:
    for s in list(sockets):
        try:
            s.send(b"X")
        except OSError:
            sockets.remove(s)
    time.sleep(1)
PY
    local slow=$!
    # 3. A flood of sign-ins from one address: refused with 429 once over the limit.
    local flood
    flood=$(python3 - "$url" <<'PY'
import json, sys, urllib.request, urllib.error
statuses = {}
for i in range(60):
    request = urllib.request.Request(sys.argv[1] + "/api/v1/auth/login", data=json.dumps({"email": "nobody%d@robust.test" % i, "password": "wrong-password-1A!"}).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    try:
        status = urllib.request.urlopen(request, timeout=10).status
    except urllib.error.HTTPError as error:
        status = error.code
    statuses[status] = statuses.get(status, 0) + 1
print(json.dumps(statuses))
PY
)
    # Meanwhile another user is served.
    local served=0
    for _ in $(seq 20); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "Authorization: Bearer $other_token" "$url/api/v1/orders?limit=5")" = 200 ] && served=$((served + 1))
    done
    kill $slow 2>/dev/null || true
    wait $slow 2>/dev/null || true
    rss_after=$(awk '/VmRSS/ {print $2}' "/proc/$server/status")
    echo "limits: oversize=$oversize malformed=$malformed sign-in flood=$flood; other user served $served/20 during 200 slow clients;" \
        "RSS $((rss_before / 1024)) MiB -> $((rss_after / 1024)) MiB"
    [ "$oversize" = 413 ] && [ "$malformed" = 422 ] && echo "$flood" | grep -q '"429"' && [ "$served" = 20 ] \
        && [ "$rss_after" -lt $((rss_before + 204800)) ]
}

for check in "${checks[@]}"; do
    case $check in
    crash) crash ;;
    db-restart) db_restart ;;
    limits) limits ;;
    *) echo "unknown check $check" >&2; exit 2 ;;
    esac
done
echo "robustness: passed (${checks[*]})"
