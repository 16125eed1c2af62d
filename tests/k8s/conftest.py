"""Fixtures for the Kubernetes manifests: the render/validate scripts as modules and the rendered overlays."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
PROCESSES = ("identity", "events", "feedback", "network", "gateway")
SERVICES = ("identity", "events", "feedback", "network")
# Every process owns one CloudNativePG cluster samla-<process>-db (the gateway's holds its sessions); Keycloak
# has the only other one.
DATABASE_OWNERS = PROCESSES
CLUSTERS = tuple(f"samla-{owner}-db" for owner in (*DATABASE_OWNERS, "keycloak"))


def _load_script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"samla_scripts_{name}", REPO / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def k8s_validate() -> ModuleType:
    return _load_script("k8s_validate")


@pytest.fixture(scope="session")
def k8s_render(k8s_validate: ModuleType) -> ModuleType:
    return k8s_validate.k8s_render  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def validation(k8s_validate: ModuleType) -> tuple[list[Any], dict[str, int]]:
    """Renders every overlay once (kustomize) and validates every object."""
    return k8s_validate.check()  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def rendered(validation: Any, k8s_validate: ModuleType, k8s_render: ModuleType) -> dict[str, list[dict[str, Any]]]:
    """overlay → the objects it renders (read back from var/k8s/<overlay>.yaml)."""
    return {name: k8s_validate.load(k8s_render.OUT_DIR / f"{name}.yaml") for name in k8s_render.overlays()}


def objects(docs: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [d for d in docs if d["kind"] == kind]


def named(docs: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    found = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind}/{name}: found {len(found)}"
    return found[0]


def configmap(docs: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """A ConfigMap by its generator name (kustomize appends a content hash)."""
    found = [d for d in objects(docs, "ConfigMap")
             if d["metadata"]["name"] == name or d["metadata"]["name"].rsplit("-", 1)[0] == name]
    assert len(found) == 1, f"ConfigMap {name}: found {len(found)}"
    return found[0]


def pod_spec(deployment: dict[str, Any]) -> dict[str, Any]:
    return deployment["spec"]["template"]["spec"]  # type: ignore[no-any-return]


def container_env(docs: list[dict[str, Any]], container: dict[str, Any]) -> dict[str, str]:
    """Every variable a container sees: envFrom ConfigMaps, then env (values, or `secret:<name>/<key>`)."""
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        env.update(configmap(docs, source["configMapRef"]["name"])["data"])
    for var in container.get("env", []):
        ref = var.get("valueFrom", {}).get("secretKeyRef")
        env[var["name"]] = f"secret:{ref['name']}/{ref['key']}" if ref else var.get("value", "")
    return env
