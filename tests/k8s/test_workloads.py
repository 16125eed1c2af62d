"""Every Samla process runs hardened, with probes, limits, a disruption budget and an autoscaler."""

from __future__ import annotations

from typing import Any

import pytest

from tests.k8s.conftest import DATABASE_OWNERS, PROCESSES, SERVICES, named, objects, pod_spec

OVERLAYS = ("dev", "prod")


def _containers(deployment: dict[str, Any]) -> list[dict[str, Any]]:
    spec = pod_spec(deployment)
    return [*spec.get("initContainers", []), *spec["containers"]]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_no_container_runs_as_root_or_writes_its_root_filesystem(rendered: dict[str, Any], overlay: str) -> None:
    for deployment in objects(rendered[overlay], "Deployment"):
        spec = pod_spec(deployment)
        pod_ctx = spec.get("securityContext", {})
        mounts_tmp = {v["name"] for v in spec.get("volumes", []) if "emptyDir" in v}
        for c in _containers(deployment):
            ctx = {**pod_ctx, **c.get("securityContext", {})}
            where = f"{overlay} {deployment['metadata']['name']}/{c['name']}"
            assert ctx.get("runAsNonRoot") is True, where
            assert ctx.get("runAsUser", 0) != 0, where
            assert ctx.get("readOnlyRootFilesystem") is True, where
            assert ctx.get("allowPrivilegeEscalation") is False, where
            assert ctx.get("capabilities", {}).get("drop") == ["ALL"], where
            assert any(m["mountPath"] == "/tmp" and m["name"] in mounts_tmp
                       for m in c.get("volumeMounts", [])), where
        assert spec.get("automountServiceAccountToken") is False


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_container_has_requests_and_limits(rendered: dict[str, Any], overlay: str) -> None:
    for deployment in objects(rendered[overlay], "Deployment"):
        for c in _containers(deployment):
            resources = c.get("resources", {})
            for bound in ("requests", "limits"):
                assert set(resources.get(bound, {})) >= {"cpu", "memory"}, (deployment["metadata"]["name"], c["name"])


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_process_has_liveness_readiness_and_startup_probes(rendered: dict[str, Any], overlay: str) -> None:
    for process in PROCESSES:
        app = pod_spec(named(rendered[overlay], "Deployment", process))["containers"][0]

        assert app["command"] == ["uvicorn", f"samla_{process}.main:app", "--host", "0.0.0.0", "--port", "8080"]
        assert app["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
        assert app["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
        ports = {p["name"]: p["containerPort"] for p in app["ports"]}
        assert ports["http"] == 8080
        if process in SERVICES:
            assert ports["grpc"] == 50051
            assert app["startupProbe"]["grpc"] == {"port": 50051}
        else:
            assert "grpc" not in ports
            assert app["startupProbe"]["httpGet"]["path"] == "/healthz"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_process_migrates_before_it_serves(rendered: dict[str, Any], overlay: str) -> None:
    for process in DATABASE_OWNERS:
        spec = pod_spec(named(rendered[overlay], "Deployment", process))
        [migrate] = spec["initContainers"]

        assert migrate["command"] == ["samla", "migrate", process]
        assert migrate["image"] == spec["containers"][0]["image"]
        assert migrate["envFrom"] == spec["containers"][0]["envFrom"], "the same settings as the app"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_services_select_their_own_pods_and_budgets_and_autoscalers_target_them(rendered: dict[str, Any],
                                                                                 overlay: str) -> None:
    docs = rendered[overlay]
    for process in PROCESSES:
        deployment = named(docs, "Deployment", process)
        pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
        selector = deployment["spec"]["selector"]["matchLabels"]
        for other in objects(docs, "Deployment"):
            if other is not deployment:
                labels = other["spec"]["template"]["metadata"]["labels"]
                assert not selector.items() <= labels.items(), (process, other["metadata"]["name"])

        assert named(docs, "Service", process)["spec"]["selector"].items() <= pod_labels.items()
        pdb = named(docs, "PodDisruptionBudget", process)["spec"]["selector"]["matchLabels"]
        assert pdb and pdb.items() <= pod_labels.items(), process
        hpa = named(docs, "HorizontalPodAutoscaler", process)["spec"]
        assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": process}
        assert "replicas" not in deployment["spec"], "the autoscaler owns the replica count"
        if overlay == "prod":
            assert hpa["minReplicas"] >= 2


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_images_are_from_the_registry_with_a_fixed_tag(rendered: dict[str, Any], overlay: str) -> None:
    for deployment in objects(rendered[overlay], "Deployment"):
        for c in _containers(deployment):
            name, _, tag = c["image"].rpartition(":")
            assert name and "/" in name, c["image"]
            assert tag and tag != "latest", c["image"]
