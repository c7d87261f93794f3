#!/usr/bin/env bash
# Configures and builds Jiancha (Release) into ${BUILD_DIR:-build}. Used by run.sh and test.sh.
# Uses ccache when it is installed (paths relative to the tree, so clones share the cache).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
launcher=()
if command -v ccache >/dev/null 2>&1; then
  export CCACHE_BASEDIR="$ROOT"
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
# JIANCHA_TEST_KDF=ON|OFF (test.sh: ON, run.sh: OFF) is passed on; unset keeps the tree's setting.
kdf=()
[ -n "${JIANCHA_TEST_KDF:-}" ] && kdf=(-DJIANCHA_TEST_KDF="$JIANCHA_TEST_KDF")
cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" "${launcher[@]}" "${kdf[@]}" >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
