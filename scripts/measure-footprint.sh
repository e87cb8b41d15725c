#!/usr/bin/env bash
# Measures what one instance needs, for deploy/COSTS.md: a release build
# against a throw-away PostgreSQL, CLIENTS concurrent API clients (reads and
# order creations, no think time) for SECONDS; prints peak resident memory,
# mean CPU and throughput as JSON. Usage: measure-footprint.sh [CLIENTS] [SECONDS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/pg.sh"
clients=${1:-20}
seconds=${2:-60}
bin=${CLEANSTATION_BIN:-$here/../.build/release/cleanstation}
[ -x "$bin" ] || { echo "build it first: swift build -c release --product cleanstation" >&2; exit 1; }
api="$here/lib/api.py"

dir=$(scratch_dir footprint)
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
    pg_stop "$dir/db" immediate
    rm -rf "$dir"
}
trap cleanup EXIT
pg_port=$(free_port)
pg_init "$dir/db"
pg_start "$dir/db" "$pg_port" "-c max_connections=100"
export DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/postgres?sslmode=disable"
export SQLITE_PATH="$dir/unused.sqlite" DOCUMENTS_DIR="$dir/documents" AUDIT_LOG_PATH="$dir/audit.log" LOG_LEVEL=warning
"$bin" migrate >/dev/null
for i in $(seq "$clients"); do
    echo "Footprint-Test-42!" | "$bin" user create --email "coordinator$i@footprint.test" --role PRODUCTION_COORDINATOR \
        --full-name "Footprint Coordinator" --initials FC --password-stdin >/dev/null
done
port=$(free_port)
url="http://127.0.0.1:$port"
"$bin" serve --port "$port" >"$dir/server.log" 2>&1 &
server=$!
wait_for "$url/api/ready" 60
tokens=()
for i in $(seq "$clients"); do tokens+=("$(python3 "$api" "$url" login "coordinator$i@footprint.test" "Footprint-Test-42!")"); done

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
start_cpu=$(cpu_ticks)
start_time=$(date +%s.%N)
pids=()
for i in $(seq "$clients"); do
    python3 "$api" "$url" load "${tokens[$((i - 1))]}" "$seconds" "$dir/load-$i.json" --writes &
    pids+=($!)
done
wait "${pids[@]}"
end_time=$(date +%s.%N)
end_cpu=$(cpu_ticks)
peak_kib=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
python3 - "$dir" "$clients" "$start_time" "$end_time" "$start_cpu" "$end_cpu" "$ticks" "$peak_kib" <<'PY'
import glob, json, sys
directory, clients, start, end, cpu0, cpu1, ticks, peak = sys.argv[1:]
results = [json.load(open(path)) for path in glob.glob(directory + "/load-*.json")]
wall = float(end) - float(start)
sent = sum(r["sent"] for r in results)
print(json.dumps({
    "clients": int(clients), "seconds": round(wall, 1), "requests": sent,
    "failed": sum(r["failed"] for r in results), "requests_per_second": round(sent / wall, 1),
    "peak_rss_mib": round(int(peak) / 1024, 1), "mean_cpu_cores": round((int(cpu1) - int(cpu0)) / int(ticks) / wall, 2),
}))
PY
