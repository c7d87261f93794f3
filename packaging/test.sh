#!/usr/bin/env bash
# One command to run every test on a fresh Debian 12 machine: installs the packages, builds
# (Release) into build-test, starts the services the tests use (an Xvfb display for the UI
# end-to-end tests; a PostgreSQL cluster in a temporary directory, owned by the unprivileged
# postgres user, on a free loopback port, for the PostgreSQL and multi-server tests; HAProxy on
# loopback, round-robin over two ports where the multi-server test starts its jiancha-server
# processes), runs ctest, and stops what it started.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export BUILD_DIR="${BUILD_DIR:-$ROOT/build-test}"
bash "$ROOT/packaging/setup-deps.sh"
# The test build honours JIANCHA_KDF=fast (quick argon2id for the hundreds of test stores).
JIANCHA_TEST_KDF=ON bash "$ROOT/packaging/build.sh"

XVFB_PID=""
HAPROXY_PID=""
HA_DIR=""
PG_DIR=""
PG_CTL=""
cleanup() {
  [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null || true
  if [ -n "$HAPROXY_PID" ]; then kill "$HAPROXY_PID" 2>/dev/null || true; wait "$HAPROXY_PID" 2>/dev/null || true; fi
  [ -n "$HA_DIR" ] && rm -rf "$HA_DIR"
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
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PG_PORT="$(free_port)"
pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U "$PG_USER" -A trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 ||
  { cat "$PG_DIR/initdb.log"; exit 1; }
# Loopback only, socket directory inside the temporary directory; fsync stays on (the
# durability the tests check is PostgreSQL's own).
pg_as "$PG_CTL" -D "$PG_DIR/data" -w -l "$PG_DIR/server.log" \
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c max_connections=200" start >/dev/null ||
  { cat "$PG_DIR/server.log"; exit 1; }
export JIANCHA_TEST_PG="postgresql://$PG_USER@127.0.0.1:$PG_PORT"
export JIANCHA_TEST_HAPROXY="$(command -v haproxy || echo /usr/sbin/haproxy)"
# HAProxy in front of two loopback ports; the multi-server test starts its servers there
# (fast health checks: a killed server leaves the rotation within a fraction of a second).
HA_DIR="$(mktemp -d /tmp/jiancha-test-haproxy.XXXXXX)"
HA_PORT="$(free_port)"; HA_B1="$(free_port)"; HA_B2="$(free_port)"
cat >"$HA_DIR/haproxy.cfg" <<EOF
global
  maxconn 4000
  log stderr format raw local0
defaults
  log global
  option httplog
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  retries 2
  option redispatch
  option http-server-close
frontend hq
  bind 127.0.0.1:$HA_PORT
  default_backend servers
backend servers
  balance roundrobin
  server s0 127.0.0.1:$HA_B1 check inter 200ms fall 1 rise 1
  server s1 127.0.0.1:$HA_B2 check inter 200ms fall 1 rise 1
EOF
"$JIANCHA_TEST_HAPROXY" -f "$HA_DIR/haproxy.cfg" -db >"$HA_DIR/haproxy.log" 2>&1 &
HAPROXY_PID=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$HA_PORT") 2>/dev/null && break; sleep 0.05; done
(exec 3<>"/dev/tcp/127.0.0.1/$HA_PORT") 2>/dev/null || { cat "$HA_DIR/haproxy.log"; echo "test: HAProxy did not start"; exit 1; }
export JIANCHA_TEST_HAPROXY_URL="http://127.0.0.1:$HA_PORT"
export JIANCHA_TEST_HAPROXY_BACKENDS="$HA_B1,$HA_B2"
export JIANCHA_TEST_SERVICES=1
echo "test: PostgreSQL on 127.0.0.1:$PG_PORT ($PG_DIR), HAProxy on $JIANCHA_TEST_HAPROXY_URL -> $JIANCHA_TEST_HAPROXY_BACKENDS"
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
