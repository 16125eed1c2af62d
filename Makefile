# Samla — the two commands a fresh machine needs are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PY ?= python3
UV := .tools/bin/uv
VENV := .venv
PYTHON := $(VENV)/bin/python
PYTEST_ARGS ?=
ONLY ?=

.PHONY: run test test-fast lint gen check-gen check-contracts bench k8s-render k8s-check install install-test-deps clean

# uv itself comes from PyPI into .tools/, so nothing but Python 3.11 is needed to start.
$(UV):
	$(PY) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==0.13.9

install: $(UV)
	$(UV) sync --frozen --all-packages

run: install
	$(PYTHON) deploy/local/run.py

# Everything that fits in CI: unit, integration (SQLite and PostgreSQL, real broker), contracts, whole-system.
test: install install-test-deps
	$(PYTHON) -m pytest $(PYTEST_ARGS)

# Unit tests only: no sockets, seconds.
test-fast: install
	$(PYTHON) -m pytest -m "not integration and not system and not browser" $(PYTEST_ARGS)

install-test-deps:
	@bash scripts/install-test-deps.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy libs/common/src libs/contracts/src/samla_contracts/schemas.py \
		libs/contracts/src/samla_contracts/topics.py services/identity/src services/events/src \
		services/feedback/src services/network/src gateway/src deploy bench scripts

gen: install
	$(PYTHON) scripts/gen_contracts.py

check-gen: install
	$(PYTHON) scripts/gen_contracts.py --check

check-contracts: install
	$(PYTHON) scripts/check_schema_compat.py

bench: install
	$(PYTHON) -m bench.run $(if $(ONLY),--only $(ONLY),)

# Dependency audit against PyPI's vulnerability data; what blocks is in docs/security.md.
.PHONY: audit
audit: install
	$(PYTHON) scripts/audit.py

k8s-render: install
	$(PYTHON) scripts/k8s_render.py

k8s-check: install
	$(PYTHON) scripts/k8s_validate.py

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
