#!/usr/bin/env bash
# Polls URL/api/ready until it answers 200 or the timeout passes.
#   scripts/health-check.sh URL [TIMEOUT_SECONDS]     (default 60)
# 200 "ready" and 200 "degraded" (read replica away, reads go to the
# primary) both pass; 503 (database down or a migration pending) keeps
# polling. Exit 0 when ready, 1 on timeout, 2 on bad arguments.
# INTERVAL (seconds between tries, default 2); HEALTH_CHECK_INSECURE=1
# accepts a self-signed certificate (docker-compose's nginx).
set -euo pipefail

usage() {
    echo "usage: $0 URL [TIMEOUT_SECONDS]" >&2
    exit 2
}
if [ $# -lt 1 ] || [ $# -gt 2 ] || [ -z "$1" ]; then usage; fi
url="${1%/}/api/ready"
timeout=${2:-60}
interval=${INTERVAL:-2}
[[ "$timeout" =~ ^[0-9]+$ ]] || usage
curl_opts=(--silent --show-error --max-time 5)
[ "${HEALTH_CHECK_INSECURE:-0}" = 1 ] && curl_opts+=(--insecure)

body=$(mktemp)
trap 'rm -f "$body"' EXIT
start=$SECONDS
tries=0
while :; do
    tries=$((tries + 1))
    code=$(curl "${curl_opts[@]}" --output "$body" --write-out '%{http_code}' "$url" 2>/dev/null) || true
    code=${code:-000}
    elapsed=$((SECONDS - start))
    if [ "$code" = 200 ]; then
        state=ready
        grep -q '"degraded"' "$body" && state="ready (degraded: read replica unavailable)"
        echo "health-check: $url $state after ${elapsed}s, $tries tries"
        exit 0
    fi
    if [ "$elapsed" -ge "$timeout" ]; then
        detail=$(head -c 300 "$body" | tr '\n' ' ')
        [ "$code" = 000 ] && detail="no answer"
        echo "health-check: $url not ready after ${elapsed}s, $tries tries (last: HTTP $code, $detail)" >&2
        exit 1
    fi
    sleep "$interval"
done
