#!/usr/bin/env bash
# Installs the two packages built by packaging/deb.sh into a fresh Debian 12 root (debootstrap,
# minbase; the pristine root is cached as a tarball) and checks, inside it:
#   the client: jiancha --version, init, a CLI workflow (campaign, finding, submit, accept, search,
#     status, audit verify), the desktop entry and the icon in place;
#   the server: the system user and /var/lib/jiancha made by postinst, the database initialised,
#     `serve` answering /v1/version, a device enrolling and syncing against it;
#   the maintainer scripts: a second configure changes nothing, remove keeps the data, purge of a
#     server with a database keeps the records.
# Too slow for CI (a debootstrap, then apt installs the dependencies): run it by hand.
#   VERIFY_CACHE  where the cached root lives (default /var/cache/jiancha-verify)
#   DEB_DIR       where the .deb files are (default build-deb/packages)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEB_DIR="${DEB_DIR:-$ROOT/build-deb/packages}"
CACHE="${VERIFY_CACHE:-/var/cache/jiancha-verify}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
[ "$(id -u)" -eq 0 ] || { echo "verify-deb: run as root (debootstrap and chroot)"; exit 2; }
ls "$DEB_DIR"/jiancha_*.deb "$DEB_DIR"/jiancha-server_*.deb >/dev/null 2>&1 \
  || { echo "verify-deb: no packages in $DEB_DIR; run packaging/deb.sh first"; exit 2; }
command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap

mkdir -p "$CACHE"
if [ ! -f "$CACHE/bookworm-minbase.tar" ]; then
  echo "verify-deb: debootstrap bookworm (once; cached in $CACHE)"
  rm -rf "$CACHE/root.tmp"
  debootstrap --variant=minbase bookworm "$CACHE/root.tmp" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
    || { tail -20 "$CACHE/debootstrap.log"; exit 1; }
  tar -C "$CACHE/root.tmp" -cf "$CACHE/bookworm-minbase.tar.tmp" .
  mv "$CACHE/bookworm-minbase.tar.tmp" "$CACHE/bookworm-minbase.tar"
  rm -rf "$CACHE/root.tmp"
fi

R="$(mktemp -d /tmp/jiancha-verify.XXXXXX)"
cleanup() {
  for m in proc dev/pts dev sys; do umount -l "$R/$m" 2>/dev/null || true; done
  rm -rf "$R"
}
trap cleanup EXIT
tar -C "$R" -xf "$CACHE/bookworm-minbase.tar"
mount -t proc proc "$R/proc"; mount --bind /dev "$R/dev"; mount --bind /dev/pts "$R/dev/pts"; mount -t sysfs sys "$R/sys"
cp /etc/resolv.conf "$R/etc/resolv.conf" 2>/dev/null || true
mkdir -p "$R/tmp/debs" && cp "$DEB_DIR"/*.deb "$R/tmp/debs/"
cat >"$R/tmp/check.sh" <<'CHECK'
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
step() { printf '\n== %s\n' "$*"; }
fail() { echo "FAILED: $*"; exit 1; }
step "apt installs both packages and their dependencies"
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends /tmp/debs/jiancha_*.deb /tmp/debs/jiancha-server_*.deb curl >/tmp/apt.log 2>&1 \
  || { tail -30 /tmp/apt.log; fail "apt-get install"; }
dpkg -l jiancha jiancha-server | tail -2

step "client"
jiancha --version
test -f /usr/share/applications/jiancha.desktop || fail "desktop entry"
test -f /usr/share/icons/hicolor/48x48/apps/jiancha.png || fail "icon"
test -f /usr/share/man/man1/jiancha.1.gz || fail "man page"
D=/root/store
# New stores are encrypted; scripts give the passphrase through the environment.
export JIANCHA_PASSPHRASE='验证口令 verify-deb'
# JIANCHA_KDF=fast is a test-build switch: the packaged binary ignores it (full argon2id limits).
JIANCHA_KDF=fast jiancha --data-dir $D init --user 王局 --role hq_admin >/dev/null
grep -q '"mem": 67108864' $D/jiancha.db.keys || fail "the packaged client honoured JIANCHA_KDF=fast (weak key file)"
CAMP=$(jiancha --data-dir $D campaign add --title "2026年张掖市行政效能专项监察" --prefix 张监 --json | sed -n 's/.*"id": *"\([^"]*\)".*/\1/p' | head -1)
[ -n "$CAMP" ] || fail "campaign add"
jiancha --data-dir $D user add --name 张伟 --role inspector >/dev/null
F=$(jiancha --data-dir $D --as 张伟 finding add --campaign "$CAMP" --category wage_arrears --title "拖欠农民工工资 验证" \
      --region 620702101 --area hotspot_issues --field amount_owed=386500.50 --field workers_affected=42 \
      --field employer=张掖市某建筑公司 --field project=梁家墩镇安置房项目 --field months_overdue=3 --json \
      | sed -n 's/.*"id": *"\([^"]*\)".*/\1/p' | head -1)
[ -n "$F" ] || fail "finding add"
jiancha --data-dir $D --as 张伟 finding submit "$F" >/dev/null
jiancha --data-dir $D finding accept "$F" >/dev/null
jiancha --data-dir $D search 农民工 | grep -q "验证" || fail "search"
! grep -rqaF "拖欠农民工工资 验证" $D || fail "the finding's title lies in plaintext under the data directory"
jiancha --data-dir $D status
jiancha --data-dir $D audit verify

step "server: postinst made the user, the state directory and the database"
getent passwd jiancha
stat -c '%U:%G %a %n' /var/lib/jiancha /var/lib/jiancha/server.db
test -f /etc/jiancha/server.conf || fail "server.conf"
test -f /usr/lib/systemd/system/jiancha-server.service || test -f /lib/systemd/system/jiancha-server.service || fail "unit"
DB=/var/lib/jiancha/server.db
runuser -u jiancha -- jiancha-server team add 第一检查组 --db $DB >/dev/null
runuser -u jiancha -- jiancha-server user add 张伟 --role inspector --team 第一检查组 --db $DB >/dev/null
CODE=$(runuser -u jiancha -- jiancha-server enroll-code --user 张伟 --db $DB | tail -1)
runuser -u jiancha -- jiancha-server serve --db $DB --listen 127.0.0.1:18443 --quiet >/tmp/server.log 2>&1 &
SRV=$!
for _ in $(seq 50); do curl -sf http://127.0.0.1:18443/v1/version >/dev/null && break; sleep 0.1; done
echo "GET /v1/version: $(curl -sf http://127.0.0.1:18443/v1/version)"
jiancha --data-dir /root/laptop enroll --server http://127.0.0.1:18443 --code "$CODE"
jiancha --data-dir /root/laptop sync
kill -TERM $SRV; wait $SRV || true
grep -qE "jiancha-server (stopped|已停止)" /tmp/server.log || fail "no graceful stop on SIGTERM"
echo "SIGTERM: stopped gracefully"

step "maintainer scripts are idempotent; remove keeps data; purge keeps records"
dpkg-reconfigure jiancha-server >/dev/null 2>&1 || /var/lib/dpkg/info/jiancha-server.postinst configure 0.1.0-1
test -f $DB || fail "database lost on reconfigure"
apt-get remove -y -q jiancha-server >/dev/null
test -f $DB || fail "remove lost the database"
echo "after remove: database kept"
apt-get purge -y -q jiancha-server 2>&1 | grep -i "kept" || true
test -f $DB || fail "purge removed the records"
echo "after purge: records kept in /var/lib/jiancha"
test ! -e /etc/jiancha/server.conf || fail "purge left /etc/jiancha/server.conf"
echo "after purge: /etc/jiancha/server.conf removed"
apt-get purge -y -q jiancha >/dev/null
test ! -e /usr/bin/jiancha || fail "the client's binary is still there after purge"
echo "client purged"
echo; echo "verify-deb: all checks passed"
CHECK
chroot "$R" /bin/bash /tmp/check.sh
