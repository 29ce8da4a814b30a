#!/usr/bin/env bash
# Runs Apollo's subgraph compatibility suite against products.ts (our stack) in a private network namespace; exits with jest's code.
#
# Apollo's subgraph compatibility suite without Docker or rover: users and inventory are the suite's own subgraphs, products is ours, and an
# in-process ApolloGateway stands in for the router on :4000 (a port the suite hard-codes). Everything runs inside
# `unshare -n`, so port 4000 on the host may be busy and nothing here can reach or disturb the host network.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE"
PKG=node_modules/@apollo/federation-subgraph-compatibility-tests

if [ ! -d "$PKG" ]; then
  # --ignore-scripts: the suite depends on @apollo/rover, whose postinstall downloads a binary (we never use it).
  npm ci --ignore-scripts --no-audit --no-fund
fi

if [ -z "${FEDERATION_COMPAT_NETNS:-}" ]; then
  export FEDERATION_COMPAT_NETNS=1
  if [ "$(id -u)" = 0 ]; then exec unshare -n "$HERE/run.sh" "$@"; else exec unshare -rn "$HERE/run.sh" "$@"; fi
fi
ip link set lo up

export APOLLO_TELEMETRY_DISABLED=1 NODE_NO_WARNINGS=1
LOGS=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

start() { # name command...
  local name=$1; shift
  "$@" >"$LOGS/$name.log" 2>&1 &
  PIDS+=($!)
}
wait_port() { # name port
  for _ in $(seq 1 150); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "$1 did not listen on :$2 within 30 s; its log:" >&2
  cat "$LOGS/$1.log" >&2
  return 1
}

start users node "$PKG/dist/subgraphs/users/index.js"
start inventory node "$PKG/dist/subgraphs/inventory/index.js"
start products node --import tsx products.ts
wait_port users 4002
wait_port inventory 4003
wait_port products 4001
start gateway node --import tsx gateway.ts
wait_port gateway 4000

status=0
PRODUCTS_URL=http://127.0.0.1:4001/ npx jest --ci --config "$PKG/federation-jest.config.js" --rootDir "$PKG" "$PKG/dist/tests" || status=$?
if [ "$status" != 0 ]; then
  for log in "$LOGS"/*.log; do echo "== $log" >&2; cat "$log" >&2; done
fi
rm -rf "$LOGS"
exit "$status"
