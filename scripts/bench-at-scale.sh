#!/usr/bin/env bash
# The figures of BENCHMARKS.md at scale, on this machine: a release build
# against a throw-away PostgreSQL 15 holding ORDERS orders (default 100000),
# 200 load-test accounts, then
#   1. the generation time of the data;
#   2. EXPLAIN ANALYZE of the order list's hot queries (status filter, search);
#   3. /api/health with wrk (50 connections), and the same on a bare Vapor
#      hello-world (HelloVapor, built alike) when it is built;
#   4. `mixed` and `browse` with USERS virtual users (default 200, 1 s think time);
#   5. a sign-in storm (20 users, no think time);
#   6. peak resident memory and mean CPU of the instance over the run.
# Writes everything to OUT (default bench-results/) and prints a summary.
# Usage: bench-at-scale.sh [ORDERS] [USERS] [SECONDS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/pg.sh"
orders=${1:-100000}
users=${2:-200}
seconds=${3:-60}
bin=${CLEANSTATION_BIN:-$here/../.build/release/cleanstation}
[ -x "$bin" ] || { echo "build it first: swift build -c release --product cleanstation" >&2; exit 1; }
out=${OUT:-$here/../bench-results}
mkdir -p "$out"

throwaway_database bench "-c max_connections=100 -c shared_buffers=512MB -c work_mem=16MB -c synchronous_commit=on"
migrate_as_owner >/dev/null

echo "1. generating $orders orders and $users accounts" >&2
started=$(date +%s.%N)
"$bin" demo --orders "$orders" --load-users "$users" >"$dir/demo.txt"
generation=$(python3 -c "print(round($(date +%s.%N) - $started, 1))")
python3 - "$dir/demo.txt" "$dir/accounts.json" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
password = next(line.split(": ", 1)[1] for line in lines if line.startswith("load users' password"))
emails = [line.strip() for line in lines if line.strip().endswith("@load.torvan.test")]
json.dump([{"email": email, "password": password} for email in emails], open(sys.argv[2], "w"))
PY
# The generated data's write-back (700 MB) is not part of any measurement:
# a checkpoint and a sync before the first.
as_pg psql -h 127.0.0.1 -p "$pg_port" -U postgres -d cleanstation -XAtq -c "VACUUM ANALYZE" -c "CHECKPOINT" >/dev/null
sync
size=$(psql_at "$pg_port" "SELECT pg_size_pretty(pg_database_size('cleanstation'))")

echo "2. EXPLAIN ANALYZE of the list queries" >&2
explain() { as_pg psql -h 127.0.0.1 -p "$pg_port" -U postgres -d cleanstation -Xqc "EXPLAIN (ANALYZE, BUFFERS) $1"; }
{
    echo "-- status filter, newest first, page 3"
    explain "SELECT * FROM orders WHERE status = 'PARTS_SENT' ORDER BY created_at DESC, id LIMIT 20 OFFSET 40"
    echo "-- its count, capped at 1,000 past the page (listCountAhead)"
    explain "SELECT count(*) FROM (SELECT 1 FROM orders WHERE status = 'PARTS_SENT' LIMIT 1041) AS matches"
    echo "-- search"
    explain "SELECT * FROM orders WHERE search_text LIKE '%lakeside%' ORDER BY created_at DESC, id LIMIT 20"
    echo "-- its count, capped"
    explain "SELECT count(*) FROM (SELECT 1 FROM orders WHERE search_text LIKE '%lakeside%' LIMIT 1001) AS matches"
    echo "-- the same count uncapped, as before (a fifth of the orders match)"
    explain "SELECT count(*) FROM orders WHERE search_text LIKE '%lakeside%'"
    queue="SELECT orders.id, orders.po_number, orders.want_date FROM orders WHERE orders.status IN ('READY_FOR_PRE_QC') UNION ALL SELECT orders.id, orders.po_number, orders.want_date FROM orders WHERE orders.status_breakdown IS NOT NULL AND orders.status NOT IN ('READY_FOR_PRE_QC') AND EXISTS (SELECT 1 FROM builds WHERE builds.order_id = orders.id AND builds.status IN ('READY_FOR_PRE_QC'))"
    echo "-- a queue's page (issue 20: 25 a page, in want-date order), page 3: each part cut to the page's end off orders_status_want_date"
    explain "SELECT * FROM (SELECT orders.id, orders.po_number, orders.want_date FROM orders WHERE orders.status IN ('READY_FOR_PRE_QC') ORDER BY want_date, po_number, id LIMIT 76) AS together UNION ALL SELECT * FROM (SELECT orders.id, orders.po_number, orders.want_date FROM orders WHERE orders.status_breakdown IS NOT NULL AND orders.status NOT IN ('READY_FOR_PRE_QC') AND EXISTS (SELECT 1 FROM builds WHERE builds.order_id = orders.id AND builds.status IN ('READY_FOR_PRE_QC')) ORDER BY want_date, po_number, id LIMIT 76) AS apart ORDER BY want_date, po_number, id LIMIT 26 OFFSET 50"
    echo "-- its count, capped at 1,000 (\"1000+\")"
    explain "SELECT count(*) FROM ($queue LIMIT 1001) AS capped"
    echo "-- its overdue count"
    explain "SELECT count(*) FROM (SELECT 1 FROM orders WHERE status IN ('READY_FOR_PRE_QC') AND want_date < to_char(now(), 'YYYY-MM-DD') UNION ALL SELECT 1 FROM orders WHERE status_breakdown IS NOT NULL AND status NOT IN ('READY_FOR_PRE_QC') AND want_date < to_char(now(), 'YYYY-MM-DD') AND EXISTS (SELECT 1 FROM builds WHERE builds.order_id = orders.id AND builds.status IN ('READY_FOR_PRE_QC')) LIMIT 1001) AS capped"
    echo "-- the nonconformances of one order (the order's page and detail)"
    explain "SELECT * FROM nonconformances WHERE order_id = (SELECT id FROM orders LIMIT 1) ORDER BY opened_at DESC, number"
} >"$out/explain.txt" 2>&1

port=$(free_port)
url="http://127.0.0.1:$port"
# The load generator sends each virtual user's own address in X-Forwarded-For.
TRUSTED_PROXIES=127.0.0.1 "$bin" serve --port "$port" >"$dir/server.log" 2>&1 &
server=$!
wait_for "$url/api/ready" 60
ticks=$(getconf CLK_TCK)
cpu0=$(awk '{print $14 + $15}' "/proc/$server/stat")
t0=$(date +%s.%N)

echo "3. health, then the same against a bare Vapor hello-world built alike" >&2
"$here/loadtest.sh" --url "$url" --scenario health --users 50 --duration 20 >"$out/health.json"
hello_bin=$(dirname "$bin")/HelloVapor
if [ -x "$hello_bin" ]; then
    hello_port=$(free_port)
    "$hello_bin" serve --port "$hello_port" --log warning >"$dir/hello.log" 2>&1 &
    hello=$!
    wait_for "http://127.0.0.1:$hello_port/api/health" 30
    "$here/loadtest.sh" --url "http://127.0.0.1:$hello_port" --scenario health --users 50 --duration 20 >"$out/hello.json"
    kill "$hello"
    wait "$hello" 2>/dev/null || true
fi
echo "3b. each report alone, on the quiet server (issue 18: under 300 ms at 100,000 orders)" >&2
python3 - "$url" "$dir/accounts.json" "$out/reports.json" <<'PY'
import json, statistics, sys, time, urllib.request
url, accounts, path = sys.argv[1:]
account = next(a for a in json.load(open(accounts)) if a["email"].startswith("load-production-coordinator-"))
def call(method, address, body=None, token=None):
    request = urllib.request.Request(url + address, method=method, data=json.dumps(body).encode() if body else None,
                                     headers={"content-type": "application/json", **({"authorization": "Bearer " + token} if token else {})})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        data = response.read()
    return (time.perf_counter() - started) * 1000, data
token = json.loads(call("POST", "/api/v1/auth/login", account)[1])["accessToken"]
# Each report alone and counted afresh: a months value not asked before (the instance keeps figures a minute).
result = {}
for report in ["first-pass-yield", "failing-items", "cycle-time", "work-in-progress", "on-time-delivery", "overdue", "qc-workload"]:
    for label, months in [("6_months", (6, 5, 7)), ("24_months", (24, 23, 22))]:
        times = sorted(call("GET", "/api/v1/reports/%s/csv?months=%d" % (report, m), token=token)[0] for m in months)
        result["%s_%s" % (report, label)] = {"median_ms": round(times[1], 1), "max_ms": round(times[-1], 1), "counted": 3}
every = sorted(call("GET", "/api/v1/reports?months=%d" % m, token=token)[0] for m in (12, 11, 10))
result["all_seven_12_months"] = {"median_ms": round(every[1], 1), "max_ms": round(every[-1], 1), "counted": 3}
figures = json.loads(call("GET", "/api/v1/reports?months=24", token=token)[1])
result["rows"] = {"first_results": sum(y["total"] for y in figures["firstPassYield"]), "stays": sum(s["stays"] for s in figures["cycleTimes"]),
                  "shipped": sum(d["shipped"] for d in figures["onTimeDelivery"]), "failures": figures["failures"]}
json.dump(result, open(path, "w"), indent=2)
PY
echo "4. mixed and browse at $users users" >&2
# Where the cores go while every user of `mixed` works (after the sign-ins, whose bcrypt would dwarf the pages,
# and once the last user has started, until the deadline): the instance, and the whole machine (the load
# generator reports its own share). Sampled every half second, at most for an hour, and never past the server.
busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
for _ in $(seq 7200); do
    [ -e "/proc/$server" ] || break
    echo "$(date +%s.%N) $(awk '{print $14 + $15}' "/proc/$server/stat") $(busy)"
    sleep 0.5
done >"$out/mixed-samples.txt" &
sampler=$!
"$here/loadtest.sh" --url "$url" --scenario mixed --users "$users" --duration "$seconds" --accounts "$dir/accounts.json" >"$out/mixed.json"
kill "$sampler" 2>/dev/null || true
python3 - "$out/mixed-cpu.json" "$out/mixed.json" "$out/mixed-samples.txt" "$ticks" "$(nproc)" <<'PY'
import json, sys
path, mixed, samples, ticks, cores = sys.argv[1:]
start, end = json.load(open(mixed))["load_epoch"]
rows = [tuple(map(float, line.split())) for line in open(samples) if len(line.split()) == 3]
inside = [row for row in rows if start <= row[0] <= end]
if len(inside) < 2:
    sys.exit("mixed-cpu: fewer than two CPU samples while the users worked (%d); a longer --duration is needed" % len(inside))
first, last = inside[0], inside[-1]
seconds = last[0] - first[0]
json.dump({"instance_cores": round((last[1] - first[1]) / int(ticks) / seconds, 2),
           "machine_busy_cores": round((last[2] - first[2]) / int(ticks) / seconds, 2), "machine_cores": int(cores),
           "over_seconds": round(seconds, 1)}, open(path, "w"))
PY
"$here/loadtest.sh" --url "$url" --scenario browse --users "$users" --duration "$seconds" --accounts "$dir/accounts.json" >"$out/browse.json"
echo "5. sign-in storm" >&2
"$here/loadtest.sh" --url "$url" --scenario login --users 20 --duration 20 --think 0 --accounts "$dir/accounts.json" >"$out/login.json"

cpu1=$(awk '{print $14 + $15}' "/proc/$server/stat")
t1=$(date +%s.%N)
peak=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
python3 - "$out" "$orders" "$generation" "$size" "$peak" "$cpu0" "$cpu1" "$t0" "$t1" "$ticks" <<'PY'
import json, sys
out, orders, generation, size, peak, cpu0, cpu1, t0, t1, ticks = sys.argv[1:]
load = lambda name: json.load(open(f"{out}/{name}.json"))
summary = {
    "orders": int(orders), "generation_seconds": float(generation), "database_size": size,
    "peak_rss_mib": round(int(peak) / 1024, 1),
    "mean_cpu_cores": round((int(cpu1) - int(cpu0)) / int(ticks) / (float(t1) - float(t0)), 2),
    "health": load("health"), "reports": load("reports"), "mixed": load("mixed"), "mixed_cpu": load("mixed-cpu"), "browse": load("browse"), "login": load("login"),
}
try:
    summary["hello_vapor"] = load("hello")
    summary["health_vs_hello"] = round(summary["health"]["throughput_rps"] / summary["hello_vapor"]["throughput_rps"], 3)
except FileNotFoundError:
    pass
json.dump(summary, open(f"{out}/summary.json", "w"), indent=2)
m = summary["mixed"]
print(json.dumps({k: summary[k] for k in ("orders", "generation_seconds", "database_size", "peak_rss_mib", "mean_cpu_cores")}))
print("health:", json.dumps(summary["health"]))
print("reports alone:", json.dumps(summary["reports"]))
if "hello_vapor" in summary:
    print("hello vapor:", json.dumps(summary["hello_vapor"]), "ratio:", summary["health_vs_hello"])
for name in ("mixed", "browse", "login"):
    s = summary[name]
    print(f"{name}: {s['requests']} requests, {s['errors']} errors, {s['throughput_rps']} rps, latency {s['latency_ms']}")
for name in ("mixed", "browse"):
    print(f"{name} while the users started and finished (not in the figures above):",
          json.dumps({phase: summary[name][phase] for phase in ("warm_up", "wind_down")}))
print("mixed without signatures (bcrypt):", json.dumps(m["latency_ms_without_signatures"]))
print("mixed by kind:", json.dumps(m["by_kind"]))
print("mixed as the instance measured it, by route (from its first middleware to the answer):", json.dumps(m["server_by_route"]))
print("the load generator's own event loop, late by (ms):", json.dumps(m["load_generator_loop_lag_ms"]))
print("cores during mixed:", json.dumps(summary["mixed_cpu"]), "of which the load generator:", m.get("load_generator_cpu_cores"))
PY
