# CleanStation instances for the rehearsals: each started on a port with the
# caller's environment, waited for until ready, and stopped by port or all
# together in a cleanup trap. Source after pg.sh (wait_for, cleanstation_bin).
declare -gA INSTANCES=()

# start_instance PORT LOG [SECONDS]: `cleanstation serve` on PORT, its output
# appended to LOG; returns once /api/ready answers 200 (within SECONDS, 60).
start_instance() {
    "$(cleanstation_bin)" serve --port "$1" >>"$2" 2>&1 &
    INSTANCES[$1]=$!
    wait_for "http://127.0.0.1:$1/api/ready" "${3:-60}"
}

# stop_instance PORT [SIGNAL]: sends SIGNAL (TERM) and waits for the exit;
# returns the instance's exit status (0 after a clean SIGTERM).
stop_instance() {
    local pid=${INSTANCES[$1]:-} status=0
    [ -n "$pid" ] || return 0
    unset "INSTANCES[$1]"
    kill "-${2:-TERM}" "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || status=$?
    return "$status"
}

# stop_instances [SIGNAL]: every instance still running, statuses ignored.
stop_instances() {
    local port
    for port in "${!INSTANCES[@]}"; do stop_instance "$port" "${1:-TERM}" || true; done
}
