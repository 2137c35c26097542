#!/usr/bin/env bash
# Schema fuzzing: schemathesis (PyPI) generates valid, boundary and invalid requests for
# every operation of the live server's /v1/openapi.json and checks every answer against the
# spec: no server error, documented status codes, content types, headers and bodies, and
# invalid input rejected. Usage: scripts/schemathesis.sh [SECONDS] (default 600; .ci/run
# runs a bounded pass with a fixed seed).
#
# Not checked: positive_data_acceptance — the API answers a documented 400 for values that
# fit the schema's types but name nothing (an unknown document id in `document=`, a cursor
# it did not issue), so that a typo is an error rather than an empty list; and the two
# authorization checks, as the API has no authentication.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
seed=${SCHEMATHESIS_SEED:-}
if ! command -v schemathesis >/dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check 'schemathesis>=4,<5'
fi
binary=${ZHENGCE_BIN:-target/debug/zhengce}
[ -x "$binary" ] || cargo build --locked
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
RUST_LOG=warn "$binary" serve --db "$work/zhengce.db" --data data --bind "127.0.0.1:$port" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 300); do curl -fs "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.2; done
args=(run "http://127.0.0.1:$port/v1/openapi.json"
  --checks all --exclude-checks positive_data_acceptance,ignored_auth,object_level_authorization
  --workers 2 --max-time "$seconds" --continue-on-failure --wait-for-schema 30)
[ -n "$seed" ] && args+=(--seed "$seed")
schemathesis "${args[@]}"
