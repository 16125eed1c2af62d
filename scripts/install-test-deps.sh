#!/usr/bin/env bash
# Installs what the test suite needs beyond Python packages (Debian: the Lemonldap::NG OpenID provider and
# Chromium). Each script does nothing when its packages are already there. Needs root, as on CI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-idp.sh
bash scripts/install-browser.sh
