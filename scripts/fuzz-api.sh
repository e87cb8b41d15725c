#!/usr/bin/env bash
# Fuzzes the API from its own OpenAPI document with schemathesis (PyPI):
# every operation, as an admin, against a server on a throw-away SQLite
# database with demo data. The bar: no 5xx and answers that match the
# document's schemas. Bounded: EXAMPLES cases per operation (default 25).
# Usage: fuzz-api.sh [EXAMPLES]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/pg.sh"
source "$here/lib/venv.sh"
venv_need "$PIN_SCHEMATHESIS"
bin=$(cleanstation_bin)
examples=${1:-25}

dir=$(mktemp -d /tmp/cleanstation-fuzz.XXXXXX)
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
    rm -rf "$dir"
}
trap cleanup EXIT
export SQLITE_PATH="$dir/db.sqlite" DOCUMENTS_DIR="$dir/documents" AUDIT_LOG_PATH="$dir/audit.log" LOG_LEVEL=error PASSWORD_HASH_COST=4
"$bin" demo >"$dir/demo.txt"
email=$(awk '/admin@demo/ {print $2}' "$dir/demo.txt")
password=$(awk '/admin@demo/ {print $3}' "$dir/demo.txt")
port=$(free_port)
url="http://127.0.0.1:$port"
"$bin" serve --port "$port" >"$dir/server.log" 2>&1 &
server=$!
wait_for "$url/api/ready" 60
token=$(python3 "$here/lib/api.py" "$url" login "$email" "$password")

# Sign-out and session endings would end the fuzzer's own session; the
# password change would lock it out: they are fuzzed by the Swift suites.
# Run from the scratch folder: schemathesis keeps its cache in the working directory.
cd "$dir"
"$VENV_DIR/bin/schemathesis" run "$url/api/openapi.json" --url "$url" \
    -H "Authorization: Bearer $token" \
    --checks not_a_server_error,response_schema_conformance \
    --max-examples "$examples" --request-timeout 10 --seed 42 \
    --exclude-path-regex '/auth/(logout|password|sessions)|/users/\{userID\}$' \
    --suppress-health-check all --no-color 2>&1 | tee "$dir/schemathesis.txt" | tail -n 25
