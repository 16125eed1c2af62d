"""Every overlay renders with kustomize and every object validates offline; the validator can say no."""

from __future__ import annotations

import copy
from types import ModuleType
from typing import Any

from tests.k8s.conftest import REPO, named, objects


def test_every_overlay_renders_and_every_object_validates(validation: Any, k8s_render: ModuleType) -> None:
    problems, counts = validation

    assert sorted(counts) == ["dev", "prod"]
    assert all(n > 50 for n in counts.values()), counts
    assert [str(p) for p in problems] == []
    for name in counts:
        assert (k8s_render.OUT_DIR / f"{name}.yaml").exists()


def test_validation_rejects_a_misspelt_field_in_a_deployment(rendered: dict[str, Any],
                                                             k8s_validate: ModuleType) -> None:
    deployment = copy.deepcopy(named(rendered["prod"], "Deployment", "identity"))
    deployment["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGett"] = {"path": "/readyz"}

    assert any("httpGett" in p for p in k8s_validate.validate_object(deployment))


def test_validation_rejects_operator_resources_that_break_their_schema(rendered: dict[str, Any],
                                                                       k8s_validate: ModuleType) -> None:
    topic = copy.deepcopy(objects(rendered["prod"], "KafkaTopic")[0])
    topic["spec"]["partitions"] = "six"
    realm = copy.deepcopy(objects(rendered["prod"], "KeycloakRealmImport")[0])
    realm["spec"]["realm"]["clientScopes"][0]["protocolMappers"][0]["config"]["access.token.claim"] = True
    cluster = copy.deepcopy(objects(rendered["prod"], "Cluster")[0])
    cluster["spec"]["backup"]["retentionPolicy"] = "thirty days"

    for broken in (topic, realm, cluster):
        assert k8s_validate.validate_object(broken), broken["kind"]


def test_an_object_with_no_schema_is_an_error(k8s_validate: ModuleType) -> None:
    unknown = {"apiVersion": "example.org/v1", "kind": "Widget", "metadata": {"name": "w"}}

    assert any("no schema" in p for p in k8s_validate.validate_object(unknown))


def test_no_secret_is_rendered_from_the_repository(rendered: dict[str, Any]) -> None:
    for overlay, docs in rendered.items():
        assert objects(docs, "Secret") == [], overlay


def test_the_image_is_multi_stage_non_root_pinned_and_built_from_the_lock() -> None:
    dockerfile = (REPO / "deploy" / "docker" / "Dockerfile").read_text()

    assert "-slim-bookworm@sha256:" in dockerfile
    assert dockerfile.count("FROM ${PYTHON_IMAGE}") == 2
    assert 'uv sync --frozen --no-dev --package "samla-${SERVICE}"' in dockerfile
    assert "USER 10001:10001" in dockerfile
    dockerignore = (REPO / ".dockerignore").read_text().splitlines()
    assert dockerignore[dockerignore.index("*") + 1:].count("!uv.lock") == 1


def test_every_image_keeps_its_migrations_where_samla_migrate_looks() -> None:
    dockerfile = (REPO / "deploy" / "docker" / "Dockerfile").read_text()
    dockerignore = (REPO / ".dockerignore").read_text().splitlines()

    # `samla migrate <process>` reads <dir>/alembic.ini and <dir>/migrations (samla_common.migrations).
    for directory in ("services/", "gateway/"):
        assert f"COPY {directory} {directory}" in dockerfile
        assert f"!{directory}" in dockerignore
    for d in [*(REPO / "services").iterdir(), REPO / "gateway"]:
        if (d / "pyproject.toml").exists():
            assert (d / "alembic.ini").is_file() and (d / "migrations" / "env.py").is_file(), d
    # ...and the build fails when an image would lack them.
    assert "service_dir('${SERVICE}')" in dockerfile and "'alembic.ini'" in dockerfile
