#!/usr/bin/env bash
# One command to run every test on a fresh Debian 12 machine: installs the packages, builds
# (Release) into build-test, starts the services the tests use (an Xvfb display for the UI
# end-to-end tests; the sync server is started by its own integration tests on loopback),
# runs ctest, and stops what it started.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export BUILD_DIR="${BUILD_DIR:-$ROOT/build-test}"
bash "$ROOT/packaging/setup-deps.sh"
bash "$ROOT/packaging/build.sh"

XVFB_PID=""
cleanup() { [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null || true; }
trap cleanup EXIT
if [ -z "${DISPLAY:-}" ]; then
  for n in $(seq 90 120); do
    if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then DISP=":$n"; break; fi
  done
  Xvfb "$DISP" -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
  XVFB_PID=$!
  export DISPLAY="$DISP"
  for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
  xdpyinfo >/dev/null 2>&1 || { echo "test: Xvfb did not start on $DISPLAY"; exit 1; }
fi
echo "test: DISPLAY=$DISPLAY"
cd "$BUILD_DIR"
ctest --output-on-failure -j"$(nproc)" --timeout 600 "$@"
