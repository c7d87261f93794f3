#!/usr/bin/env bash
# Builds the two Debian packages, jiancha (client) and jiancha-server, with CPack from a Release
# build installed under /usr, and checks them with lintian. The .deb files land in
# ${DEB_OUT:-build-deb/packages}.
#   BUILD_DIR   the build tree (default: build-deb; separate from the test build, which has tests)
#   LINTIAN=0   skip lintian
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-deb}"
OUT="${DEB_OUT:-$BUILD_DIR/packages}"
bash "$ROOT/packaging/setup-deps.sh"
need=()
for p in dpkg-dev fakeroot file lintian; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi

launcher=()
if command -v ccache >/dev/null 2>&1; then
  export CCACHE_BASEDIR="$ROOT"
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
      -DJIANCHA_BUILD_TESTS=OFF -DJIANCHA_TEST_KDF=OFF "${launcher[@]}" >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
rm -rf "$OUT" && mkdir -p "$OUT"
(cd "$BUILD_DIR" && cpack -G DEB -B "$OUT" >/dev/null)
rm -rf "$OUT/_CPack_Packages"
ls -1 "$OUT"/*.deb

if [ "${LINTIAN:-1}" != 0 ]; then
  status=0
  for deb in "$OUT"/*.deb; do
    echo "lintian $(basename "$deb"):"
    # Errors fail the build; warnings are shown. Running as root is expected here.
    lintian --fail-on error --allow-root --suppress-tags-from-file "$ROOT/packaging/deb/lintian-overrides" "$deb" || status=1
  done
  exit $status
fi
