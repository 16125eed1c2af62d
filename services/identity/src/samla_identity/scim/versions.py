"""ETags (RFC 7644 §3.14): `meta.version` is a weak ETag; If-Match guards writes, If-None-Match saves reads."""

from __future__ import annotations

from samla_identity.scim.errors import ScimError


def matches(header: str | None, etag: str) -> bool:
    """Whether an If-Match / If-None-Match header names `etag` (weak comparison, `*` matches any)."""
    if header is None:
        return False
    wanted = _opaque(etag)
    return any(tag.strip() == "*" or _opaque(tag) == wanted for tag in header.split(","))


def require(if_match: str | None, etag: str, what: str) -> None:
    """Refuses a write whose If-Match names another version than the stored one."""
    if if_match is not None and not matches(if_match, etag):
        raise ScimError(412, f"{what} has changed since you read it (it is now version {etag}, you sent "
                             f"{if_match}); GET it again and reapply your change.")


def _opaque(tag: str) -> str:
    tag = tag.strip()
    return (tag[2:] if tag.startswith("W/") else tag).strip('"')
