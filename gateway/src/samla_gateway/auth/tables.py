"""The gateway's one table: server-side sessions, shared by every replica (issue 3 §1)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table, Text

from samla_common.db import new_metadata

metadata = new_metadata()

sessions = Table(
    "sessions",
    metadata,
    # SHA-256 of the cookie's secret: a copy of the table does not hand out usable cookies.
    Column("id", String(64), primary_key=True),
    Column("sub", String(200), nullable=False),
    # The IdP's session id (`sid` of the ID token), which a back-channel logout may name instead of `sub`.
    Column("sid", String(200), nullable=True),
    # Fernet-encrypted JSON: access, refresh and ID tokens and the CSRF token.
    Column("data", Text, nullable=False),
    # Unix seconds; integers compare the same way on SQLite and PostgreSQL.
    Column("access_expires_at", BigInteger, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("last_seen_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    # Bumped on every token refresh, so two replicas refreshing at once cannot overwrite each other.
    Column("version", Integer, nullable=False),
    Index("ix_sessions_sub", "sub"),
    Index("ix_sessions_sid", "sid"),
    Index("ix_sessions_expires_at", "expires_at"),
)
