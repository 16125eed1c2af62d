#!/usr/bin/env bash
# Installs the real OpenID Connect provider the SSO tests start (Lemonldap::NG behind nginx; DESIGN §6).
# Idempotent and non-interactive: when every package is already installed it exits in well under a second
# without touching apt, so CI can call it unconditionally.
set -euo pipefail

packages=(
  lemonldap-ng lemonldap-ng-fastcgi-server nginx-light openssl
  # Only "Recommends" of lemonldap-ng, but the portal needs them at run time; without them it fails with
  # nothing more than "Unable to protect this server ()".
  libgd-securityimage-perl libimage-magick-perl libstring-random-perl libio-string-perl libemail-sender-perl
  libipc-run-perl libconvert-base32-perl libmime-tools-perl libunicode-string-perl libio-socket-timeout-perl
  libapache-session-browseable-perl libcookie-baker-xs-perl libhttp-parser-xs-perl libdbi-perl
  libdbd-sqlite3-perl
)

missing=()
for pkg in "${packages[@]}"; do
  # dpkg -s also succeeds for removed-but-configured packages, so check the status line itself.
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-idp: all ${#packages[@]} packages already installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-idp: missing packages (${missing[*]}); run as root" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Refresh the index only when it has never been fetched or the install fails on a stale one.
apt_install() {
  apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"
}
if ! compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null || ! apt_install; then
  apt-get update -q
  apt_install
fi

# The Debian packages start system-wide services; the tests run private instances, so the system ones would
# only hold port 80 and memory. Stop only those this run installed (no systemd in CI containers, hence the
# tolerant calls), leaving a machine's own nginx alone.
for pair in nginx-light:nginx lemonldap-ng-fastcgi-server:lemonldap-ng-fastcgi-server; do
  pkg=${pair%%:*} svc=${pair#*:}
  if [[ " ${missing[*]} " == *" $pkg "* ]]; then
    if [ -d /run/systemd/system ]; then
      systemctl disable --now "$svc" >/dev/null 2>&1 || true
    else
      service "$svc" stop >/dev/null 2>&1 || true
    fi
  fi
done
echo "install-idp: installed ${missing[*]}"
