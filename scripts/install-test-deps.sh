#!/usr/bin/env bash
# Installs what the test suite needs beyond Python packages: nothing is downloaded when already present.
# Debian packages need root (CI and the dev machines run as root); without root the affected tests fail loudly.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x scripts/install-idp.sh ] || [ -f scripts/install-idp.sh ]; then
  bash scripts/install-idp.sh
fi
