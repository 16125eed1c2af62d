"""The identity gRPC API with real token checks: services get answers, people and anonymous callers do not."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import httpx
import pytest
import uvicorn

from samla_common.auth import ServiceTokenSource
from samla_common.grpc_server import authed_channel
from samla_contracts.proto.samla.identity.v1 import identity_pb2 as pb
from samla_contracts.proto.samla.identity.v1 import identity_pb2_grpc as pb_grpc

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def identity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str) -> Iterator[dict[str, object]]:
    """The identity app in-process (HTTP via TestClient, gRPC on a real port), on SQLite and PostgreSQL."""
    http_port, grpc_port = _free_port(), _free_port()
    monkeypatch.setenv("SAMLA_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("SAMLA_IDENTITY_DATABASE_URL", database_url)
    monkeypatch.setenv("SAMLA_IDENTITY_GRPC_PORT", str(grpc_port))
    monkeypatch.setenv("SAMLA_IDENTITY_RELAY_ENABLED", "false")
    monkeypatch.setenv("SAMLA_IDENTITY_KAFKA_CONSUMER_ENABLED", "false")
    monkeypatch.setenv("SAMLA_CLIENT_SECRET", "test-secret")
    monkeypatch.setenv("OIDC_ISSUER", f"http://127.0.0.1:{http_port}/dev")
    from samla_common.migrations import upgrade
    from samla_identity import config

    config.get_settings.cache_clear()
    upgrade("identity", database_url)
    from samla_common.service import create_app
    from samla_identity.devauth import router as devauth
    from samla_identity.main import build

    devauth.signing_key.cache_clear()
    app = create_app(build())
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=http_port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield {"http": f"http://127.0.0.1:{http_port}", "grpc": f"127.0.0.1:{grpc_port}", "app": app}
    server.should_exit = True
    thread.join(timeout=10)
    config.get_settings.cache_clear()


def _seed(base: str, token: str) -> None:
    h = {"authorization": f"Bearer {token}"}
    for unit in ({"id": "ou-k", "name": "Kommunkoncernen", "kind": "kommunkoncern", "parent_id": None},
                 {"id": "ou-utb", "name": "Utbildningsförvaltningen", "kind": "forvaltning", "parent_id": "ou-k"},
                 {"id": "ou-utb-g", "name": "Grundskola", "kind": "avdelning", "parent_id": "ou-utb"},
                 {"id": "ou-soc", "name": "Socialförvaltningen", "kind": "forvaltning", "parent_id": "ou-k"}):
        httpx.put(f"{base}/org-units/{unit['id']}", json=unit, headers=h).raise_for_status()
    for pid, unit, level in (("p-1", "ou-utb", "forvaltningschef"), ("p-2", "ou-utb-g", "enhetschef"),
                             ("p-3", "ou-soc", "enhetschef"), ("p-4", "ou-utb-g", "avdelningschef")):
        httpx.put(f"{base}/people/{pid}", json={"id": pid, "name": f"Person {pid}", "org_unit_id": unit,
                                                 "level": level}, headers=h).raise_for_status()


def test_a_service_resolves_an_audience_over_grpc_with_its_own_token(identity: dict[str, object]) -> None:
    tokens = ServiceTokenSource(issuer=f"{identity['http']}/dev", client_id="samla-events",
                                client_secret="test-secret")
    _seed(str(identity["http"]), tokens.token())
    with authed_channel(str(identity["grpc"]), tokens) as channel:
        stub = pb_grpc.IdentityServiceStub(channel)
        reply = stub.ResolveAudience(pb.ResolveAudienceRequest(org_unit_ids=["ou-utb"], levels=["enhetschef"]),
                                     timeout=5)
        assert [p.id for p in reply.people] == ["p-2"]
        picked = stub.ResolveAudience(pb.ResolveAudienceRequest(org_unit_ids=["ou-utb"], levels=["enhetschef"],
                                                                person_ids=["p-3"]), timeout=5)
        assert sorted(p.id for p in picked.people) == ["p-2", "p-3"]
        tree = stub.GetOrgTree(pb.GetOrgTreeRequest(root_id="ou-utb"), timeout=5)
        assert sorted(u.id for u in tree.units) == ["ou-utb", "ou-utb-g"]
        assert stub.GetPerson(pb.GetPersonRequest(id="p-4"), timeout=5).level == "avdelningschef"
        with pytest.raises(grpc.RpcError) as missing:
            stub.GetPerson(pb.GetPersonRequest(id="nobody"), timeout=5)
        assert missing.value.code() == grpc.StatusCode.NOT_FOUND


def test_calls_without_a_service_token_are_refused(identity: dict[str, object]) -> None:
    with grpc.insecure_channel(str(identity["grpc"])) as channel:
        stub = pb_grpc.IdentityServiceStub(channel)
        with pytest.raises(grpc.RpcError) as anonymous:
            stub.GetPerson(pb.GetPersonRequest(id="p-1"), timeout=5)
        assert anonymous.value.code() == grpc.StatusCode.UNAUTHENTICATED
        with pytest.raises(grpc.RpcError) as forged:
            stub.GetPerson(pb.GetPersonRequest(id="p-1"), timeout=5,
                           metadata=[("authorization", "Bearer not.a.token")])
        assert forged.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_the_dev_token_endpoint_refuses_a_wrong_secret(identity: dict[str, object]) -> None:
    r = httpx.post(f"{identity['http']}/dev/token", data={"grant_type": "client_credentials"},
                   auth=("samla-events", "wrong"))
    assert r.status_code == 401 and r.headers["content-type"].startswith("application/problem+json")
