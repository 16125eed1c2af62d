"""Pulses end to end: network asks a cohort's networks through a real feedback service (its HTTP API on loopback,
its own database), members answer anonymously with feedback's tokens, HR sees only k-protected results."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import uvicorn
from jwt.algorithms import RSAAlgorithm

from samla_common.db import unit_of_work
from samla_common.messaging.envelope import Envelope
from samla_network.pulses.client import FeedbackClient

from .conftest import ISSUER, Network, _database, _serving, free_port, wait_for

pytestmark = pytest.mark.integration
PERIOD = "2027-Q1"


@dataclass
class Feedback:
    url: str
    app: Any
    network: Network

    def call(self, method: str, path: str, *, as_: str, **kwargs: Any) -> httpx.Response:
        return httpx.request(method, f"{self.url}{path}", timeout=30,
                             headers={"authorization": f"Bearer {self.network.token(as_)}"}, **kwargs)

    def deliver(self, event_type: str, data: dict[str, Any]) -> None:
        """Identity's people and org units, applied through feedback's own consumer handlers."""
        from samla_feedback.main import build_registry

        handler = build_registry().get(event_type)
        assert handler is not None
        env = Envelope(id=str(uuid.uuid4()), type=event_type, source="/samla/identity", subject=data["id"],
                       time=datetime.now(UTC), data=data, sequence=1)
        with unit_of_work(self.app.state.session_factory) as session:
            handler(session, env)


@pytest.fixture(scope="module")
def feedback(network: Network, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Feedback]:
    """The feedback service on loopback (same database kind as the network under test), trusting the same keys;
    the network service calls it with a samla-service token, as its client-credentials token would be."""
    tmp = tmp_path_factory.mktemp("feedback")
    jwk = {**json.loads(RSAAlgorithm.to_jwk(network.key.public_key())), "kid": "test", "use": "sig", "alg": "RS256"}
    (tmp / "jwks.json").write_text(json.dumps({"keys": [jwk]}))
    for url in _database(network.backend, tmp):
        with _serving(tmp) as jwks_base, pytest.MonkeyPatch.context() as env:
            settings = {"SAMLA_FEEDBACK_DATABASE_URL": url, "SAMLA_FEEDBACK_GRPC_PORT": str(free_port()),
                        "SAMLA_FEEDBACK_RELAY_ENABLED": "false", "SAMLA_FEEDBACK_KAFKA_CONSUMER_ENABLED": "false",
                        "SAMLA_VAR_DIR": str(tmp), "OIDC_ISSUER": ISSUER, "OIDC_JWKS_URL": f"{jwks_base}/jwks.json"}
            for name, value in settings.items():
                env.setenv(name, value)
            from samla_common.migrations import upgrade
            from samla_common.service import create_app
            from samla_feedback import config
            from samla_feedback.main import build

            config.get_settings.cache_clear()
            upgrade("feedback", url)
            app = create_app(build())
            port = free_port()
            server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
            thread = threading.Thread(target=server.run, daemon=True)
            thread.start()
            wait_for(lambda: server.started)  # noqa: B023 (read at once, inside this iteration)
            before = network.app.state.feedback
            network.app.state.feedback = FeedbackClient(base_url=f"http://127.0.0.1:{port}", timeout=30,
                                                        token=lambda: network.token("samla-network", "service"))
            try:
                yield Feedback(url=f"http://127.0.0.1:{port}", app=app, network=network)
            finally:
                network.app.state.feedback = before
                server.should_exit = True
                thread.join(timeout=30)
                config.get_settings.cache_clear()


def _cohort(network: Network, feedback: Feedback, tag: str) -> tuple[str, list[dict[str, Any]]]:
    """Ten managers from five administrations, published as two networks of five; feedback knows them too."""
    ids = network.municipality(tag, administrations=5, per_administration=2)
    for a in range(5):
        feedback.deliver("se.samla.identity.orgunit.upserted.v1", {
            "id": f"{tag}-a{a}", "name": f"Förvaltning {tag} {a}", "kind": "forvaltning", "parent_id": None,
            "updated_at": "2026-11-26T08:00:00Z"})
    for pid in ids:
        feedback.deliver("se.samla.identity.person.upserted.v1", {
            "id": pid, "name": f"Namn {pid}", "org_unit_id": f"{tag}-a{pid.split('-p')[1][0]}", "level": "enhetschef",
            "active": True, "updated_at": "2026-11-26T08:00:00Z"})
    run = network.call("POST", "/runs", expect=201, json={
        "name": f"Kohort {tag}", "population": {"kind": "people", "person_ids": ids},
        "parameters": {"min_size": 5, "max_size": 5, "max_per_administration": 1, "time_budget_seconds": 0.3}}).json()
    assert network.run_to_end(run["id"])["status"] == "done"
    return str(run["id"]), list(network.call("POST", f"/runs/{run['id']}/publish", expect=200).json())


def _answer(feedback: Feedback, person: str, mine: dict[str, Any], answers: dict[str, dict[str, Any]]) -> None:
    token = feedback.call("POST", f"/events/{mine['feedback_event_id']}/eligibility-tokens/mine", as_=person)
    assert token.status_code == 201, token.text
    for question in mine["questions"]:
        if question["question"] in answers:
            body = {**answers[question["question"]], "eligibility_token": token.json()["token"]}
            answered = feedback.call("POST", f"/prompts/{question['prompt_id']}/responses", as_=person, json=body)
            assert answered.status_code == 201, answered.text


def test_a_pulse_asks_a_cohorts_networks_and_hr_sees_only_k_protected_results(
        network: Network, feedback: Feedback, tag: str) -> None:
    run_id, (met_group, other_group) = _cohort(network, feedback, tag)
    pulse = network.call("POST", "/pulses", expect=201, json={"run_id": run_id, "period": PERIOD}).json()
    again = network.call("POST", "/pulses", json={"run_id": run_id, "period": PERIOD})
    assert pulse["status"] == "open" and pulse["people"] == 10 and pulse["networks"] == 2
    assert [q["question"] for q in pulse["questions"]] == ["met", "value", "comment"]
    assert again.status_code == 409 and PERIOD in again.json()["detail"]

    # Everyone in the first network says they met and values it 4; four of the second say no and 2; one is silent.
    silent = other_group["members"][-1]["person_id"]
    for group, answers in ((met_group, {"met": {"choice": "ja_flera"}, "value": {"scale": 4}}),
                           (other_group, {"met": {"choice": "nej"}, "value": {"scale": 2},
                                          "comment": {"text": "Svårt att hitta en tid."}})):
        for member in group["members"]:
            person = member["person_id"]
            [mine] = network.call("GET", "/me/pulses", as_=person, role="", expect=200).json()
            assert mine["group_id"] == group["id"] and mine["pulse_id"] == pulse["id"]
            if person != silent:
                _answer(feedback, person, mine, answers)
    outsider = feedback.call("POST", f"/events/{pulse['feedback_event_id']}/eligibility-tokens/mine",
                             as_=f"{tag}-outsider")
    live = network.call("GET", f"/pulses/{pulse['id']}", expect=200).json()

    closed = network.call("POST", f"/pulses/{pulse['id']}/close", expect=200).json()
    view = network.call("GET", f"/health-view?period={PERIOD}", expect=200).json()
    after = network.call("GET", "/me/pulses", as_=silent, role="", expect=200).json()

    assert outsider.status_code == 403
    live_met = next(r for r in live["results"] if r["question"] == "met")
    assert live_met["respondents"] == 9 and not live_met["suppressed"] and live_met["networks"] == []
    met = next(r for r in closed["results"] if r["question"] == "met")
    value = next(r for r in closed["results"] if r["question"] == "value")
    assert closed["status"] == "closed" and met["respondents"] == 9
    assert {o["id"]: o["count"] for o in met["summary"]["options"]} == {"ja_flera": 5, "ja_en": 0, "nej": 4}
    # The silent member leaves 4 answers in the second network: it is hidden, and so is the first (9 - 5 = 4).
    assert {n["id"]: n["suppressed"] for n in met["networks"]} == {met_group["id"]: True, other_group["id"]: True}
    assert all(n["summary"] is None for n in value["networks"])
    comment = next(r for r in closed["results"] if r["question"] == "comment")
    assert comment["suppressed"] and comment["texts"] == []  # only four wrote: below k
    [cohort] = [c for c in view["cohorts"] if c["run_id"] == run_id]
    assert cohort["pulse"] == {"pulse_id": pulse["id"], "period": PERIOD, "respondents": 9,
                               "met_rate": round(5 / 9, 3), "value_mean": round((5 * 4 + 4 * 2) / 9, 2)}
    assert after == []


def test_a_pulse_needs_a_published_cohort_and_says_when_feedback_cannot_be_reached(
        network: Network, feedback: Feedback, tag: str) -> None:
    run_id, _ = _cohort(network, feedback, tag)
    unknown = network.call("POST", "/pulses", json={"run_id": "no-such-run", "period": PERIOD})
    bad_period = network.call("POST", "/pulses", json={"run_id": run_id, "period": "våren"})
    working = network.app.state.feedback
    network.app.state.feedback = FeedbackClient(base_url=f"http://127.0.0.1:{free_port()}", timeout=5,
                                                token=lambda: network.token("samla-network", "service"))
    try:
        down = network.call("POST", "/pulses", json={"run_id": run_id, "period": "2027-Q2"})
    finally:
        network.app.state.feedback = working
    listed = network.call("GET", f"/pulses?run_id={run_id}", expect=200).json()

    assert unknown.status_code == 404 and bad_period.status_code == 422
    assert down.status_code == 503 and "feedback service" in down.json()["detail"]
    assert listed == []  # nothing was recorded for the pulse feedback never opened
