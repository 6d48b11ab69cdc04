#!/usr/bin/env bash
# npm run build:cpp: the release library and headers into build/cpp/ (include/, lib/, with a
# CMake package config and a pkg-config file). Incremental: a second run rebuilds only changes.
set -euo pipefail
# Ninja, not Makefiles: faster no-op rebuilds, and no generated compiler_depend.ts files for the
# repo's ESLint to trip on.
root="$(cd "$(dirname "$0")/../../.." && pwd)"
prefix="$root/build/cpp"
obj="$root/build/cpp-obj"
cmake -S "$root/packages/sdk-cpp" -B "$obj" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPARLEY_TESTS=OFF \
  -DPARLEY_ABSOLUTE_SONAME=ON -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
cmake --build "$obj" -j2
cmake --install "$obj" --strip >/dev/null
echo "build:cpp: headers in $prefix/include, library $prefix/lib/libagora_rtm_sdk.so"
