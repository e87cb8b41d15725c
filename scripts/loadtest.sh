#!/usr/bin/env bash
# Load against a running CleanStation, with the tools available here:
#   health          wrk (Debian) on GET /api/health, USERS connections, no think time;
#   browse|mixed    virtual users (scripts/lib/loadgen.py, aiohttp) who sign in
#                   once, start one after another over SPREAD seconds (default
#                   ten think times) and then work with think time;
#   login           a sign-in storm (bcrypt cost as configured: slow on purpose).
# Usage: loadtest.sh --url URL [--scenario S] [--users N] [--duration SECONDS]
#                    [--accounts FILE] [--think SECONDS] [--spread SECONDS]
# ACCOUNTS is a JSON list of {"email", "password"} (`cleanstation demo
# --load-users N` makes them). Prints one JSON object: requests, errors,
# p50/p95/p99 in ms, throughput. For production, loadtest/k6.js is the
# deployment guide's profile.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/venv.sh"

url="" scenario=mixed users=10 duration=30 accounts="" think=1 spread=""
while [ $# -gt 0 ]; do
    case $1 in
    --url) url=$2 ;;
    --scenario) scenario=$2 ;;
    --users) users=$2 ;;
    --duration) duration=$2 ;;
    --accounts) accounts=$2 ;;
    --think) think=$2 ;;
    --spread) spread=$2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift 2
done
[ -n "$url" ] || { echo "--url is required" >&2; exit 2; }
[[ $users =~ ^[0-9]+$ && $users -ge 1 && $users -le 2000 ]] || { echo "--users must be 1 to 2000" >&2; exit 2; }
[[ $duration =~ ^[0-9]+$ && $duration -ge 1 && $duration -le 3600 ]] || { echo "--duration must be 1 to 3600 seconds" >&2; exit 2; }

case $scenario in
health)
    command -v wrk >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
    threads=$((users < 2 ? users : 2))
    wrk -t "$threads" -c "$users" -d "${duration}s" --latency -s "$here/../loadtest/wrk-report.lua" "$url/api/health" | tail -n 1
    ;;
browse | mixed | login)
    [ -n "$accounts" ] || { echo "--accounts is required for $scenario" >&2; exit 2; }
    venv_need "$PIN_AIOHTTP"
    "$VENV_DIR/bin/python" "$here/lib/loadgen.py" "$url" --scenario "$scenario" --users "$users" --duration "$duration" \
        --think "$think" ${spread:+--spread "$spread"} --accounts "$accounts"
    ;;
*) echo "--scenario must be health, browse, mixed or login" >&2; exit 2 ;;
esac
