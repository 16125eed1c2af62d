"""Server-side sessions in the gateway's database, so any replica serves any request (issue 3 §1).

The browser holds only a random secret in a cookie; the row is keyed by its SHA-256 and keeps the tokens
encrypted with Fernet. Sessions end when idle for `idle` seconds, after `max_age` seconds, or on logout.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from dataclasses import dataclass, replace

from cryptography.fernet import InvalidToken, MultiFernet
from sqlalchemy import Engine, delete, insert, or_, select, update

from samla_gateway.auth.tables import sessions

TOUCH_EVERY = 60  # seconds: last_seen_at is written at most this often, not on every request


@dataclass(frozen=True)
class Tokens:
    access_token: str
    expires_at: int  # unix seconds
    refresh_token: str = ""
    id_token: str = ""


@dataclass(frozen=True)
class Session:
    key: str  # the row id (hash of the cookie secret)
    sub: str
    sid: str
    tokens: Tokens
    csrf: str
    version: int


def session_key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class SessionStore:
    def __init__(self, *, engine: Engine, fernet: MultiFernet, idle: int, max_age: int) -> None:
        self.engine = engine
        self.fernet = fernet
        self.idle = idle
        self.max_age = max_age

    def create(self, *, sub: str, sid: str, tokens: Tokens) -> tuple[str, Session]:
        """Starts a new session (always a new id: no fixation) and returns the cookie secret with it."""
        secret = secrets.token_urlsafe(32)
        session = Session(key=session_key(secret), sub=sub, sid=sid, tokens=tokens,
                          csrf=secrets.token_urlsafe(32), version=1)
        now = int(time.time())
        with self.engine.begin() as conn:
            conn.execute(delete(sessions).where(or_(sessions.c.expires_at < now,
                                                    sessions.c.last_seen_at < now - self.idle)))
            conn.execute(insert(sessions).values(
                id=session.key, sub=sub, sid=sid or None, data=self._seal(session),
                access_expires_at=tokens.expires_at, created_at=now, last_seen_at=now, expires_at=now + self.max_age,
                version=1))
        return secret, session

    def get(self, *, secret: str) -> Session | None:
        """The live session for a cookie secret; None (and the row gone) when it has ended or cannot be read."""
        key = session_key(secret)
        now = int(time.time())
        with self.engine.begin() as conn:
            row = conn.execute(select(sessions).where(sessions.c.id == key)).mappings().first()
            if row is None:
                return None
            if row["expires_at"] < now or row["last_seen_at"] < now - self.idle:
                conn.execute(delete(sessions).where(sessions.c.id == key))
                return None
            if row["last_seen_at"] < now - TOUCH_EVERY:
                conn.execute(update(sessions).where(sessions.c.id == key).values(last_seen_at=now))
        try:
            tokens, csrf = self._open(row["data"], row["access_expires_at"])
        except (InvalidToken, ValueError, KeyError):
            # Sealed with a key that is no longer configured: the person signs in again.
            self.delete(key=key)
            return None
        return Session(key=key, sub=row["sub"], sid=row["sid"] or "", tokens=tokens, csrf=csrf,
                       version=row["version"])

    def replace_tokens(self, *, session: Session, tokens: Tokens) -> Session | None:
        """Stores refreshed tokens unless another request refreshed first (then None: read it again)."""
        updated = replace(session, tokens=tokens, version=session.version + 1)
        with self.engine.begin() as conn:
            result = conn.execute(update(sessions)
                                  .where(sessions.c.id == session.key, sessions.c.version == session.version)
                                  .values(data=self._seal(updated), access_expires_at=tokens.expires_at,
                                          version=updated.version))
        return updated if result.rowcount == 1 else None

    def reload(self, *, session: Session) -> Session | None:
        """The stored state of a session, by its key (after losing a refresh race)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(sessions.c.data, sessions.c.access_expires_at, sessions.c.version)
                               .where(sessions.c.id == session.key)).mappings().first()
        if row is None:
            return None
        tokens, _ = self._open(row["data"], row["access_expires_at"])
        return replace(session, tokens=tokens, version=row["version"])

    def delete(self, *, key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.id == key))

    def delete_for(self, *, sub: str = "", sid: str = "") -> int:
        """Ends the sessions of an IdP session (`sid`), else all of a person's (`sub`); returns how many ended."""
        ended = 0
        with self.engine.begin() as conn:
            if sid:
                condition = sessions.c.sid == sid
                if sub:
                    condition = condition & (sessions.c.sub == sub)
                ended = int(conn.execute(delete(sessions).where(condition)).rowcount)
            if not ended and sub:
                # Sessions started without a `sid` (some providers leave it out of the ID token).
                ended = int(conn.execute(delete(sessions).where(sessions.c.sub == sub)).rowcount)
        return ended

    def _open(self, sealed: str, access_expires_at: int) -> tuple[Tokens, str]:
        data = json.loads(self.fernet.decrypt(sealed.encode()))
        tokens = Tokens(access_token=data["access_token"], expires_at=int(access_expires_at),
                        refresh_token=data.get("refresh_token", ""), id_token=data.get("id_token", ""))
        return tokens, str(data["csrf"])

    def _seal(self, session: Session) -> str:
        t = session.tokens
        data = {"access_token": t.access_token, "refresh_token": t.refresh_token, "id_token": t.id_token,
                "csrf": session.csrf}
        return self.fernet.encrypt(json.dumps(data).encode()).decode()
