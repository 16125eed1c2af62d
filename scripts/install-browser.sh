#!/usr/bin/env bash
# Installs the browser the browser tests drive (Debian chromium through Playwright; DESIGN §6).
# Idempotent and non-interactive: exits at once when chromium is already there, so CI can call it always.
# Never `playwright install`: browser downloads fail on these machines.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "install-browser: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) already installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-browser: chromium is missing; run as root (apt-get install -y chromium)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt_install() {
  apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core
}
# Refresh the index only when it has never been fetched or the install fails on a stale one.
if ! compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null || ! apt_install; then
  apt-get update -q
  apt_install
fi
echo "install-browser: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
