"""`identity` piece: SCIM bulk provisioning of 300 org units and 5,000 people through the HTTP API.

The identity app runs in this process (uvicorn on a loopback port, SQLite under a temporary directory, no broker:
the outbox is only written). A provisioning client sends /Bulk requests of at most 1,000 operations, org units
first (parents before children, by bulkId), then people (managers before their reports). Figures: the time,
people per second, the outbox events written (one per created person or org unit: 5,300), what an identical
second pass publishes (nothing), and the latency of Entra ID's match query `filter=userName eq "..."`.
"""

from __future__ import annotations

import os
import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import create_engine, text

from bench.harness import Report

PEOPLE, UNITS, BATCH = 5_000, 300, 1_000
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
SAMLA = "urn:samla:params:scim:schemas:extension:samla:2.0:User"
SAMLA_GROUP = "urn:samla:params:scim:schemas:extension:samla:2.0:Group"
BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
ADMINISTRATIONS = 19  # förvaltningar and bolag under the kommunkoncern; the rest of the units are avdelningar


def run(report: Report) -> None:
    """Adds the SCIM provisioning figures to `report`."""
    with tempfile.TemporaryDirectory() as tmp, _service(Path(tmp)) as (client, database_url):
        started = time.perf_counter()
        unit_ids = _provision_units(client)
        units_done = time.perf_counter()
        people = _people(unit_ids)
        for batch in range(0, len(people), BATCH):
            _bulk(client, [{"method": "POST", "path": "/Users", "bulkId": f"u{n}", "data": body}
                           for n, body in enumerate(people[batch:batch + BATCH], start=batch)])
        finished = time.perf_counter()
        events = _outbox_count(database_url)
        resent = people[-500:]
        _bulk(client, [{"method": "PUT", "path": f"/Users/{body[SAMLA]['subject']}", "data": body}
                       for body in resent])
        republished = _outbox_count(database_url) - events
        latencies = []
        for body in people[::25]:
            start = time.perf_counter()
            found = client.get("/Users", params={"filter": f'userName eq "{body["userName"]}"'})
            latencies.append((time.perf_counter() - start) * 1000)
            assert found.json()["totalResults"] == 1, found.text
    total = finished - started
    report.add("scim: 300 org units + 5,000 people, bulk", total, "s", target="a full directory load in minutes")
    report.add("scim: org units provisioned", UNITS / (units_done - started), "units/s")
    report.add("scim: people provisioned", PEOPLE / (finished - units_done), "people/s")
    report.add("scim: outbox events written", events, "events", reference=PEOPLE + UNITS,
               target="exactly one per created person or org unit", meets=events == PEOPLE + UNITS)
    report.add("scim: events from an identical PUT of 500 people", republished, "events", reference=0,
               target="an identical write publishes nothing", meets=republished == 0)
    report.add("scim: filter userName eq, median", statistics.median(latencies), "ms",
               target="Entra ID's match query per user")
    report.note(f"scim: SQLite, bulk requests of {BATCH} operations, {len(latencies)} match queries over 5,000 people")


def _provision_units(client: httpx.Client) -> list[str]:
    """The org tree; returns the ids of the units people are placed in (administrations, then avdelningar)."""
    ops: list[dict[str, Any]] = [_unit_op("root", "Kommunkoncernen", "kommunkoncern", None)]
    for a in range(ADMINISTRATIONS):
        kind = "bolag" if a >= ADMINISTRATIONS - 5 else "forvaltning"
        ops.append(_unit_op(f"a{a}", f"Förvaltning {a}" if kind == "forvaltning" else f"Bolag {a} AB", kind, "root"))
    for d in range(UNITS - 1 - ADMINISTRATIONS):
        ops.append(_unit_op(f"d{d}", f"Avdelning {d}", "avdelning", f"a{d % ADMINISTRATIONS}"))
    results = _bulk(client, ops)
    return [r["location"].rpartition("/")[2] for r in results[1:]]


def _unit_op(bulk_id: str, name: str, kind: str, parent: str | None) -> dict[str, Any]:
    extension: dict[str, Any] = {"kind": kind}
    if parent:
        extension["parent"] = {"value": f"bulkId:{parent}"}
    return {"method": "POST", "path": "/Groups", "bulkId": bulk_id,
            "data": {"schemas": [GROUP, SAMLA_GROUP], "displayName": name, "externalId": f"hr-{bulk_id}",
                     SAMLA_GROUP: extension}}


def _people(unit_ids: list[str]) -> list[dict[str, Any]]:
    """A kommundirektör, a chief per administration, a head per avdelning, and enhetschefer under them."""
    admins, departments = unit_ids[:ADMINISTRATIONS], unit_ids[ADMINISTRATIONS:]
    people = [_person(0, "kommundirektor", admins[0], None)]
    people += [_person(1 + a, "forvaltningschef", unit, "p-00000") for a, unit in enumerate(admins)]
    heads = len(people)
    people += [_person(heads + d, "avdelningschef", unit, f"p-{1 + d % ADMINISTRATIONS:05d}")
               for d, unit in enumerate(departments)]
    for n in range(len(people), PEOPLE):
        d = n % len(departments)
        people.append(_person(n, "enhetschef", departments[d], f"p-{heads + d:05d}"))
    return people


def _person(n: int, level: str, unit: str, manager: str | None) -> dict[str, Any]:
    enterprise: dict[str, Any] = {"employeeNumber": str(10_000 + n), "department": unit}
    if manager:
        enterprise["manager"] = {"value": manager}
    return {"schemas": [USER, ENTERPRISE, SAMLA], "userName": f"chef{n}@kommun.example", "externalId": f"e{n}",
            "name": {"givenName": f"Förnamn{n}", "familyName": "Efternamn"}, "displayName": f"Förnamn{n} Efternamn",
            "title": level.capitalize(), "active": True, "preferredLanguage": "sv",
            "emails": [{"value": f"chef{n}@kommun.example", "type": "work", "primary": True}],
            "addresses": [{"type": "work", "locality": ("Centrum", "Norr", "Söder")[n % 3]}],
            ENTERPRISE: enterprise, SAMLA: {"level": level, "subject": f"p-{n:05d}"}}


def _bulk(client: httpx.Client, operations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    response = client.post("/Bulk", json={"schemas": [BULK], "failOnErrors": 1, "Operations": operations})
    response.raise_for_status()
    results: list[dict[str, Any]] = response.json()["Operations"]
    failed = [r for r in results if int(r["status"]) >= 400]
    if failed or len(results) != len(operations):
        raise RuntimeError(f"bulk provisioning failed: {failed[:1]}")
    return results


def _outbox_count(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM outbox")).scalar_one())
    finally:
        engine.dispose()


@contextmanager
def _service(tmp: Path) -> Iterator[tuple[httpx.Client, str]]:
    """The identity app on a loopback port with a fresh SQLite database, and a provisioning client for it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        grpc_port = int(s.getsockname()[1])
    database_url = f"sqlite:///{tmp / 'identity.db'}"
    env = {"SAMLA_VAR_DIR": str(tmp), "SAMLA_IDENTITY_DATABASE_URL": database_url,
           "SAMLA_IDENTITY_GRPC_PORT": str(grpc_port), "SAMLA_IDENTITY_RELAY_ENABLED": "false",
           "SAMLA_IDENTITY_KAFKA_CONSUMER_ENABLED": "false", "SAMLA_CLIENT_SECRET": "bench-secret",
           "OIDC_ISSUER": f"http://127.0.0.1:{port}/dev", "SAMLA_AUTH": "dev", "SAMLA_ENV": "development"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    from samla_common.migrations import upgrade
    from samla_common.service import create_app
    from samla_identity import config
    from samla_identity.devauth import router as devauth
    from samla_identity.main import build

    config.get_settings.cache_clear()
    devauth.signing_key.cache_clear()
    server: uvicorn.Server | None = None
    try:
        upgrade("identity", database_url)
        server = uvicorn.Server(uvicorn.Config(create_app(build()), host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        token = devauth.mint(settings=config.get_settings(), sub="bench-provisioner",
                             claims={"azp": "bench", "realm_access": {"roles": []}, "scope": "scim:provision"})[0]
        with httpx.Client(base_url=f"http://127.0.0.1:{port}/scim/v2", timeout=600,
                          headers={"authorization": f"Bearer {token}"}) as client:
            yield client, database_url
    finally:
        if server is not None:
            server.should_exit = True
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        config.get_settings.cache_clear()
        devauth.signing_key.cache_clear()
