#!/usr/bin/env bash
# Peer-message throughput and client CPU per message: C++ SDK vs TypeScript SDK, same load,
# same local server (its send-rate limit raised so the clients, not the limit, set the pace).
# Usage: bash packages/sdk-cpp/bench/run.sh [messages=20000] [window=100]  (needs npm run build:cpp)
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
n="${1:-20000}"
window="${2:-100}"
cd "$root"
[ -f build/cpp/lib/libagora_rtm_sdk.so ] || npm run build:cpp
out="$(mktemp -d)"
g++ -std=c++17 -O2 packages/sdk-cpp/bench/peer_bench.cpp -Ibuild/cpp/include -Lbuild/cpp/lib \
  -lagora_rtm_sdk -lpthread -o "$out/peer_bench"
PORT=0 HOST=127.0.0.1 PARLEY_DATA_DIR="$out/data" PARLEY_LOG_LEVEL=silent \
  PARLEY_SEND_RATE_COUNT=100000000 \
  node --conditions=source --import tsx packages/server/src/cli.ts >"$out/server.log" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$out"' EXIT
for _ in $(seq 1 200); do grep -q 'listening on' "$out/server.log" && break; sleep 0.1; done
url="$(grep -o 'ws://[0-9.:]*' "$out/server.log" | head -1)"
"$out/peer_bench" "$url" "$n" "$window"
node --conditions=source --import tsx packages/sdk-cpp/bench/peer-bench.ts "$url" "$n" "$window"
