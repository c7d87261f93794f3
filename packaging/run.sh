#!/usr/bin/env bash
# One command to try Jiancha on a fresh Debian 12 machine: installs the packages, builds,
# creates a local store with demo data (once) and opens the client on it.
#   JIANCHA_DATA_DIR   where the store lives (default: $XDG_DATA_HOME/jiancha or ~/.local/share/jiancha)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/packaging/setup-deps.sh"
JIANCHA_TEST_KDF=OFF bash "$ROOT/packaging/build.sh"  # a product binary: JIANCHA_KDF=fast ignored
BIN="${BUILD_DIR:-$ROOT/build}/src/cli/jiancha"
DATA_DIR="${JIANCHA_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/jiancha}"
if [ ! -f "$DATA_DIR/jiancha.db" ]; then
  echo "run: creating a demo store in $DATA_DIR"
  # A demo store: unencrypted on purpose (`--no-passphrase`; the status bar says so in red).
  # Stores for real work are created encrypted by `jiancha init` or the first window.
  "$BIN" --data-dir "$DATA_DIR" init --user 王建国 --role lead --team 第一检查组 --no-passphrase
  "$BIN" --data-dir "$DATA_DIR" demo --findings 300
fi
"$BIN" --data-dir "$DATA_DIR" status
if [ -n "${DISPLAY:-}" ] && "$BIN" --data-dir "$DATA_DIR" gui --exit-after-first-frame >/dev/null 2>&1; then
  exec "$BIN" --data-dir "$DATA_DIR" gui
fi
echo "run: no display (or no GUI in this build); the CLI works on the same store, e.g."
echo "  $BIN --data-dir $DATA_DIR finding list"
