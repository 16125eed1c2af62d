"""The dev issuer's signing key: generated once under var/, so tokens survive a restart of `make run`."""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

_lock = threading.Lock()


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_pem: bytes
    public_jwk: dict[str, Any]


def _b64(n: int) -> str:
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def load_or_create(path: Path) -> SigningKey:
    """Reads the PEM at `path`, creating a new RSA-2048 key there (mode 600) when missing."""
    with _lock:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(pem)
            tmp.chmod(0o600)
            tmp.replace(path)
        pem = path.read_bytes()
    private = serialization.load_pem_private_key(pem, password=None)
    assert isinstance(private, rsa.RSAPrivateKey)
    numbers = private.public_key().public_numbers()
    jwk = {"kty": "RSA", "use": "sig", "alg": "RS256", "n": _b64(numbers.n), "e": _b64(numbers.e)}
    # RFC 7638 thumbprint as key id: stable for the same key, new for a rotated one.
    canonical = json.dumps({"e": jwk["e"], "kty": "RSA", "n": jwk["n"]}, separators=(",", ":"), sort_keys=True)
    kid = base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()
    return SigningKey(kid=kid, private_pem=pem, public_jwk={**jwk, "kid": kid})
