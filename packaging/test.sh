#!/usr/bin/env bash
# One command to run every test on a fresh Debian 12 machine: installs the packages, builds
# (Release) into build-test, starts the services the tests use (an Xvfb display for the UI
# end-to-end tests; a PostgreSQL cluster in a temporary directory, owned by the unprivileged
# postgres user, on a free loopback port, for the PostgreSQL and multi-server tests; those
# tests start their own jiancha-server processes and HAProxy on loopback), runs ctest, and
# stops what it started.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export BUILD_DIR="${BUILD_DIR:-$ROOT/build-test}"
bash "$ROOT/packaging/setup-deps.sh"
bash "$ROOT/packaging/build.sh"

XVFB_PID=""
PG_DIR=""
PG_CTL=""
cleanup() {
  [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null || true
  if [ -n "$PG_DIR" ]; then
    pg_as "$PG_CTL" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
trap cleanup EXIT

# PostgreSQL refuses to run as root: as root the cluster belongs to the postgres user.
pg_as() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$PG_BIN/initdb" ] || { echo "test: PostgreSQL server binaries not found under /usr/lib/postgresql"; exit 1; }
PG_CTL="$PG_BIN/pg_ctl"
PG_DIR="$(mktemp -d /tmp/jiancha-test-pg.XXXXXX)"
PG_USER="$(id -un)"
if [ "$(id -u)" -eq 0 ]; then chown postgres "$PG_DIR"; PG_USER=postgres; fi
PG_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U "$PG_USER" -A trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 ||
  { cat "$PG_DIR/initdb.log"; exit 1; }
# Loopback only, socket directory inside the temporary directory; fsync stays on (the
# durability the tests check is PostgreSQL's own).
pg_as "$PG_CTL" -D "$PG_DIR/data" -w -l "$PG_DIR/server.log" \
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c max_connections=200" start >/dev/null ||
  { cat "$PG_DIR/server.log"; exit 1; }
export JIANCHA_TEST_PG="postgresql://$PG_USER@127.0.0.1:$PG_PORT"
export JIANCHA_TEST_HAPROXY="$(command -v haproxy || echo /usr/sbin/haproxy)"
export JIANCHA_TEST_SERVICES=1
echo "test: PostgreSQL on 127.0.0.1:$PG_PORT ($PG_DIR), HAProxy $JIANCHA_TEST_HAPROXY"
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
