#!/usr/bin/env bash
# npm run test:cpp: builds the release library (build:cpp, used by the contract test), then the
# tests with AddressSanitizer + UndefinedBehaviorSanitizer, and runs them with ctest.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
bash "$root/packages/sdk-cpp/scripts/build.sh"
asan="$root/build/cpp-asan"
# -O0: Beast under ASan at -O1 takes minutes to compile on 2 cores; the tests wait on sockets.
cmake -S "$root/packages/sdk-cpp" -B "$asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-O0 -g1" -DPARLEY_SANITIZE=ON \
  -DPARLEY_CONTRACT_PREFIX="$root/build/cpp" >/dev/null
cmake --build "$asan" -j2
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
ctest --test-dir "$asan" --output-on-failure -j2
echo "test:cpp: ${SECONDS} s (configure + build + ctest)"
