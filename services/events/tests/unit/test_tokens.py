"""Check-in codes: short, and refused when forged, expired or from another day."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samla_events.checkin import tokens

KEY = b"k" * 32
EVENT = "3f1c9a52-7d0e-4b8a-9c61-5a2e8f0b7d14"
NOW = datetime(2026, 11, 26, 7, 30, tzinfo=UTC)
VALID_UNTIL = NOW + timedelta(hours=20)


def test_a_code_is_short_enough_for_a_small_qr_and_verifies() -> None:
    token = tokens.sign(key=KEY, event_id=EVENT, number=417, expires_at=VALID_UNTIL)

    assert len(token) < 60 and len(token) == 31
    assert tokens.verify(key=KEY, token=token, event_id=EVENT, now=NOW) == 417


@given(st.integers(0, 2**32 - 1))
def test_every_person_number_round_trips(number: int) -> None:
    token = tokens.sign(key=KEY, event_id=EVENT, number=number, expires_at=VALID_UNTIL)

    assert tokens.verify(key=KEY, token=token, event_id=EVENT, now=NOW) == number


def test_a_changed_byte_is_refused_as_forged() -> None:
    raw = bytearray(base64.urlsafe_b64decode(tokens.sign(key=KEY, event_id=EVENT, number=7, expires_at=VALID_UNTIL)
                                             + "="))
    raw[8] ^= 0x01  # person 7 becomes person 6: the signature no longer matches
    forged = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()

    with pytest.raises(tokens.ForgedToken, match="not genuine"):
        tokens.verify(key=KEY, token=forged, event_id=EVENT, now=NOW)


def test_a_code_signed_with_another_key_is_refused_as_forged() -> None:
    token = tokens.sign(key=b"x" * 32, event_id=EVENT, number=7, expires_at=VALID_UNTIL)

    with pytest.raises(tokens.ForgedToken):
        tokens.verify(key=KEY, token=token, event_id=EVENT, now=NOW)


@pytest.mark.parametrize("garbage", ["", "hello", "!!!!", "A" * 31, "A" * 200])
def test_garbage_is_refused_as_forged(garbage: str) -> None:
    with pytest.raises(tokens.ForgedToken):
        tokens.verify(key=KEY, token=garbage, event_id=EVENT, now=NOW)


def test_a_code_from_another_day_is_refused_as_such() -> None:
    token = tokens.sign(key=KEY, event_id="another-day", number=7, expires_at=VALID_UNTIL)

    with pytest.raises(tokens.OtherEventToken) as refused:
        tokens.verify(key=KEY, token=token, event_id=EVENT, now=NOW)
    assert refused.value.status == 422 and refused.value.errors == [{"field": "token", "message": "other_event"}]


def test_an_expired_code_is_refused_from_its_expiry_on() -> None:
    token = tokens.sign(key=KEY, event_id=EVENT, number=7, expires_at=NOW)

    assert tokens.verify(key=KEY, token=token, event_id=EVENT, now=NOW - timedelta(seconds=1)) == 7
    with pytest.raises(tokens.ExpiredToken, match="expired"):
        tokens.verify(key=KEY, token=token, event_id=EVENT, now=NOW)
