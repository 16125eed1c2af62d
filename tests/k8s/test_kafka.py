"""Kafka topics and users come from contracts/events/topics.yaml and stay in step with it."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from tests.k8s.conftest import PROCESSES, container_env, named, objects, pod_spec

DAY_MS = 24 * 3600 * 1000


def _topics(docs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {t["spec"]["topicName"]: t["spec"] for t in objects(docs, "KafkaTopic")}


def _acls(docs: list[dict[str, Any]], user: str) -> set[tuple[str, str, str, str]]:
    [found] = [u for u in objects(docs, "KafkaUser") if u["metadata"]["name"] == user]
    return {(a["resource"]["type"], a["resource"]["name"], a["resource"].get("patternType", "literal"), op)
            for a in found["spec"]["authorization"]["acls"] for op in a["operations"]}


def test_generated_kafka_manifests_match_topics_yaml(k8s_render: ModuleType) -> None:
    assert k8s_render.stale_files() == []


def test_every_topic_has_a_kafka_topic_with_its_partitions_and_retention(rendered: dict[str, Any],
                                                                         k8s_render: ModuleType) -> None:
    topics = _topics(rendered["prod"])

    for name, entry in k8s_render.load_catalogue().items():
        assert topics[name]["partitions"] == entry["partitions"], name
        assert topics[name]["config"]["retention.ms"] == entry["retention_days"] * DAY_MS, name
        assert topics[name]["config"]["cleanup.policy"] == entry["cleanup_policy"], name
        assert topics[name]["replicas"] == 3


def test_every_topic_a_process_consumes_has_a_one_partition_dlq(rendered: dict[str, Any],
                                                                k8s_render: ModuleType) -> None:
    topics = _topics(rendered["prod"])
    catalogue = k8s_render.load_catalogue()

    for name, entry in catalogue.items():
        consumed_inside = any(c in PROCESSES for c in entry["consumers"])
        assert (f"{name}.dlq" in topics) == consumed_inside, name
        if consumed_inside:
            assert topics[f"{name}.dlq"]["partitions"] == 1
    assert set(topics) == set(catalogue) | {n for n in topics if n.endswith(".dlq")}


def test_each_kafka_user_may_touch_only_its_own_topics_and_group(rendered: dict[str, Any],
                                                                 k8s_render: ModuleType) -> None:
    catalogue = k8s_render.load_catalogue()

    for process in PROCESSES:
        produced = {n for n, t in catalogue.items() if process in t["producers"]}
        consumed = {n for n, t in catalogue.items() if process in t["consumers"]}
        expected = {("topic", n, "literal", op) for n in produced for op in ("Write", "Describe")}
        expected |= {("topic", n, "literal", op) for n in consumed for op in ("Read", "Describe")}
        expected |= {("topic", f"{n}.dlq", "literal", op) for n in consumed for op in ("Write", "Describe")}
        if consumed:
            pattern = "prefix" if process == "gateway" else "literal"
            expected |= {("group", process, pattern, op) for op in ("Read", "Describe")}

        assert _acls(rendered["prod"], f"samla-{process}") == expected, process


def test_external_consumers_get_read_only_access_to_their_topics(rendered: dict[str, Any]) -> None:
    acls = _acls(rendered["prod"], "samla-integration")

    assert {op for _, _, _, op in acls} == {"Read", "Describe"}
    assert ("topic", "feedback.insight.v1", "literal", "Read") in acls


def test_the_generator_follows_a_changed_catalogue(k8s_render: ModuleType) -> None:
    catalogue = k8s_render.load_catalogue()
    catalogue["network.pulse.v1"] = {"owner": "network", "producers": ["network"], "consumers": ["feedback"],
                                     "partitions": 12, "retention_days": 7, "cleanup_policy": "delete"}

    topics = {t["spec"]["topicName"]: t["spec"] for t in k8s_render.topic_manifests(catalogue)}
    users = {u["metadata"]["name"]: u for u in k8s_render.user_manifests(catalogue)}

    assert topics["network.pulse.v1"]["partitions"] == 12
    assert topics["network.pulse.v1.dlq"]["partitions"] == 1
    feedback_acls = users["samla-feedback"]["spec"]["authorization"]["acls"]
    assert {"resource": {"type": "topic", "name": "network.pulse.v1.dlq", "patternType": "literal"},
            "operations": ["Describe", "Write"], "host": "*"} in feedback_acls


def test_processes_reach_kafka_as_their_own_user(rendered: dict[str, Any]) -> None:
    for overlay, docs in rendered.items():
        users = {u["metadata"]["name"] for u in objects(docs, "KafkaUser")}
        for process in PROCESSES:
            app = pod_spec(named(docs, "Deployment", process))["containers"][0]
            env = container_env(docs, app)
            assert env["KAFKA_SASL_USERNAME"] == f"samla-{process}" in users, (overlay, process)
            assert env["KAFKA_SASL_PASSWORD"] == f"secret:samla-{process}/password", (overlay, process)
            assert env["KAFKA_BOOTSTRAP_SERVERS"] == "samla-kafka-kafka-bootstrap:9093"
