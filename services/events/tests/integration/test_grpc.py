"""gRPC both ways: the events service asks the real identity service for an audience with its own token, and
answers GetAttendance to other services (and only to them)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import grpc
import httpx
import pytest
import uvicorn

from samla_common.auth import ServiceTokenSource
from samla_common.grpc_server import authed_channel
from samla_contracts.proto.samla.events.v1 import events_pb2 as pb
from samla_contracts.proto.samla.events.v1 import events_pb2_grpc as pb_grpc
from samla_events.directory.identity import Audience, IdentityClient
from services.events.tests.conftest import Api
from services.events.tests.support.directory import Directory, free_port
from services.events.tests.support.issuer import SERVICE_SECRET, LocalIssuer

pytestmark = pytest.mark.integration


@pytest.fixture
def identity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """The real identity service in-process (HTTP and gRPC on real ports, dev sign-in, SQLite)."""
    http_port, grpc_port = free_port(), free_port()
    url = f"sqlite:///{tmp_path / 'identity.db'}"
    for key, value in {"SAMLA_VAR_DIR": str(tmp_path), "SAMLA_IDENTITY_DATABASE_URL": url,
                       "SAMLA_IDENTITY_GRPC_PORT": str(grpc_port), "SAMLA_IDENTITY_RELAY_ENABLED": "false",
                       "SAMLA_IDENTITY_KAFKA_CONSUMER_ENABLED": "false", "SAMLA_CLIENT_SECRET": "identity-secret",
                       "SAMLA_AUTH": "dev", "OIDC_ISSUER": f"http://127.0.0.1:{http_port}/dev"}.items():
        monkeypatch.setenv(key, value)
    from samla_common.migrations import upgrade
    from samla_common.service import create_app
    from samla_identity import config
    from samla_identity.devauth import router as devauth
    from samla_identity.main import build

    config.get_settings.cache_clear()
    devauth.signing_key.cache_clear()
    upgrade("identity", url)
    app = create_app(build())
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=http_port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield {"http": f"http://127.0.0.1:{http_port}", "grpc": f"127.0.0.1:{grpc_port}"}
    server.should_exit = True
    thread.join(timeout=10)
    config.get_settings.cache_clear()
    devauth.signing_key.cache_clear()


def test_the_audience_comes_from_the_real_identity_service(identity: dict[str, str]) -> None:
    tokens = ServiceTokenSource(issuer=f"{identity['http']}/dev", client_id="samla-events",
                                client_secret="identity-secret")
    h = {"authorization": f"Bearer {tokens.token()}"}
    for unit in ({"id": "ou-k", "name": "Kommunkoncernen", "kind": "kommunkoncern", "parent_id": None},
                 {"id": "ou-utb", "name": "Utbildningsförvaltningen", "kind": "forvaltning", "parent_id": "ou-k"},
                 {"id": "ou-utb-g", "name": "Grundskola", "kind": "avdelning", "parent_id": "ou-utb"},
                 {"id": "ou-soc", "name": "Socialförvaltningen", "kind": "forvaltning", "parent_id": "ou-k"}):
        httpx.put(f"{identity['http']}/org-units/{unit['id']}", json=unit, headers=h).raise_for_status()
    for pid, unit_id, level in (("p-1", "ou-utb", "forvaltningschef"), ("p-2", "ou-utb-g", "enhetschef"),
                                ("p-3", "ou-soc", "enhetschef")):
        httpx.put(f"{identity['http']}/people/{pid}", headers=h, json={
            "id": pid, "name": f"Chef {pid}", "email": f"{pid}@kommun.example", "org_unit_id": unit_id,
            "level": level}).raise_for_status()
    client = IdentityClient(target=identity["grpc"], tokens=tokens, deadline=5)
    try:
        reached = client.resolve_audience(Audience(org_unit_ids=["ou-utb"], levels=["enhetschef"],
                                                   person_ids=["p-3"]))
        assert [(p.id, p.org_unit_name) for p in reached] == [("p-2", "Grundskola"), ("p-3", "Socialförvaltningen")]
        assert client.get_person("p-1") is not None and client.get_person("nobody") is None
    finally:
        client.close()


def test_other_services_get_attendance_and_people_do_not(api: Api, issuer: LocalIssuer,
                                                        directory: tuple[Directory, str]) -> None:
    d, _ = directory
    d.add_person("p-att-1", "Eva Närvarande")
    event = api.call("POST", "/events", json={
        "title": "Chefsdag", "date": (date.today() + timedelta(days=30)).isoformat(), "starts_at": "08:30",
        "ends_at": "16:00", "venue": "Stadshuset", "capacity": 5}).json()
    api.call("POST", f"/events/{event['id']}/invitations", json={"person_ids": ["p-att-1"]})
    api.call("PUT", f"/me/events/{event['id']}/registration", sub="p-att-1", roles=[], json={"attending": True})
    api.call("POST", f"/events/{event['id']}/start")
    api.call("POST", f"/events/{event['id']}/check-in", json={"person_id": "p-att-1"})
    target = f"127.0.0.1:{api.app.state.settings.grpc_port}"
    tokens = ServiceTokenSource(issuer=issuer.url, client_id="samla-feedback", client_secret=SERVICE_SECRET)

    with authed_channel(target, tokens) as channel:
        stub = pb_grpc.EventsServiceStub(channel)
        assert list(stub.GetAttendance(pb.GetAttendanceRequest(event_id=event["id"]), timeout=5).person_ids) == [
            "p-att-1"]
        with pytest.raises(grpc.RpcError) as unknown:
            stub.GetAttendance(pb.GetAttendanceRequest(event_id="no-such-day"), timeout=5)
        assert unknown.value.code() == grpc.StatusCode.NOT_FOUND
    with grpc.insecure_channel(target) as channel:
        stub = pb_grpc.EventsServiceStub(channel)
        person_token = issuer.token(sub="p-att-1", roles=[])
        with pytest.raises(grpc.RpcError) as person:
            stub.GetAttendance(pb.GetAttendanceRequest(event_id=event["id"]), timeout=5,
                               metadata=[("authorization", f"Bearer {person_token}")])
        assert person.value.code() == grpc.StatusCode.PERMISSION_DENIED
