#!/usr/bin/env bash
# Installs every Debian 12 package Jiancha needs to build, run and test.
# Idempotent: packages already present are skipped by apt-get.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git ca-certificates
  libsqlite3-dev sqlite3
  dpkg-dev libglfw3-dev libgl-dev libstb-dev
  libfontconfig-dev libfreetype-dev fonts-noto-cjk fonts-hanazono fonts-babelstone-han fonts-dejavu-core
  libcurl4-openssl-dev nlohmann-json3-dev catch2
  libcpp-httplib-dev libssl-dev openssl libsodium-dev libgcrypt20-dev libpq-dev
  libzip-dev libexpat1-dev libxlsxwriter-dev
  postgresql haproxy
  xvfb xdotool imagemagick libgl1-mesa-dri x11-utils faketime
  libportal-dev zenity dbus-daemon python3-gi libglib2.0-bin
  libxlsxwriter-dev libcairo2-dev libpango1.0-dev fonts-arphic-ukai poppler-utils python3-openpyxl
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Dear ImGui is compiled from Debian's source package (third_party/imgui runs
# `apt-get source imgui`), which needs a deb-src entry for the same archive as the binary
# packages. Added once, as a copy of the system's Debian entries with Types: deb-src.
DEBSRC=/etc/apt/sources.list.d/jiancha-deb-src.sources
need_update=0
if ! apt-cache showsrc imgui 2>/dev/null | grep -q '^Package: imgui'; then
  if [ ! -e "$DEBSRC" ]; then
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
      sed -E 's/^Types:.*/Types: deb-src/' /etc/apt/sources.list.d/debian.sources | $SUDO tee "$DEBSRC" >/dev/null
    else
      grep -hE '^deb[[:space:]]' /etc/apt/sources.list 2>/dev/null | grep -v 'deb-src' |
        sed -E 's/^deb[[:space:]]+/deb-src /' | $SUDO tee "${DEBSRC%.sources}.list" >/dev/null
    fi
    echo "setup-deps: added deb-src entries for the Debian archive"
  fi
  need_update=1
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ] && [ $need_update -eq 0 ]; then
  echo "setup-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

$SUDO apt-get update -q
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-deps: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
apt-cache showsrc imgui 2>/dev/null | grep -q '^Package: imgui' ||
  { echo "setup-deps: apt has no source for imgui even with $DEBSRC; check the apt sources"; exit 1; }
