"""E-mail addresses as PersonIn's EmailStr stores them, fast enough for 100 000 rows.

email_validator (behind pydantic's EmailStr) costs about 90 µs an address, most of a 100 000-row check. An
all-ASCII address with a plain local part is checked here instead, its domain once per domain by email_validator
itself; anything unusual (quoted or non-ASCII parts, "Name <address>") goes through EmailStr unchanged.
"""

from __future__ import annotations

import re
from functools import lru_cache

import email_validator
from pydantic import EmailStr, TypeAdapter, ValidationError

_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_EMAIL_STR: TypeAdapter[str] = TypeAdapter(EmailStr)


def normalise(raw: str) -> str | None:
    """The address as EmailStr would store it, or None where EmailStr would refuse it."""
    local, at, domain = raw.rpartition("@")
    if at and raw.isascii() and len(raw) <= 254 and len(local) <= 64 and _PLAIN_LOCAL.fullmatch(local):
        checked = _domain(domain)
        if checked is not None:
            return f"{local}@{checked}"
    try:
        return _EMAIL_STR.validate_python(raw)
    except ValidationError:
        return None


@lru_cache(maxsize=4096)
def _domain(domain: str) -> str | None:
    try:
        return email_validator.validate_email(f"a@{domain}", check_deliverability=False).domain
    except email_validator.EmailNotValidError:
        return None
