"""Renders every overlay and validates every object offline (issue 8, docs/deploy.md).

    python scripts/k8s_validate.py

1. the KafkaTopic/KafkaUser manifests match contracts/events/topics.yaml;
2. every overlay renders with kustomize (into var/k8s/<overlay>.yaml);
3. built-in kinds validate against the Kubernetes OpenAPI schemas shipped by `kubernetes-validate` (strict:
   unknown fields fail) for the oldest and the newest Kubernetes version supported;
4. the operators' kinds validate against deploy/k8s/schemas/ (hand-written; see its README).
An object with no schema at all is an error, so nothing passes unchecked. Exit status 1 on any problem.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import yaml
from referencing import Registry, Resource

sys.path.insert(0, str(Path(__file__).resolve().parent))
import k8s_render

SCHEMAS = k8s_render.K8S / "schemas"
SCHEMA_BASE = "https://samla.local/schemas/"
# The oldest Kubernetes Samla supports and the newest whose schemas kubernetes-validate ships.
KUBERNETES_VERSIONS = ("1.30", "1.37")


@dataclass(frozen=True)
class Problem:
    overlay: str
    obj: str
    message: str

    def __str__(self) -> str:
        return f"{self.overlay}: {self.obj}: {self.message}"


def describe(obj: dict[str, Any]) -> str:
    return f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')} ({obj.get('apiVersion')})"


@cache
def crd_registry() -> tuple[Registry, dict[str, dict[str, Any]]]:
    """The hand-written schemas, keyed by `<group>_<version>_<kind>` (lower case)."""
    registry: Registry = Registry()
    schemas = {}
    for path in sorted(SCHEMAS.glob("*.yaml")):
        schema = yaml.safe_load(path.read_text(encoding="utf-8"))
        schema["$id"] = SCHEMA_BASE + path.name
        registry = registry.with_resource(schema["$id"], Resource.from_contents(schema))
        if not path.name.startswith("_"):
            schemas[path.stem] = schema
    return registry, schemas


def crd_schema_key(obj: dict[str, Any]) -> str:
    group, _, version = str(obj.get("apiVersion", "")).rpartition("/")
    return f"{group}_{version}_{obj.get('kind', '')}".lower()


def validate_object(obj: dict[str, Any]) -> list[str]:
    """Problems with one object; empty when it is valid."""
    problems = []
    for version in KUBERNETES_VERSIONS:
        try:
            kubernetes_validate.validate(obj, version, strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            break
        except kubernetes_validate.ValidationError as exc:
            where = ".".join(str(p) for p in exc.path)
            problems.append(f"Kubernetes {version}: {where}: {exc.message}")
    else:
        return problems
    registry, schemas = crd_registry()
    schema = schemas.get(crd_schema_key(obj))
    if schema is None:
        return [f"no schema: neither a Kubernetes kind nor one in {SCHEMAS.relative_to(k8s_render.ROOT)}"]
    validator = jsonschema.Draft202012Validator(schema, registry=registry)
    for error in sorted(validator.iter_errors(obj), key=lambda e: list(map(str, e.path))):
        where = ".".join(str(p) for p in error.path)
        problems.append(f"CRD schema: {where}: {error.message}")
    return problems


def load(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


def check(overlays: list[str] | None = None) -> tuple[list[Problem], dict[str, int]]:
    """Renders and validates; returns the problems and the number of objects per overlay."""
    problems = [Problem("generate", str(p.relative_to(k8s_render.ROOT)),
                        "out of date with contracts/events/topics.yaml: run python scripts/k8s_render.py")
                for p in k8s_render.stale_files()]
    counts = {}
    for name, path in k8s_render.render(overlays).items():
        objects = load(path)
        counts[name] = len(objects)
        for obj in objects:
            problems += [Problem(name, describe(obj), m) for m in validate_object(obj)]
    return problems, counts


def main() -> int:
    problems, counts = check()
    for p in problems:
        print(f"ERROR {p}")
    summary = ", ".join(f"{name}: {n} objects" for name, n in counts.items())
    print(f"{'FAILED' if problems else 'ok'}: {summary}; {len(problems)} problems "
          f"(Kubernetes {' and '.join(KUBERNETES_VERSIONS)}, operator schemas in deploy/k8s/schemas)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
