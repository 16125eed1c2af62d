"""A minimal OIDC issuer on loopback: discovery, JWKS and client credentials, so tokens are verified for real."""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

SERVICE_SECRET = "events-test-secret"


class LocalIssuer:
    def __init__(self) -> None:
        self.kid = uuid.uuid4().hex[:8]
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path.endswith("/.well-known/openid-configuration"):
                    self._json({"issuer": issuer.url, "jwks_uri": f"{issuer.url}/jwks",
                                "token_endpoint": f"{issuer.url}/token"})
                elif self.path.endswith("/jwks"):
                    jwk = json.loads(RSAAlgorithm.to_jwk(issuer.key.public_key()))
                    self._json({"keys": [{**jwk, "kid": issuer.kid, "use": "sig", "alg": "RS256"}]})
                else:
                    self._json({"error": "not found"}, 404)

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length", 0)))
                scheme, _, creds = self.headers.get("authorization", "").partition(" ")
                basic = base64.b64decode(creds).decode() if scheme == "Basic" else ""
                client, _, secret = basic.partition(":")
                if not self.path.endswith("/token") or secret != SERVICE_SECRET:
                    self._json({"error": "invalid_client"}, 401)
                    return
                self._json({"access_token": issuer.token(sub=client, roles=["samla-service"], azp=client),
                            "token_type": "Bearer", "expires_in": 300})

            def _json(self, body: dict[str, Any], status: int = 200) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/realms/samla"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def token(self, *, sub: str, roles: list[str] | None = None, **claims: Any) -> str:
        now = int(time.time())
        body = {"iss": self.url, "aud": "samla", "sub": sub, "iat": now, "exp": now + 600,
                "realm_access": {"roles": roles or []}, **claims}
        return jwt.encode(body, self.key, algorithm="RS256", headers={"kid": self.kid})

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
