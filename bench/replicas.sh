#!/usr/bin/env bash
# Replica benchmark (not part of CI): two `zhengce serve` replicas of one database file behind
# HAProxy, and what a client sees when one of them dies.
#
# It builds one database (the bundled data/, or a synthetic corpus of N documents from
# `zhengce synth`), starts two replicas on loopback ports that serve the same file read-only,
# puts HAProxy in front of them (loopback only; active health checks on /ready, passive
# failure detection on live traffic, retry of idempotent GETs on the other replica), and
# drives a fixed mix of list, item, search and facet requests through it with wrk. Phases,
# DURATION seconds each:
#
#   direct       one replica, no balancer (what the balancer costs)
#   two          both replicas behind HAProxy (before the kill)
#   sigkill      replica b gets SIGKILL half-way through the phase
#   one          replica b dead, HAProxy has taken it out (after the kill)
#   rejoin       replica b is started again half-way through (HAProxy adds it once /ready answers)
#   sigterm      replica b gets SIGTERM (graceful shutdown) half-way through
#
# For every phase it prints requests, requests/s, p50/p99/max latency, non-2xx/3xx answers,
# socket errors (connect, read, write, timeout), and HAProxy's retries and redispatches;
# then whether both replicas give the same ETag. Every process it starts is stopped by its PID
# and the scratch folder is removed on exit.
#
#   bench/replicas.sh              # bundled corpus (data/)
#   bench/replicas.sh 1000         # synthetic corpus of 1000 documents
#   DURATION=20 CONNECTIONS=64 bench/replicas.sh
#
# Environment: DURATION (seconds per phase, default 10), CONNECTIONS (wrk, default 32),
# THREADS (wrk threads, default 2), PORT (HAProxy, default 18380; replicas PORT+1 and PORT+2,
# HAProxy's stats page PORT+3), CONNECT_TIMEOUT (HAProxy's `timeout connect`, default 1s;
# also its pause before retrying when only one replica is left), SEED (synth seed, default 1),
# BIN (zhengce binary, default target/release/zhengce, built when missing), KEEP=1 keeps the
# scratch folder.
#
# HAProxy rather than nginx: Debian's nginx has only passive failure detection (max_fails);
# active health checks (`health_check`) are in the commercial NGINX Plus. HAProxy checks
# /ready on its own, marks a replica down on errors in live traffic as well (`observe`), and
# retries a request that failed on one replica on the other one (`retry-on`, `redispatch`).
set -euo pipefail

cd "$(dirname "$0")/.."
DOCUMENTS="${1:-}"
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
PORT="${PORT:-18380}"
PORT_A=$((PORT + 1))
PORT_B=$((PORT + 2))
PORT_STATS=$((PORT + 3))
SEED="${SEED:-1}"
CONNECT_TIMEOUT="${CONNECT_TIMEOUT:-1s}"
LB="http://127.0.0.1:${PORT}"
HALF=$((DURATION / 2))

missing=()
command -v haproxy >/dev/null 2>&1 || missing+=(haproxy)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} (apt-get install -y ${missing[*]})…" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y "${missing[@]}" >&2 || { apt-get update >&2 && apt-get install -y "${missing[@]}" >&2; }
fi

BIN="${BIN:-$PWD/target/release/zhengce}"
if [ ! -x "$BIN" ]; then
    echo "building (cargo build --release --locked)…" >&2
    cargo build --release --locked --quiet
fi

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
WORK="$(mktemp -d)"
REPLICA_A=""
REPLICA_B=""
HAPROXY=""
WRK=""
# shellcheck source=bench/lib.sh
. bench/lib.sh
cleanup() {
    stop "$WRK"
    stop "$HAPROXY"
    stop "$REPLICA_A"
    stop "$REPLICA_B"
    if [ "${KEEP:-0}" = 1 ]; then echo "scratch folder kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits (at most 60 s) until the given processes are idle, so that one phase does not pay for
# the last one. $@: PIDs.
settle() {
    local pid before after busy
    for _ in $(seq 1 60); do
        busy=0
        for pid in "$@"; do
            [ -r "/proc/$pid/stat" ] || continue
            before=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
            sleep 0.5
            after=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo "$before")
            # Less than 5% of a core over half a second (clock ticks are 1/100 s).
            if [ $((after - before)) -ge 3 ]; then busy=1; fi
        done
        [ "$busy" = 0 ] && return 0
    done
}

# Starts a replica as a child of this shell; $1: name (a or b), $2: port. Sets STARTED.
start_replica() {
    "$BIN" serve --db "$DB" --bind "127.0.0.1:$2" >>"$WORK/replica-$1.log" 2>&1 &
    STARTED=$!
}

# One row of HAProxy's statistics as "name=value" words; $1: proxy, $2: server or BACKEND.
stats() {
    { curl -fsS "http://127.0.0.1:${PORT_STATS}/stats;csv" 2>/dev/null || true; } | python3 -c '
import csv, sys
rows = list(csv.reader(sys.stdin)) or [[]]
head = [name.lstrip("# ") for name in rows[0]]
for row in rows[1:]:
    record = dict(zip(head, row))
    if record.get("pxname") == sys.argv[1] and record.get("svname") == sys.argv[2]:
        print(" ".join(f"{key}={record.get(key) or 0}" for key in ("stot", "wretr", "wredis", "status", "hrsp_5xx", "eresp", "econ")))
' "$1" "$2"
}
field() { tr ' ' '\n' | awk -F= -v key="$1" '$1 == key { print $2 }'; }

# Waits (at most 30 s) until HAProxy reports server $1 with status $2 (UP or DOWN).
wait_status() {
    for _ in $(seq 1 300); do
        [ "$(stats zhengce "$1" | field status)" = "$2" ] && return 0
        sleep 0.1
    done
    echo "HAProxy never reported $1 as $2" >&2
    return 1
}

# --- the database ----------------------------------------------------------------------------
if [ -z "$DOCUMENTS" ] || [ "$DOCUMENTS" = 5 ]; then
    DATA="data"
    CORPUS="the bundled corpus (data/)"
else
    DATA="$WORK/data"
    "$BIN" synth --documents "$DOCUMENTS" --seed "$SEED" --out "$DATA" >/dev/null
    CORPUS="a synthetic corpus (\`zhengce synth --documents $DOCUMENTS --seed $SEED\`)"
fi
DB="$WORK/zhengce.db"
"$BIN" load --data "$DATA" --db "$DB" >"$WORK/load.log" 2>&1
LOADED=$(awk '/^total:/ { print $2 " documents, " $4 " measures" }' "$WORK/load.log")

# --- the replicas ----------------------------------------------------------------------------
start_replica a "$PORT_A"
REPLICA_A=$STARTED
start_replica b "$PORT_B"
REPLICA_B=$STARTED
wait_for "http://127.0.0.1:${PORT_A}/ready"
wait_for "http://127.0.0.1:${PORT_B}/ready"

# --- the balancer ----------------------------------------------------------------------------
cat >"$WORK/haproxy.cfg" <<EOF
global
    maxconn 2048
    log stdout format raw local0 info

defaults
    mode http
    log global
    option httplog
    # Log only what went wrong or was retried, not every request.
    option dontlog-normal
    # Also HAProxy's pause before a retry on the same replica: min(timeout connect, 1 s).
    timeout connect ${CONNECT_TIMEOUT}
    timeout client 30s
    timeout server 10s
    timeout http-keep-alive 10s

frontend api
    bind 127.0.0.1:${PORT}
    option forwardfor
    default_backend zhengce

backend zhengce
    balance roundrobin
    # Active health checks: the replica says itself whether it can answer from its database.
    option httpchk
    http-check send meth GET uri /ready ver HTTP/1.1 hdr Host zhengce
    http-check expect status 200
    # Retry a request that failed on one replica (refused connection, connection closed
    # without an answer, 502/503/504), every retry on another replica. The API has no
    # writes; only GET and HEAD are replayed all the same.
    retries 2
    option redispatch 1
    retry-on conn-failure empty-response response-timeout 502 503 504
    http-request disable-l7-retry if !METH_GET
    # Passive failure detection: three failed requests in live traffic take a replica out at
    # once, without waiting for the next health check; checks every second bring it back
    # after two successes, and its share of the traffic then grows over 5 s (slowstart), as
    # a freshly started replica has yet to fill its caches.
    default-server check inter 1s fastinter 250ms downinter 1s fall 2 rise 2 observe layer7 error-limit 3 on-error mark-down slowstart 5s
    server a 127.0.0.1:${PORT_A}
    server b 127.0.0.1:${PORT_B}

listen stats
    bind 127.0.0.1:${PORT_STATS}
    stats enable
    stats uri /stats
EOF
haproxy -c -q -f "$WORK/haproxy.cfg"
haproxy -db -f "$WORK/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 &
HAPROXY=$!
wait_status a UP
wait_status b UP

# --- the requests ----------------------------------------------------------------------------
eval "$(python3 bench/pick.py "$DB" "http://127.0.0.1:${PORT_A}")"
urlencode() {
    python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"
}
word=$(urlencode "$WORD")
phrase=$(urlencode "$PHRASE")
paths=(
    "/v1/documents"                              # list
    "/v1/measures?agency=${AGENCY}&role=${ROLE}" # filtered list
    "/v1/measures?cursor=${CURSOR}"              # deep page
    "/v1/measures/${MEASURE}"                    # item
    "/v1/documents/${DOCUMENT}"                  # item
    "/v1/measures?q=${word}"                     # search, word
    "/v1/measures?q=${phrase}"                   # search, phrase
    "/v1/search?q=${word}"                       # search across types
    "/v1/measures?facet=theme"                   # facet
)
for path in "${paths[@]}"; do
    code=$(curl -sS -o /dev/null -w '%{http_code}' "$LB$path")
    if [ "$code" != 200 ]; then
        echo "$path answers $code through the balancer" >&2
        exit 1
    fi
done
{
    echo "local paths = {"
    for path in "${paths[@]}"; do printf '  "%s",\n' "$path"; done
    echo "}"
    cat <<'LUA'
-- Each wrk thread picks among the paths at random (seeded by thread, so runs repeat).
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end
function init(args)
  math.randomseed(seed or 1)
  requests = {}
  for i, path in ipairs(paths) do requests[i] = wrk.format("GET", path) end
end
function request()
  return requests[math.random(#requests)]
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d %d %.0f %.0f %.0f\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
LUA
} >"$WORK/mix.lua"

# Warm both replicas directly (search rankings and facet counts are cached per process).
for port in "$PORT_A" "$PORT_B"; do
    wrk -t"$THREADS" -c"$CONNECTIONS" -d3s -s "$WORK/mix.lua" "http://127.0.0.1:$port" >/dev/null 2>&1 || true
done

# --- the phases ------------------------------------------------------------------------------
ROWS=()
NOTES=()
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }

# Runs wrk against $2 for DURATION s in the background; $1: phase name. Sets WRK.
start_wrk() {
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s "$WORK/mix.lua" "$2" \
        >"$WORK/wrk-$1.txt" 2>&1 &
    WRK=$!
}

# Waits for wrk and adds the phase's row; $1: phase name, $2: what happened, $3 and $4:
# HAProxy's backend statistics before and after (empty for the direct phase).
finish_wrk() {
    wait "$WRK" || true
    WRK=""
    local result requests duration connect read write status timeout p50 p99 max rps retries redispatches
    result=$(grep '^RESULT' "$WORK/wrk-$1.txt" || true)
    if [ -z "$result" ]; then
        echo "wrk gave no result in phase $1:" >&2
        cat "$WORK/wrk-$1.txt" >&2
        exit 1
    fi
    read -r _ requests duration connect read write status timeout p50 p99 max <<<"$result"
    rps=$(awk -v n="$requests" -v us="$duration" 'BEGIN { printf "%.0f", n / (us / 1e6) }')
    if [ -n "$3" ]; then
        retries=$(($(field wretr <<<"$4") - $(field wretr <<<"$3")))
        redispatches=$(($(field wredis <<<"$4") - $(field wredis <<<"$3")))
    else
        retries="–"
        redispatches="–"
    fi
    ROWS+=("| $1 | $2 | ${requests} | ${rps} | $(ms "$p50") | $(ms "$p99") | $(ms "$max") | ${status} | ${connect}/${read}/${write}/${timeout} | ${retries} | ${redispatches} |")
}

# Share of the phase's requests that each replica answered (from HAProxy's counters).
split() {
    local a b
    a=$(($(field stot <<<"$3") - $(field stot <<<"$1")))
    b=$(($(field stot <<<"$4") - $(field stot <<<"$2")))
    echo "a ${a}, b ${b}"
}

phase_lb() {
    # $1: phase name, $2: description, $3: action at half-time (a shell function or empty).
    settle "$REPLICA_A" ${REPLICA_B:+"$REPLICA_B"} "$HAPROXY"
    local before after sa sb
    before=$(stats zhengce BACKEND)
    sa=$(stats zhengce a)
    sb=$(stats zhengce b)
    start_wrk "$1" "$LB"
    if [ -n "$3" ]; then
        sleep "$HALF"
        "$3"
    fi
    finish_wrk "$1" "$2" "$before" "$(stats zhengce BACKEND)"
    NOTES+=("- $1: answered by $(split "$sa" "$sb" "$(stats zhengce a)" "$(stats zhengce b)") (HAProxy's sessions per replica, retries included)")
}

kill_b() {
    local signal="$1" started
    started=$(date +%s.%N)
    kill -"$signal" "$REPLICA_B"
    wait "$REPLICA_B" 2>/dev/null || true
    EXITED=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
    REPLICA_B=""
    wait_status b DOWN
    MARKED_DOWN=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
}
sigkill_b() {
    kill_b KILL
    NOTES+=("- sigkill: replica b gone $EXITED s after SIGKILL; HAProxy reported it DOWN after $MARKED_DOWN s")
}
sigterm_b() {
    kill_b TERM
    NOTES+=("- sigterm: replica b exited $EXITED s after SIGTERM; HAProxy reported it DOWN after $MARKED_DOWN s")
}
restart_b() {
    local started
    started=$(date +%s.%N)
    start_replica b "$PORT_B"
    REPLICA_B=$STARTED
    wait_status b UP
    NOTES+=("- rejoin: replica b started again; HAProxy reported it UP after $(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }') s")
}

settle "$REPLICA_A" "$REPLICA_B" "$HAPROXY"
start_wrk direct "http://127.0.0.1:${PORT_A}"
finish_wrk direct "one replica, no balancer" "" ""
phase_lb two "a and b behind HAProxy" ""
phase_lb sigkill "SIGKILL to b after ${HALF} s" sigkill_b
phase_lb one "b dead, a alone behind HAProxy" ""
phase_lb rejoin "b started again after ${HALF} s" restart_b
phase_lb sigterm "SIGTERM to b after ${HALF} s" sigterm_b

# --- the same answer from either replica -----------------------------------------------------
start_replica b "$PORT_B"
REPLICA_B=$STARTED
wait_for "http://127.0.0.1:${PORT_B}/ready"
etag_of() {
    curl -sS -o /dev/null -D - -H 'Host: api.example.org' "$1" | awk -F': ' 'tolower($1) == "etag" { print $2 }' | tr -d '\r'
}
item="/v1/measures/${MEASURE}"
etag_a=$(etag_of "http://127.0.0.1:${PORT_A}${item}")
etag_b=$(etag_of "http://127.0.0.1:${PORT_B}${item}")
revalidated=$(curl -sS -o /dev/null -w '%{http_code}' -H 'Host: api.example.org' -H "If-None-Match: ${etag_a}" "http://127.0.0.1:${PORT_B}${item}")

# --- the report ------------------------------------------------------------------------------
echo "# Replicas behind HAProxy"
echo
echo "- machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(uname -sr)"
echo "- load average at start: ${LOAD_START}; at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- corpus: ${CORPUS}: ${LOADED}; both replicas serve the same file"
echo "- $(haproxy -v | head -1 | awk '{ print "HAProxy " $3 }'), wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), ${THREADS} threads, ${CONNECTIONS} connections, ${DURATION} s per phase, a random mix of ${#paths[@]} URLs (list, filtered list, deep page, 2 items, 3 searches, facet)"
echo "- command: DURATION=${DURATION} CONNECTIONS=${CONNECTIONS} CONNECT_TIMEOUT=${CONNECT_TIMEOUT} bench/replicas.sh ${DOCUMENTS}"
echo
echo "| phase | what happens | requests | req/s | p50 ms | p99 ms | max ms | non-2xx/3xx | socket errors connect/read/write/timeout | HAProxy retries | redispatches |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
echo
printf '%s\n' "${NOTES[@]}"
if [ "$etag_a" = "$etag_b" ]; then same="the same"; else same="different"; fi
echo "- ETag of ${item} (same Host): a ${etag_a}, b ${etag_b} (${same}); If-None-Match with a's ETag sent to b: ${revalidated}"
# HAProxy logs only abnormal requests (option dontlog-normal). Fields: client, date,
# frontend, backend/server, timers, status, bytes, 2 cookies, termination state,
# connections/…/retries, queues, request.
awk '$NF ~ /HTTP\/1/ && $4 ~ /^zhengce\// {
    n = split($11, conns, "/"); retried = conns[n] != "0"
    if (retried) { r++; if (conns[n] ~ /^\+/) moved++; split($5, t, "/"); if (t[5] + 0 > slow) slow = t[5] + 0; if (t[2] + 0 >= 500) paused++ }
    if ($6 !~ /^[23]/) bad++
    if (!retried && $10 ~ /^C/) cut++
}
END {
    printf "- HAProxy log: %d requests retried (%d of them on the other replica; slowest %d ms end to end; %d waited 500 ms or more before the retry), %d answers that were not 2xx/3xx, %d answers cut off by the client (wrk closing its connections at the end of a phase)\n", r, moved, slow, paused, bad, cut
}' "$WORK/haproxy.log"
grep -E '^Server zhengce/. is (DOWN|UP)' "$WORK/haproxy.log" | sed 's/^/  - HAProxy: /' || true
