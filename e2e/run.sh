#!/usr/bin/env bash
# Browser tests against a real server: Debian's Chromium and chromedriver
# (installed when absent), selenium from PyPI, a throw-away PostgreSQL 15
# cluster with the demo data, and `cleanstation serve` on loopback.
#   e2e/run.sh              the end-to-end tests (e2e/test_*.py)
#   e2e/run.sh screenshots  PNGs of every main page into screenshots/
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
source scripts/lib/pg.sh
source scripts/lib/venv.sh
need chromium chromium
need chromedriver chromium-driver
venv_need "$PIN_SELENIUM"
# axe-core 4.12.1, as the plain axe.min.js this package ships (selenium injects it).
venv_need_alone "$PIN_AXE"
bin=$(cleanstation_bin)
[ -x "$bin" ] || swift build --product cleanstation

throwaway_database e2e
port=$(free_port)
# Passwords hashed at bcrypt's lowest cost, as the Swift tests do: a debug build's
# bcrypt at the production cost takes a large part of a second for each sign-in.
export PASSWORD_HASH_COST=4
export PUBLIC_URL="http://127.0.0.1:$port"
migrate_as_owner >/dev/null
"$root/scripts/timed.sh" "e2e demo data" "$bin" demo --orders 5000 >"$dir/demo.txt"
"$bin" serve --port "$port" >"$dir/server.log" 2>&1 &
server=$!
wait_for "http://127.0.0.1:$port/api/health" 60

export E2E_BASE_URL="http://127.0.0.1:$port" E2E_LOGINS="$dir/demo.txt" E2E_SCRATCH="$dir"
if [ "${1:-tests}" = screenshots ]; then
    "$VENV_DIR/bin/python" e2e/screenshots.py "$root/screenshots"
else
    if [ -n "${E2E_PATTERN:-}" ]; then
        "$VENV_DIR/bin/python" e2e/timed_run.py "$E2E_PATTERN" || { tail -n 40 "$dir/server.log" >&2; exit 1; }
    else
        # axe-core over every page reads and changes nothing: it runs in a browser of its own beside the
        # others (the browser waits most of the time; side by side they take the longer one's time).
        "$VENV_DIR/bin/python" e2e/timed_run.py test_axe.py >"$dir/axe.log" 2>&1 &
        axe=$!
        trap 'kill "$axe" 2>/dev/null || true; throwaway_database_cleanup' EXIT
        status=0
        "$VENV_DIR/bin/python" e2e/timed_run.py 'test_*.py' '!test_axe.py' || status=1
        wait "$axe" || status=1
        echo "---- axe-core, in its own browser:"
        cat "$dir/axe.log"
        [ "$status" = 0 ] || { tail -n 40 "$dir/server.log" >&2; exit 1; }
    fi
fi
