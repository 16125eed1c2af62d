"""One CloudNativePG cluster per database, and in production every one is backed up: WAL archived continuously
to its own place in the bucket and a base backup every night (docs/deploy.md: backup and restore)."""

from __future__ import annotations

from typing import Any

from tests.k8s.conftest import CLUSTERS, REPO, objects


def _site(overlay: str) -> dict[str, str]:
    lines = (REPO / "deploy/k8s/overlays" / overlay / "site.env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def test_every_database_has_its_own_cluster(rendered: dict[str, Any]) -> None:
    for overlay, docs in rendered.items():
        clusters = objects(docs, "Cluster")

        assert sorted(c["metadata"]["name"] for c in clusters) == sorted(CLUSTERS), overlay
        databases = [c["spec"]["bootstrap"]["initdb"]["database"] for c in clusters]
        assert len(set(databases)) == len(databases), overlay


def test_every_database_is_backed_up_in_production(rendered: dict[str, Any]) -> None:
    docs = rendered["prod"]
    site = _site("prod")
    nightly = {b["spec"]["cluster"]["name"]: b for b in objects(docs, "ScheduledBackup")}
    destinations = set()
    for cluster in objects(docs, "Cluster"):
        name = cluster["metadata"]["name"]
        store = cluster["spec"]["backup"]["barmanObjectStore"]

        assert store["destinationPath"] == f"s3://{site['BACKUP_S3_BUCKET']}/{name}", name
        assert store["endpointURL"] == site["BACKUP_S3_ENDPOINT"], name
        assert cluster["spec"]["backup"]["retentionPolicy"], name
        assert name in nightly, f"{name} has no ScheduledBackup"
        assert nightly[name]["spec"]["method"] == "barmanObjectStore"
        assert nightly[name]["spec"]["schedule"].split()[3:] == ["*", "*", "*"], "every night"
        destinations.add(store["destinationPath"])
    assert len(destinations) == len(CLUSTERS), "each cluster archives to its own path"
    assert set(nightly) == set(CLUSTERS)


def test_dev_keeps_no_backups(rendered: dict[str, Any]) -> None:
    docs = rendered["dev"]

    assert objects(docs, "ScheduledBackup") == []
    assert all("backup" not in c["spec"] for c in objects(docs, "Cluster"))
