#!/usr/bin/env bash
# Installs every Debian 12 package Jiancha needs to build, run and test.
# Idempotent: packages already present are skipped by apt-get.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git ca-certificates
  libsqlite3-dev sqlite3
  libimgui-dev libglfw3-dev libgl-dev libstb-dev
  libfontconfig-dev libfreetype-dev fonts-noto-cjk
  libcurl4-openssl-dev nlohmann-json3-dev catch2
  libcpp-httplib-dev libssl-dev openssl libsodium-dev libpq-dev
  libzip-dev libexpat1-dev libxlsxwriter-dev
  xvfb xdotool imagemagick libgl1-mesa-dri x11-utils
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "setup-deps: installing ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
