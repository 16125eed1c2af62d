"""No secrets or personal data in error responses or logs (DESIGN §7): a crash answers without a stack trace or
the data it was handling, and a bearer token never reaches a log line or an answer, valid or forged."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from services.events.tests.support.issuer import LocalIssuer

pytestmark = pytest.mark.integration

HEALTH = ("/healthz", "/readyz", "/metrics")
NAME, PERSON_ID, SECRET = "Karin Lindqvist", "p-199001011234", "hunter2-client-secret"


def test_an_unexpected_error_answers_500_without_a_trace_or_the_data_it_held(service: tuple[str, TestClient]) -> None:
    _, client = service

    def crash() -> None:
        raise RuntimeError(f"could not save {NAME} ({PERSON_ID}) with {SECRET}")

    client.app.add_api_route("/__crash", crash, include_in_schema=False)  # type: ignore[attr-defined]
    response = client.get("/__crash")

    assert response.status_code == 500
    for leak in (NAME, PERSON_ID, SECRET, "Traceback", "RuntimeError", ".py"):
        assert leak not in response.text, leak


@pytest.mark.parametrize("kind", ["valid", "forged", "expired"])
def test_a_bearer_token_never_reaches_a_log_line_or_an_answer(service: tuple[str, TestClient], fuzz_issuer: LocalIssuer,
                                                              caplog: pytest.LogCaptureFixture,
                                                              capsys: pytest.CaptureFixture[str], kind: str) -> None:
    _, client = service
    token = fuzz_issuer.token(sub=PERSON_ID, roles=["samla-admin"], azp="samla-gateway", name=NAME,
                              **({"exp": 1} if kind == "expired" else {}))
    if kind == "forged":
        head, body, signature = token.split(".")
        token = f"{head}.{body}.{signature[::-1]}"
    paths = [p for p, ops in client.app.openapi()["paths"].items()  # type: ignore[attr-defined]
             if "get" in ops and "{" not in p and p not in HEALTH][:8] or ["/healthz"]

    with caplog.at_level(logging.DEBUG):
        answers = [client.get(path, headers={"authorization": f"Bearer {token}"}) for path in paths]
    logged = caplog.text + capsys.readouterr().out

    signature_part = token.rsplit(".", 1)[1]
    assert paths and signature_part not in logged
    assert all(signature_part not in a.text and signature_part not in str(a.headers) for a in answers)
    if kind != "valid":
        assert {a.status_code for a in answers if a.status_code >= 400} <= {401}
