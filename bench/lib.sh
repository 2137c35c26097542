# Shell functions the benchmark scripts share (sourced, not run).

# stop PID: stops a process the script started and waits for it; nothing when PID is empty.
stop() {
    if [ -n "$1" ]; then
        kill "$1" 2>/dev/null || true
        wait "$1" 2>/dev/null || true
    fi
}
