# Shell functions the benchmark scripts share (sourced, not run).

# stop PID: stops a process the script started and waits for it; nothing when PID is empty.
stop() {
    if [ -n "$1" ]; then
        kill "$1" 2>/dev/null || true
        wait "$1" 2>/dev/null || true
    fi
}

# wait_for URL: waits (at most 120 s) until URL answers 200, as a server does once it is up.
wait_for() {
    for _ in $(seq 1 1200); do
        curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "no answer from $1" >&2
    return 1
}
