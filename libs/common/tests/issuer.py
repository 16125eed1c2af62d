"""A minimal OIDC issuer on loopback (discovery + JWKS) whose keys tests can rotate, for verifier tests."""

from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


class LocalIssuer:
    def __init__(self) -> None:
        self.keys: list[tuple[str, rsa.RSAPrivateKey]] = []
        self.jwks_requests = 0
        self.rotate()
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path.endswith("/.well-known/openid-configuration"):
                    body = {"issuer": issuer.url, "jwks_uri": f"{issuer.url}/jwks"}
                elif self.path.endswith("/jwks"):
                    issuer.jwks_requests += 1
                    body = {"keys": [issuer.public_jwk(kid, key) for kid, key in issuer.keys]}
                else:
                    self.send_response(404)
                    self.end_headers()
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/realms/test"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def rotate(self) -> str:
        """Adds a new key and signs with it from now on (the old one stays published, as IdPs do)."""
        kid = uuid.uuid4().hex[:8]
        self.keys.append((kid, rsa.generate_private_key(public_exponent=65537, key_size=2048)))
        return kid

    @staticmethod
    def public_jwk(kid: str, key: rsa.RSAPrivateKey) -> dict[str, Any]:
        jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
        return {**jwk, "kid": kid, "use": "sig", "alg": "RS256"}

    def token(self, *, sub: str = "p-1", roles: list[str] | None = None, aud: str = "samla", iss: str | None = None,
              exp_in: int = 300, key: rsa.RSAPrivateKey | None = None, kid: str | None = None,
              **claims: Any) -> str:
        now = int(time.time())
        signing_kid, signing_key = self.keys[-1]
        body = {"iss": iss or self.url, "aud": aud, "sub": sub, "iat": now, "exp": now + exp_in,
                "realm_access": {"roles": roles or []}, **claims}
        return jwt.encode(body, key or signing_key, algorithm="RS256", headers={"kid": kid or signing_kid})

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
