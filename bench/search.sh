#!/usr/bin/env bash
# Search latency benchmark (not a test): builds the release binary, loads a data folder into a
# fresh database, starts the server on it and measures the latency of full-text queries over
# real HTTP with oha (installed with `cargo install oha --locked` when missing). Prints the
# machine, the command and a Markdown table of p50/p99 per query and endpoint.
#
#   bench/search.sh                      # the bundled corpus (data/)
#   bench/search.sh /tmp/syn1000         # another data folder, e.g. from
#                                        #   zhengce synth --documents 1000 --seed 1 --out /tmp/syn1000
#
# Environment: REQUESTS (per query and endpoint, default 1000), CONCURRENCY (default 1, so the
# figures are per-request latency), PORT (default 18090).
set -euo pipefail

cd "$(dirname "$0")/.."
DATA="${1:-data}"
REQUESTS="${REQUESTS:-1000}"
CONCURRENCY="${CONCURRENCY:-1}"
PORT="${PORT:-18090}"
BASE="http://127.0.0.1:${PORT}"

if ! command -v oha >/dev/null 2>&1; then
    echo "installing oha (cargo install oha --locked)…" >&2
    cargo install oha --locked >&2
fi

cargo build --release --quiet
BIN=target/release/zhengce
WORK="$(mktemp -d)"
SERVER=""
cleanup() {
    if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN" load --data "$DATA" --db "$WORK/zhengce.db" >&2
"$BIN" serve --db "$WORK/zhengce.db" --bind "127.0.0.1:${PORT}" >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do
    curl -fsS "$BASE/ready" >/dev/null 2>&1 && break
    sleep 0.1
done
curl -fsS "$BASE/ready" >/dev/null

counts="$(curl -fsS "$BASE/v1" | python3 -c 'import json,sys; c=json.load(sys.stdin)["data"]["counts"]; print(", ".join(f"{c[k]} {k}" for k in ("documents","measures","goals","agencies")))')"

# name|query: a two-character word, a phrase across word boundaries, OR, exclusion.
QUERIES=(
    'word|医疗'
    'phrase|"线上业"'
    'or|医疗 OR 教育'
    'exclusion|医疗 -互联网'
)
ENDPOINTS=(
    '/v1/search?limit=20&q='
    '/v1/measures?limit=20&q='
)

echo "## Search latency"
echo
echo "- machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(uname -sr)"
echo "- corpus: ${DATA} (${counts})"
echo "- command: REQUESTS=${REQUESTS} CONCURRENCY=${CONCURRENCY} bench/search.sh ${1:-}"
echo "- client: $(oha --version), ${REQUESTS} requests per row, ${CONCURRENCY} at a time, keep-alive"
echo
echo "| query | endpoint | hits | first ms | p50 ms | p99 ms | req/s |"
echo "|---|---|---:|---:|---:|---:|---:|"
for entry in "${QUERIES[@]}"; do
    name="${entry%%|*}"
    query="${entry#*|}"
    encoded="$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$query")"
    for endpoint in "${ENDPOINTS[@]}"; do
        url="${BASE}${endpoint}${encoded}"
        # The first request of a query also counts its hits; the server keeps exact totals
        # and facet counts in memory, so the repeated requests after it measure the page.
        first="$(curl -fsS -o "$WORK/first.json" -w '%{time_total}' "$url")"
        hits="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["meta"]["total"])' "$WORK/first.json")"
        oha -n 50 -c "$CONCURRENCY" --no-tui "$url" >/dev/null
        oha -n "$REQUESTS" -c "$CONCURRENCY" --no-tui --output-format json "$url" >"$WORK/oha.json"
        python3 - "$name" "$query" "${endpoint%%\?*}" "$hits" "$first" "$WORK/oha.json" <<'PY'
import json, sys
name, query, endpoint, hits, first, path = sys.argv[1:]
report = json.load(open(path))
codes = report.get("statusCodeDistribution", {})
if set(codes) != {"200"}:
    sys.exit(f"{endpoint} {query}: status codes {codes}")
p = report["latencyPercentiles"]
rps = report["summary"]["requestsPerSec"]
print(f"| {name}: `{query}` | `{endpoint}` | {hits} | {float(first) * 1000:.1f} | {p['p50'] * 1000:.2f} | {p['p99'] * 1000:.2f} | {rps:.0f} |")
PY
    done
done
