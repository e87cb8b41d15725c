#!/usr/bin/env bash
# Three CleanStation instances behind nginx on loopback, sharing one
# PostgreSQL 15 and nothing else, with no sticky sessions:
#  1. the `mixed` scenario with USERS virtual users (each from its own
#     address, passed on by nginx in X-Forwarded-For) must end with 0 errors,
#     although consecutive requests of one user land on different instances
#     (sessions and notifications are shared through PostgreSQL);
#  2. five failed sign-ins spread over the instances lock the account on all
#     of them (the lockout counter is shared);
#  3. a catalogue import through one instance reaches the others' snapshots
#     (LISTEN/NOTIFY), seen in each instance's catalogue search.
# Usage: rehearse-multi-instance.sh [ORDERS] [USERS] [SECONDS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/pg.sh"
source "$here/lib/nginx.sh"
source "$here/lib/instance.sh"
orders=${1:-2000}
users=${2:-100}
seconds=${3:-30}
bin=$(cleanstation_bin)
api="$here/lib/api.py"

dir=$(scratch_dir multi)
cleanup() {
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
export TRUSTED_PROXIES=127.0.0.1 DATABASE_POOL_SIZE=8
migrate_as_owner >/dev/null
"$bin" demo --orders "$orders" --load-users "$users" >"$dir/demo.txt"
python3 - "$dir/demo.txt" "$dir/accounts.json" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
password = next(line.split(": ", 1)[1] for line in lines if line.startswith("load users' password"))
emails = [line.strip() for line in lines if line.strip().endswith("@load.torvan.test")]
json.dump([{"email": email, "password": password} for email in emails], open(sys.argv[2], "w"))
PY

ports=("$(free_port)" "$(free_port)" "$(free_port)")
for port in "${ports[@]}"; do start_instance "$port" "$dir/instance-$port.log"; done
nginx_port=$(free_port)
nginx_setup "$dir/nginx" "$nginx_port"
upstream "${ports[@]}"
nginx_start
url="http://127.0.0.1:$nginx_port"
wait_for "$url/api/ready" 30

# 1. Virtual users through nginx, round-robin over the three instances.
"$here/loadtest.sh" --url "$url" --scenario mixed --users "$users" --duration "$seconds" --accounts "$dir/accounts.json" >"$dir/mixed.json"
served=$(for port in "${ports[@]}"; do curl -s "http://127.0.0.1:$port/metrics" | awk '/^http_requests_total\{/ {sum += $2} END {printf "%d ", sum}'; done)
python3 - "$dir/mixed.json" "$served" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
served = [int(n) for n in sys.argv[2].split()]
print("1. mixed through nginx: %d requests, %d errors, p50 %s ms, p99 %s ms; per instance %s; sign-ins %d, %d errors"
      % (result["requests"], result["errors"], result["latency_ms"]["p50"], result["latency_ms"]["p99"], served,
         result["sign_ins"]["requests"], result["sign_ins"]["errors"]))
# Every request counts: while the users start and finish too.
phases = [result, result["sign_ins"], result["warm_up"], result["wind_down"]]
assert all(phase["errors"] == 0 for phase in phases), (result["statuses"], [phase["errors"] for phase in phases])
assert all(n > sum(phase["requests"] for phase in phases) / 10 for n in served), "every instance served its share"
PY

# 2. Failed sign-ins on different instances count together.
email=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["email"])' "$dir/accounts.json")
for attempt in 0 1 2 3 4; do
    port=${ports[$((attempt % 3))]}
    curl -s -o /dev/null -H 'Content-Type: application/json' -d "{\"email\":\"$email\",\"password\":\"Wrong-Password-1!\"}" \
        "http://127.0.0.1:$port/api/v1/auth/login"
done
locked=""
for port in "${ports[@]}"; do
    locked+="$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
        -d "{\"email\":\"$email\",\"password\":\"Wrong-Password-1!\"}" "http://127.0.0.1:$port/api/v1/auth/login") "
done
echo "2. five failed sign-ins over three instances; the next one on each instance answers: $locked"
[ "$locked" = "429 429 429 " ]

# 3. A catalogue import through one instance reaches the other two.
echo "Multi-Instance-42!x" | "$bin" user create --email admin@multi.test --role ADMIN --full-name "Multi Admin" --initials MA \
    --password-stdin >/dev/null
token=$(python3 "$api" "http://127.0.0.1:${ports[0]}" login admin@multi.test "Multi-Instance-42!x")
curl -fsS -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"parts": {"parts": {"T2-MULTI-TEST": {"name": "Multi-instance test part"}}}, "assemblies": {"assemblies": {}}, "categories": {"categories": {}}}' \
    "http://127.0.0.1:${ports[0]}/api/v1/catalog/import"
seen=""
for port in "${ports[@]:1}"; do
    for _ in $(seq 100); do
        curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/catalog/items/T2-MULTI-TEST" | grep -q T2-MULTI-TEST && break
        sleep 0.05
    done
    seen+="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/catalog/items/T2-MULTI-TEST") "
done
echo "3. an import through instance 1; the new item on instances 2 and 3: $seen"
[ "$seen" = "200 200 " ]
echo "multi-instance rehearsal: passed"
