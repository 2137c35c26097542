#!/usr/bin/env bash
# Soak: 256 connections for SECONDS (default 60) over a mix of good and bad requests against
# a release server on the bundled corpus; then a burst of 1,000 connections. Passes when
# there is no 5xx, no connection dropped by the server (read/write errors) and the server's
# memory is flat after warm-up (growth below 10%). Loopback only. Not part of CI.
# Usage: scripts/soak.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release --locked
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
./target/release/zhengce load --data data --db "$work/zhengce.db" >/dev/null
RUST_LOG=warn ./target/release/zhengce serve --db "$work/zhengce.db" --bind "127.0.0.1:$port" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
rss() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }

echo "warm-up (10 s)"
wrk -t2 -c256 -d10s -s scripts/soak.lua "http://127.0.0.1:$port" >/dev/null
warm=$(rss)
( while kill -0 $server 2>/dev/null; do rss >> "$work/rss"; sleep 5; done ) &
sampler=$!
echo "soak: 256 connections for ${seconds} s"
wrk -t2 -c256 -d"${seconds}s" --timeout 10s -s scripts/soak.lua "http://127.0.0.1:$port" | tee "$work/soak.txt"
kill $sampler 2>/dev/null || true
final=$(rss)
echo "burst: 1,000 connections for 5 s"
ulimit -n 4096 || true
wrk -t2 -c1000 -d5s --timeout 10s -s scripts/soak.lua "http://127.0.0.1:$port" | tee "$work/burst.txt"
alive=$(curl -fs -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health" || echo down)

five=$(sed -nE 's/^status .*5xx=([0-9]+).*/\1/p' "$work/soak.txt")
dropped=$(sed -nE 's/^socket errors connect=[0-9]+ read=([0-9]+) write=([0-9]+).*/\1 \2/p' "$work/soak.txt" | awk '{print $1+$2}')
burst_five=$(sed -nE 's/^status .*5xx=([0-9]+).*/\1/p' "$work/burst.txt")
growth=$(awk -v w="$warm" -v f="$final" 'BEGIN { printf "%.1f", (f - w) * 100 / w }')
echo
echo "rss after warm-up ${warm} kB, after soak ${final} kB (growth ${growth}%), samples: $(tr '\n' ' ' < "$work/rss")"
echo "soak 5xx=${five} dropped=${dropped}; burst 5xx=${burst_five}; health after burst: ${alive}"
ok=1
[ "$five" = 0 ] || ok=0
[ "$dropped" = 0 ] || ok=0
[ "$burst_five" = 0 ] || ok=0
[ "$alive" = 200 ] || ok=0
awk -v g="$growth" 'BEGIN { exit !(g < 10) }' || ok=0
if [ $ok = 1 ]; then echo "soak: PASS"; else echo "soak: FAIL"; exit 1; fi
