#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 60) each with cargo-fuzz (libFuzzer), seeded
# with the bundled documents, and prints one line per target: runs, coverage, and whether
# it found a crash. Not part of CI. Usage: fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-../target/fuzz}
# -s none: no sanitizer, so the harness builds on the stable toolchain; libFuzzer's
# coverage guidance still applies.
cargo fuzz build -s none
targets=(normalize annotation parse_document search_query)
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" artifacts
  case "$target" in
    search_query) printf '医疗' > corpus/search_query/seed-1; printf '"线上业" OR 5G -金融' > corpus/search_query/seed-2 ;;
    *) cp ../data/documents/*.txt "corpus/$target/" ;;
  esac
  log="artifacts/$target.log"
  if cargo fuzz run -s none "$target" "corpus/$target" -- -max_total_time="$seconds" -max_len=65536 \
      -artifact_prefix="artifacts/$target-" >"$log" 2>&1; then
    outcome="no crash"
  else
    outcome="CRASH (see $log)"
  fi
  stats=$(grep -E '^#[0-9]+.*(DONE|pulse)' "$log" | tail -1 || true)
  runs=$(echo "$stats" | sed -E 's/^#([0-9]+).*/\1/')
  cov=$(echo "$stats" | sed -nE 's/.*cov: ([0-9]+).*/\1/p')
  echo "$target: ${runs:-?} runs in ${seconds}s, coverage ${cov:-?} edges, $outcome"
done
