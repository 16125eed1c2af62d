"""Personal check-in codes: short, signed and expiring, so the QR on a badge or phone stays small.

A code is base64url (no padding) of 23 bytes:
    version (1) | event id prefix (4) | person number (4) | expiry, unix seconds (4) | HMAC-SHA256, first 10 bytes
The MAC covers the whole event id, so a code from another day never verifies; the prefix only lets the door
say "this code is for another day" instead of "forged". 80 bits of MAC are plenty for codes that live a few
weeks and are checked online against a key the doors never see. The result is 31 characters.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct
from datetime import UTC, datetime

from samla_common.errors import DomainError

VERSION = 1
MAC_BYTES = 10
_LAYOUT = struct.Struct(">B4sII")  # version, event prefix, number, expiry


class TokenRefused(DomainError):
    status = 422
    code = "invalid"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, errors=[{"field": "token", "message": self.code}])


class ForgedToken(TokenRefused):
    title = "Check-in code not valid"
    code = "forged"


class ExpiredToken(TokenRefused):
    title = "Check-in code expired"
    code = "expired"


class OtherEventToken(TokenRefused):
    title = "Check-in code for another day"
    code = "other_event"


def _prefix(event_id: str) -> bytes:
    return hashlib.sha256(event_id.encode()).digest()[:4]


def _mac(key: bytes, event_id: str, body: bytes) -> bytes:
    return hmac.new(key, b"samla-checkin\x00" + event_id.encode() + b"\x00" + body, hashlib.sha256).digest()[:MAC_BYTES]


def sign(*, key: bytes, event_id: str, number: int, expires_at: datetime) -> str:
    """The code for person `number` of `event_id`, valid until `expires_at`."""
    body = _LAYOUT.pack(VERSION, _prefix(event_id), number, int(expires_at.timestamp()))
    return base64.urlsafe_b64encode(body + _mac(key, event_id, body)).rstrip(b"=").decode()


def verify(*, key: bytes, token: str, event_id: str, now: datetime) -> int:
    """The person number in a valid code for `event_id`; raises ForgedToken, OtherEventToken or ExpiredToken."""
    raw = token.strip()
    try:
        data = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ForgedToken("This is not a Samla check-in code (it could not be read).") from exc
    if len(data) != _LAYOUT.size + MAC_BYTES or data[0] != VERSION:
        raise ForgedToken("This is not a Samla check-in code (wrong length or version).")
    body, mac = data[:_LAYOUT.size], data[_LAYOUT.size:]
    _, prefix, number, expiry = _LAYOUT.unpack(body)
    if prefix != _prefix(event_id):
        raise OtherEventToken("This check-in code belongs to another day; ask the person for today's code.")
    if not hmac.compare_digest(mac, _mac(key, event_id, body)):
        raise ForgedToken("This check-in code is not genuine (its signature does not match).")
    if now.timestamp() >= expiry:
        raise ExpiredToken(f"This check-in code expired at {datetime.fromtimestamp(expiry, UTC):%Y-%m-%d %H:%M} UTC.")
    return int(number)
