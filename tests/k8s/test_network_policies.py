"""Default deny, then only the traffic of DESIGN §2–3. A small evaluator of NetworkPolicy semantics (same
namespace, podSelector/namespaceSelector peers, numbered and named ports) answers who may talk to whom."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.k8s.conftest import CLUSTERS, DATABASE_OWNERS, PROCESSES, SERVICES, named, objects, pod_spec

NAMESPACE = {"dev": "samla-dev", "prod": "samla"}


@dataclass(frozen=True)
class Pod:
    name: str
    namespace: str
    labels: dict[str, str]
    ports: dict[str, int] = field(default_factory=dict)


def _matches(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    if not selector.get("matchLabels", {}).items() <= labels.items():
        return False
    for expr in selector.get("matchExpressions", []):
        value, values = labels.get(expr["key"]), expr.get("values", [])
        ok = {"In": value in values, "NotIn": value not in values, "Exists": value is not None,
              "DoesNotExist": value is None}[expr["operator"]]
        if not ok:
            return False
    return True


def _peer_matches(peer: dict[str, Any], policy_ns: str, pod: Pod) -> bool:
    if "ipBlock" in peer:
        return False
    if "namespaceSelector" in peer:
        if not _matches(peer["namespaceSelector"], {"kubernetes.io/metadata.name": pod.namespace}):
            return False
    elif pod.namespace != policy_ns:
        return False
    return _matches(peer.get("podSelector", {}), pod.labels)


def _port_matches(rule: dict[str, Any], target: Pod, port: int) -> bool:
    if not rule.get("ports"):
        return True
    return any(p.get("protocol", "TCP") == "TCP" and
               (p["port"] == port or target.ports.get(str(p["port"])) == port) for p in rule["ports"])


def allowed(policies: list[dict[str, Any]], src: Pod, dst: Pod, port: int) -> bool:
    """Whether a TCP connection src → dst:port passes both src's egress and dst's ingress policies."""
    def side(pod: Pod, kind: str, rules_key: str, peers_key: str, other: Pod, target: Pod) -> bool:
        selecting = [p for p in policies if p["metadata"]["namespace"] == pod.namespace
                     and kind in p["spec"].get("policyTypes", ["Ingress"])
                     and _matches(p["spec"]["podSelector"], pod.labels)]
        if not selecting:
            return True
        return any((not rule.get(peers_key) or any(_peer_matches(peer, pod.namespace, other)
                                                     for peer in rule[peers_key]))
                   and _port_matches(rule, target, port)
                   for p in selecting for rule in p["spec"].get(rules_key, []))

    return (side(src, "Egress", "egress", "to", dst, dst)
            and side(dst, "Ingress", "ingress", "from", src, dst))


def _pods(docs: list[dict[str, Any]], ns: str) -> dict[str, Pod]:
    pods = {}
    for d in objects(docs, "Deployment"):
        ports = {p["name"]: p["containerPort"] for c in pod_spec(d)["containers"] for p in c.get("ports", [])}
        pods[d["metadata"]["name"]] = Pod(d["metadata"]["name"], ns, d["spec"]["template"]["metadata"]["labels"],
                                          ports)
    # Pods the operators create, with the labels they are documented to carry.
    pods["kafka"] = Pod("kafka", ns, {"strimzi.io/cluster": "samla-kafka", "strimzi.io/kind": "Kafka",
                                      "strimzi.io/name": "samla-kafka-kafka"})
    pods["keycloak"] = Pod("keycloak", ns, {"app": "keycloak", "app.kubernetes.io/instance": "samla-keycloak",
                                            "app.kubernetes.io/managed-by": "keycloak-operator"})
    for c in objects(docs, "Cluster"):
        pods[c["metadata"]["name"]] = Pod(c["metadata"]["name"], ns, {"cnpg.io/cluster": c["metadata"]["name"],
                                                                      "cnpg.io/instanceRole": "primary"})
    pods["ingress"] = Pod("ingress", "ingress-nginx", {"app.kubernetes.io/name": "ingress-nginx"})
    pods["prometheus"] = Pod("prometheus", "monitoring", {"app.kubernetes.io/name": "prometheus"})
    pods["stranger"] = Pod("stranger", ns, {"app": "something-else"})
    return pods


@pytest.fixture(params=["dev", "prod"])
def network(request: pytest.FixtureRequest, rendered: dict[str, Any]) -> tuple[str, Any, dict[str, Pod]]:
    overlay = request.param
    docs = rendered[overlay]
    return overlay, objects(docs, "NetworkPolicy"), _pods(docs, NAMESPACE[overlay])


def test_every_process_is_under_default_deny_in_both_directions(network: Any) -> None:
    _, policies, pods = network
    deny = next(p for p in policies if p["metadata"]["name"] == "samla-default-deny")

    assert set(deny["spec"]["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in deny["spec"] and "egress" not in deny["spec"]
    for process in (*PROCESSES, "otel-collector"):
        assert _matches(deny["spec"]["podSelector"], pods[process].labels), process
    for operator_pod in ("kafka", "keycloak", "samla-identity-db"):
        assert not _matches(deny["spec"]["podSelector"], pods[operator_pod].labels), operator_pod


def test_only_the_traffic_of_the_design_is_allowed(network: Any) -> None:
    overlay, policies, pods = network
    ok = lambda src, dst, port: allowed(policies, pods[src], pods[dst], port)  # noqa: E731

    # The ingress controller reaches the gateway, and nothing else of Samla.
    assert ok("ingress", "gateway", 8080)
    assert not any(ok("ingress", s, 8080) for s in SERVICES)
    # gateway → services over HTTP and gRPC; services → identity over gRPC; identity → services over gRPC for
    # GDPR exports (PersonDataService); no other service-to-service call.
    for service in SERVICES:
        assert ok("gateway", service, 8080) and ok("gateway", service, 50051)
        assert not ok(service, "gateway", 8080)
    for service in ("events", "feedback", "network"):
        assert ok(service, "identity", 50051)
        assert not ok(service, "identity", 8080)
        assert ok("identity", service, 50051)
        assert not ok("identity", service, 8080)
    assert not ok("events", "feedback", 8080) and not ok("network", "events", 50051)
    # The gateway asks identity over gRPC (SAMLA_GATEWAY_IDENTITY_GRPC_TARGET).
    assert ok("gateway", "identity", 50051)
    # Each process reaches its own database only (the gateway its sessions); nobody reaches Keycloak's.
    for process in PROCESSES:
        for cluster in CLUSTERS:
            assert ok(process, cluster, 5432) == (cluster == f"samla-{process}-db"), (process, cluster)
    # Everything → Kafka's TLS listener, Keycloak and the collector; nothing anywhere else.
    for process in PROCESSES:
        assert ok(process, "kafka", 9093) and not ok(process, "kafka", 9092)
        assert ok(process, "keycloak", 8080)
        assert ok(process, "otel-collector", 4318)
        assert not ok(process, "stranger", 443)
        assert not ok("otel-collector", process, 8080)
    # Prometheus scrapes /metrics only where the servicemonitors component is on.
    assert ok("prometheus", "identity", 8080) == (overlay == "prod")


def test_kafka_listener_admits_only_samla_processes(rendered: dict[str, Any]) -> None:
    for overlay, docs in rendered.items():
        [listener] = objects(docs, "Kafka")[0]["spec"]["kafka"]["listeners"]
        peers = listener["networkPolicyPeers"]
        pod_labels = named(docs, "Deployment", "identity")["spec"]["template"]["metadata"]["labels"]

        assert listener["tls"] and listener["authentication"]["type"] == "scram-sha-512"
        assert any(_matches(p["podSelector"], pod_labels) for p in peers), overlay
        assert not any(_matches(p["podSelector"], {"app": "something-else"}) for p in peers), overlay


def test_every_database_cluster_is_reachable_by_its_owner_alone(network: Any) -> None:
    """A new Cluster without its NetworkPolicy fails here (Keycloak's database is reached by Keycloak only)."""
    _, policies, pods = network
    clusters = [name for name, pod in pods.items() if "cnpg.io/cluster" in pod.labels]

    assert sorted(clusters) == sorted(CLUSTERS)
    for cluster in clusters:
        reaching = [p for p in PROCESSES if allowed(policies, pods[p], pods[cluster], 5432)]
        owners = [o for o in DATABASE_OWNERS if cluster == f"samla-{o}-db"]
        assert reaching == owners, cluster
