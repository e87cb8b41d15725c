#!/usr/bin/env bash
# Rehearses tracing (ops.md) with real processes on loopback: CleanStation
# with OTEL_EXPORTER_OTLP_ENDPOINT pointing at an OTLP/HTTP collector. A
# request carrying a W3C `traceparent` must reach the collector as a server
# span of the same trace, child of the caller's span, named after the route
# pattern (never the raw path).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/pg.sh"
source "$here/lib/venv.sh"
source "$here/lib/instance.sh"
venv_need "$PIN_OTEL_PROTO"

dir=$(mktemp -d /tmp/cleanstation-tracing.XXXXXX)
pids=()
cleanup() {
    stop_instances
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$dir"
}
trap cleanup EXIT

collector=$(free_port)
"$VENV_DIR/bin/python" "$here/lib/otlp_collector.py" "$collector" "$dir/spans.jsonl" >"$dir/collector.log" 2>&1 &
pids+=($!)
port=$(free_port)
export SQLITE_PATH="$dir/db.sqlite" DOCUMENTS_DIR="$dir/documents" AUDIT_LOG_PATH="$dir/audit.log" LOG_LEVEL=warning \
    APP_VERSION=rehearsal OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$collector" OTEL_BSP_SCHEDULE_DELAY=100
start_instance "$port" "$dir/server.log"

trace=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
parent=$(python3 -c 'import secrets; print(secrets.token_hex(8))')
order=$(python3 -c 'import uuid; print(uuid.uuid4())')
curl -fsS -o /dev/null -H "traceparent: 00-$trace-$parent-01" "http://127.0.0.1:$port/api/health"
curl -sS -o /dev/null -H "traceparent: 00-$trace-$parent-01" "http://127.0.0.1:$port/api/v1/orders/$order"

for _ in $(seq 200); do
    [ "$(grep -c "$trace" "$dir/spans.jsonl" 2>/dev/null || true)" -ge 2 ] && break
    sleep 0.05
done
python3 - "$dir/spans.jsonl" "$trace" "$parent" "$order" <<'PY'
import json, sys
path, trace, parent, order = sys.argv[1:]
spans = [json.loads(line) for line in open(path)] if __import__("os").path.exists(path) else []
mine = [span for span in spans if span["trace_id"] == trace]
names = sorted(span["name"] for span in mine)
print("spans of the trace:", names)
assert len(mine) == 2, f"expected 2 spans of trace {trace}, got {len(mine)}"
assert all(span["parent_span_id"] == parent for span in mine), "each server span continues the caller's span"
assert all(span["kind"] == 2 for span in mine), "server spans"
assert all(span["service"] == "cleanstation" and span["version"] == "rehearsal" for span in mine)
assert "GET /api/health" in names, names
assert not any(order in span["name"] for span in mine), "span names are route patterns, not raw paths"
print("tracing rehearsal: passed")
PY
