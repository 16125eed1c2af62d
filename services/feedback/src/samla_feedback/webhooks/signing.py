"""Webhook signatures: HMAC-SHA256 over `<timestamp>.<body>`, sent as `Samla-Signature: t=<ts>,v1=<hex>`.

The timestamp is inside the signed text so a captured delivery cannot be replayed later by someone else with a
new timestamp; receivers check it against their clock (`tolerance`) and deduplicate by `Samla-Delivery-Id`.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "Samla-Signature"
DELIVERY_HEADER = "Samla-Delivery-Id"
TYPE_HEADER = "Samla-Event-Type"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of `<timestamp>.<body>` under `secret`."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    ts = int(time.time()) if timestamp is None else timestamp
    return f"t={ts},v1={sign(secret, ts, body)}"


def verify(secret: str, value: str, body: bytes, *, tolerance: int = 300, now: float | None = None) -> bool:
    """What a receiver does: parse the header, check the age and compare in constant time."""
    parts = dict(p.split("=", 1) for p in value.split(",") if "=" in p)
    try:
        ts = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - ts) > tolerance:
        return False
    return hmac.compare_digest(parts.get("v1", ""), sign(secret, ts, body))
