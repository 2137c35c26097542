#!/usr/bin/env bash
# Scale benchmark (not part of CI): zhengce and Datasette side by side on the same SQLite file.
#
# For each corpus size (5 = the bundled data/, then synthetic corpora from `zhengce synth`) it
# loads the corpus (documents/s, load time, database size), starts `zhengce serve` and
# `datasette serve -i` on the same file, drives both with wrk at 64 connections over a fixed
# mix of requests, and prints one Markdown table per size: requests/s, p50 and p99 per request
# type, the ratio zhengce/Datasette and the ratio to zhengce's static route (/health), and the
# servers' peak RSS. Only loopback is used; every server started is stopped by its PID.
#
#   bench/run.sh                         # sizes 5, 1000 and 10000, 10 s per request type
#   SIZES="5 1000" DURATION=5 bench/run.sh
#
# Environment: SIZES, DURATION (seconds per request type, default 10), WARMUP (seconds,
# default 2), CONNECTIONS (default 64), THREADS (wrk threads, default 2), PORT (default 18181,
# Datasette uses PORT+1), SEED (synth seed, default 1), WORK (scratch folder, default a new
# temporary one, removed at the end unless KEEP=1).
set -euo pipefail

cd "$(dirname "$0")/.."
SIZES="${SIZES:-5 1000 10000}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
PORT="${PORT:-18181}"
DPORT=$((PORT + 1))
SEED="${SEED:-1}"
BASE="http://127.0.0.1:${PORT}"
DBASE="http://127.0.0.1:${DPORT}"

if ! command -v wrk >/dev/null 2>&1; then
    echo "installing wrk (apt-get install -y wrk)…" >&2
    apt-get install -y wrk >&2 || { apt-get update >&2 && apt-get install -y wrk >&2; }
fi
if ! command -v datasette >/dev/null 2>&1; then
    echo "installing datasette (pip install datasette)…" >&2
    python3 -m pip install --quiet datasette >&2
fi

echo "building (cargo build --release --locked)…" >&2
cargo build --release --locked --quiet
BIN="$PWD/target/release/zhengce"

if [ -n "${WORK:-}" ]; then
    mkdir -p "$WORK"
else
    WORK="$(mktemp -d)"
fi
SERVER=""
DATASETTE=""
# shellcheck source=bench/lib.sh
. bench/lib.sh
cleanup() {
    stop "$SERVER"
    stop "$DATASETTE"
    if [ "${KEEP:-0}" != 1 ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

peak_rss_mb() {
    # $1: PID. Peak resident set size in MB (VmHWM).
    awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"
}

# Waits (at most 120 s) until a server is idle: requests that wrk gave up on may still be
# running, and would otherwise slow down the next measurement. $1: PID.
settle() {
    local before after
    for _ in $(seq 1 120); do
        before=$(awk '{ print $14 + $15 }' "/proc/$1/stat")
        sleep 1
        after=$(awk '{ print $14 + $15 }' "/proc/$1/stat")
        # Less than 5% of a core over the last second (clock ticks are 1/100 s).
        if [ $((after - before)) -lt 5 ]; then return 0; fi
    done
}

# Runs wrk against one URL: warm-up, then the measured run. Prints "rps p50_ms p99_ms errors".
drive() {
    local url="$1"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$url" >/dev/null 2>&1 || true
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency "$url" \
        >"$WORK/wrk.txt" 2>&1 || true
    python3 - "$WORK/wrk.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(value):
    number, unit = re.match(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
p50 = re.search(r"\n\s+50%\s+(\S+)", text)
p99 = re.search(r"\n\s+99%\s+(\S+)", text)
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
timeouts = re.search(r"Socket errors:.*?timeout (\d+)", text)
errors = (int(bad.group(1)) if bad else 0) + (int(timeouts.group(1)) if timeouts else 0)
# wrk counts a request that timed out in neither the rate nor the latencies.
latency = [ms(m.group(1)) if m else 0.0 for m in (p50, p99)]
if not rps or latency[0] == 0.0:
    print(f"{float(rps.group(1)) if rps else 0:.0f} – – {errors}")
else:
    print(f"{float(rps.group(1)):.0f} {latency[0]:.2f} {latency[1]:.2f} {errors}")
PY
}

# Milliseconds of one request on a cold server (before any warm-up).
first_ms() {
    curl -sS -o /dev/null -w '%{time_total}' "$1" | awk '{ printf "%.1f", $1 * 1000 }'
}

urlencode() {
    python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"
}

echo "# zhengce vs Datasette"
echo
echo "- machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(uname -sr)"
echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), ${THREADS} threads, ${CONNECTIONS} connections, ${WARMUP} s warm-up then ${DURATION} s per request type; $(datasette --version)"
echo "- command: SIZES=\"${SIZES}\" DURATION=${DURATION} bench/run.sh"

for size in $SIZES; do
    dir="$WORK/$size"
    mkdir -p "$dir"
    if [ "$size" = 5 ]; then
        data="data"
    else
        data="$dir/data"
        "$BIN" synth --documents "$size" --seed "$SEED" --out "$data" >/dev/null
    fi
    db="$dir/zhengce.db"
    started=$(date +%s.%N)
    "$BIN" load --data "$data" --db "$db" >"$dir/load.log" 2>&1
    finished=$(date +%s.%N)
    documents=$(awk '/^total:/ {print $2}' "$dir/load.log")
    load_s=$(echo "$started $finished" | awk '{ printf "%.1f", $2 - $1 }')
    rate=$(echo "$documents $load_s" | awk '{ printf "%.0f", $1 / $2 }')
    db_mb=$(du -m "$db" | cut -f1)

    "$BIN" serve --db "$db" --bind "127.0.0.1:${PORT}" >"$dir/server.log" 2>&1 &
    SERVER=$!
    wait_for "$BASE/ready"
    eval "$(python3 bench/pick.py "$db" "$BASE")"
    datasette serve -i "$db" --host 127.0.0.1 --port "$DPORT" >"$dir/datasette.log" 2>&1 &
    DATASETTE=$!
    wait_for "$DBASE/-/versions.json"

    word=$(urlencode "$WORD")
    phrase=$(urlencode "$PHRASE")
    # name | zhengce path | Datasette path (empty: no equivalent)
    requests=(
        "static: /health|/health|/-/versions.json"
        "item lookup|/v1/measures/${MEASURE}|/zhengce/measures/${DATASETTE_MEASURE}.json"
        "filtered list (agency + role)|/v1/measures?agency=${AGENCY}&role=${ROLE}|/zhengce/measure_agencies.json?agency_id=${AGENCY}&role=${ROLE}&_size=50"
        "list with facets (theme)|/v1/measures?facet=theme|/zhengce/measure_themes.json?_facet=theme_id&_size=50"
        "deep cursor page|/v1/measures?cursor=${CURSOR}|/zhengce/measures.json?_size=50&_next=${DATASETTE_NEXT}"
        "CSV export of a filtered list|/v1/measures?document=${DOCUMENT}&format=csv|/zhengce/measures.csv?document_id=${DOCUMENT}&_size=max"
        "search, two-character word|/v1/measures?q=${word}|"
        "search, phrase|/v1/measures?q=${phrase}|"
        "search across types, word|/v1/search?q=${word}|"
    )

    echo
    echo "## ${size} documents"
    echo
    echo "- load: ${documents} documents, ${MEASURES} measures in ${load_s} s (${rate} documents/s); database ${db_mb} MB"
    rows=()
    static_rps=""
    for entry in "${requests[@]}"; do
        IFS='|' read -r name path dpath <<<"$entry"
        settle "$SERVER"
        first=$(first_ms "$BASE$path")
        read -r rps p50 p99 errors <<<"$(drive "$BASE$path")"
        if [ -z "$static_rps" ]; then static_rps="$rps"; fi
        if [ -n "$dpath" ]; then
            settle "$SERVER"
            settle "$DATASETTE"
            read -r drps dp50 dp99 derrors <<<"$(drive "$DBASE$dpath")"
            ratio=$(echo "$rps $drps" | awk '{ if ($2 > 0) printf "%.1f×", $1 / $2; else if ($1 > 0) print "∞ (Datasette: no answer)"; else print "–" }')
            dcells="${drps} | ${dp50} | ${dp99}"
        else
            derrors=0
            ratio="–"
            dcells="– | – | –"
        fi
        ceiling=$(echo "$rps $static_rps" | awk '{ if ($2 > 0) printf "%.0f%%", 100 * $1 / $2; else print "–" }')
        note=""
        if [[ "$dpath" == *_facet=* ]]; then
            # Datasette gives up on a facet after facet_time_limit_ms and answers without it.
            facets=$(curl -fsS "$DBASE$dpath" | python3 -c 'import json, sys; print(len(json.load(sys.stdin).get("facet_results") or {}))')
            if [ "$facets" = 0 ]; then note=" (Datasette: facet timed out, answered without it)"; fi
        fi
        if [ "$errors" != 0 ]; then note="$note (zhengce: $errors errors or time-outs)"; fi
        if [ "$derrors" != 0 ]; then note="$note (Datasette: $derrors errors or time-outs)"; fi
        rows+=("| ${name}${note} | ${first} | ${rps} | ${p50} | ${p99} | ${dcells} | ${ratio} | ${ceiling} |")
    done
    zrss=$(peak_rss_mb "$SERVER")
    drss=$(peak_rss_mb "$DATASETTE")
    echo "- peak RSS: zhengce ${zrss} MB, Datasette ${drss} MB"
    echo
    echo "| request | zhengce first ms | zhengce req/s | p50 ms | p99 ms | Datasette req/s | p50 ms | p99 ms | zhengce/Datasette | of static |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${rows[@]}"
    stop "$SERVER"
    SERVER=""
    stop "$DATASETTE"
    DATASETTE=""
done
echo
echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
