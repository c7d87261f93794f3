#!/usr/bin/env bash
# Cross-builds the two Debian packages for arm64 (the 信创 desktops: UOS, Kylin) on this amd64
# Debian 12 machine and runs the unit tests under qemu-user-static.
#   BUILD_DIR   the build tree (default: build-arm64)
#   TESTS=0     skip building and running the unit tests
# The .deb files land in $BUILD_DIR/packages. Needs root for apt-get (adds the arm64 architecture).
#
# Debian 12's libpq-dev is not multiarch-co-installable (installing libpq-dev:arm64 removes the
# amd64 one), nor is catch2. So libpq's arm64 development files are unpacked into the build tree
# (apt-get download + dpkg -x) beside the installed libpq5:arm64, and Catch2 (header-only) is the
# host's.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-arm64}"
OUT="$BUILD_DIR/packages"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo

bash "$ROOT/packaging/setup-deps.sh"
ARM_PACKAGES=(crossbuild-essential-arm64 qemu-user-static
  libsqlite3-dev:arm64 libglfw3-dev:arm64 libgl-dev:arm64 libstb-dev:arm64 libfontconfig-dev:arm64
  libfreetype-dev:arm64 libcurl4-openssl-dev:arm64 libssl-dev:arm64 libsodium-dev:arm64
  libpq5:arm64 libzip-dev:arm64 libexpat1-dev:arm64 libxlsxwriter-dev:arm64 libcairo2-dev:arm64
  libpango1.0-dev:arm64 libportal-dev:arm64 libcpp-httplib-dev:arm64 zlib1g-dev:arm64)
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  $SUDO dpkg --add-architecture arm64
  $SUDO apt-get update -q
fi
missing=()
for p in "${ARM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  # Refuse an install that would remove host packages (apt would do it silently with -y).
  if $SUDO apt-get install -s --no-install-recommends "${missing[@]}" | grep -q '^Remv'; then
    echo "cross-arm64: installing ${missing[*]} would remove host packages:" >&2
    $SUDO apt-get install -s --no-install-recommends "${missing[@]}" | grep '^Remv' >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# libpq's development files for arm64, unpacked into the build tree.
EXTRA="$BUILD_DIR/arm64-extra"
if [ ! -f "$EXTRA/pkgconfig/libpq.pc" ]; then
  rm -rf "$EXTRA" && mkdir -p "$EXTRA/deb" "$EXTRA/lib" "$EXTRA/pkgconfig"
  (cd "$EXTRA/deb" && apt-get download libpq-dev:arm64 2>/dev/null && dpkg -x libpq-dev_*_arm64.deb root)
  ln -sf /usr/lib/aarch64-linux-gnu/libpq.so.5 "$EXTRA/lib/libpq.so"
  sed "s|^libdir=.*|libdir=$EXTRA/lib|" "$EXTRA/deb/root/usr/lib/aarch64-linux-gnu/pkgconfig/libpq.pc" \
    > "$EXTRA/pkgconfig/libpq.pc"
fi
export JIANCHA_ARM64_EXTRA_PC="$EXTRA/pkgconfig"

launcher=()
if command -v ccache >/dev/null 2>&1; then
  export CCACHE_BASEDIR="$ROOT"
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
tests=OFF; [ "${TESTS:-1}" != 0 ] && tests=ON
cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
      -DCMAKE_TOOLCHAIN_FILE="$ROOT/packaging/arm64/toolchain.cmake" -DJIANCHA_BUILD_TESTS=$tests \
      -DCMAKE_EXE_LINKER_FLAGS="-L$EXTRA/lib" -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON \
      "${launcher[@]}" >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" --target jiancha jiancha-server \
  gz_client_jiancha.1 gz_server_jiancha-server.8 gz_client_changelog.Debian gz_server_changelog.Debian
file "$BUILD_DIR/src/cli/jiancha" "$BUILD_DIR/sync/server/jiancha-server" 2>/dev/null || true

# Packages (only the two programs are built first: installing does not build every target).
# dpkg-shlibdeps reads the arm64 binaries' needs from the arm64 multiarch libraries.
rm -rf "$OUT" && mkdir -p "$OUT"
(cd "$BUILD_DIR" && DEB_HOST_ARCH=arm64 cpack -G DEB -B "$OUT" >/dev/null)
rm -rf "$OUT/_CPack_Packages"
for deb in "$OUT"/*.deb; do
  echo "$(basename "$deb"): $(dpkg-deb -f "$deb" Architecture) — Depends: $(dpkg-deb -f "$deb" Depends)"
done

if [ "$tests" = ON ]; then
  units=()
  for f in "$ROOT"/tests/unit/*_test.cpp; do units+=("$(basename "$f" .cpp)"); done
  cmake --build "$BUILD_DIR" -j"$(nproc)" --target "${units[@]}"
  # The unit tests, each run by qemu-aarch64-static (CMAKE_CROSSCOMPILING_EMULATOR).
  ctest --test-dir "$BUILD_DIR" -L unit -j"$(nproc)" --output-on-failure
fi
