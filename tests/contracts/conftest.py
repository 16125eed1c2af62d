"""Fixtures for the contracts tooling: the two scripts loaded as modules, and throwaway copies of the tree."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGE = Path("libs/contracts/src/samla_contracts")


def _load_script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"samla_scripts_{name}", REPO / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def compat() -> ModuleType:
    return _load_script("check_schema_compat")


@pytest.fixture(scope="session")
def gen() -> ModuleType:
    return _load_script("gen_contracts")


@pytest.fixture
def tree_copy(tmp_path: Path) -> Path:
    """A copy of contracts/ and the generated package folders, so tests can break them freely."""
    shutil.copytree(REPO / "contracts", tmp_path / "contracts")
    for folder in ("proto", "events", "data"):
        shutil.copytree(REPO / PACKAGE / folder, tmp_path / PACKAGE / folder,
                        ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path
