"""`identity`: SCIM bulk provisioning, Keycloak-style sync diff, and token verification at the gateway.

The SCIM and sync pieces live in bench/identity_scim.py and bench/identity_sync.py; this module adds the token
verification figures: verifications per second with a warm JWKS cache, against the cost of serving a request
that needs no authentication (the gateway's /healthz through its ASGI stack), measured in the same run.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

from bench.harness import Report

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "libs" / "common" / "tests"))


def token_verification(report: Report, seconds: float = 3.0) -> None:
    from fastapi.testclient import TestClient
    from issuer import LocalIssuer  # libs/common/tests/issuer.py: a real JWKS endpoint on loopback

    from samla_common.auth import TokenVerifier

    issuer = LocalIssuer()
    try:
        verifier = TokenVerifier(issuer=issuer.url, audience="samla")
        token = issuer.token(sub="p-1", roles=["samla-admin"])
        verifier.verify(token)  # warm: discovery and JWKS fetched once
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            verifier.verify(token)
            n += 1
        verify_rate = n / (time.perf_counter() - start)
    finally:
        issuer.stop()
    from samla_gateway.main import create_app

    with TestClient(create_app()) as client:
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            client.get("/healthz")
            n += 1
        plain_rate = n / (time.perf_counter() - start)
    report.add("token verifications/s (warm JWKS, RS256)", verify_rate, "1/s", reference=plain_rate,
               target="ratio to unauthenticated gateway requests/s; > 1 means verifying costs less than a request",
               meets=verify_rate > plain_rate)
    report.add("unauthenticated gateway requests/s (baseline)", plain_rate, "1/s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench identity", description=__doc__)
    parser.parse_known_args(argv)
    report = Report(name="identity")
    for piece in ("bench.identity_scim", "bench.identity_sync"):
        try:
            module = importlib.import_module(piece)
        except ModuleNotFoundError:
            report.note(f"{piece} not present")
            continue
        module.run(report)
    token_verification(report)
    report.write()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
