#!/usr/bin/env bash
# One command to run the Jiancha headquarters sync server on this machine: installs the
# packages, builds, creates the server database with one HQ administrator (once) and serves.
#   JIANCHA_SERVER_DB   database file (default: ~/.local/share/jiancha-server/server.db)
#   JIANCHA_LISTEN      HOST:PORT (default: 127.0.0.1:8443)
#   JIANCHA_TLS_CERT, JIANCHA_TLS_KEY   PEM files for HTTPS (optional)
#   JIANCHA_HQ_USER     name of the first hq_admin user (default: hq)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/packaging/setup-deps.sh"
bash "$ROOT/packaging/build.sh"
BIN="${BUILD_DIR:-$ROOT/build}/sync/server/jiancha-server"
DB="${JIANCHA_SERVER_DB:-${XDG_DATA_HOME:-$HOME/.local/share}/jiancha-server/server.db}"
LISTEN="${JIANCHA_LISTEN:-127.0.0.1:8443}"
mkdir -p "$(dirname "$DB")"
if [ ! -f "$DB" ]; then
  "$BIN" init --db "$DB"
  "$BIN" user add "${JIANCHA_HQ_USER:-hq}" --role hq_admin --db "$DB"
  echo "run-server: enrolment code for ${JIANCHA_HQ_USER:-hq}: $("$BIN" enroll-code --user "${JIANCHA_HQ_USER:-hq}" --db "$DB")"
fi
TLS=()
if [ -n "${JIANCHA_TLS_CERT:-}" ]; then TLS=(--tls-cert "$JIANCHA_TLS_CERT" --tls-key "${JIANCHA_TLS_KEY:?set JIANCHA_TLS_KEY too}"); fi
exec "$BIN" serve --db "$DB" --listen "$LISTEN" "${TLS[@]}"
