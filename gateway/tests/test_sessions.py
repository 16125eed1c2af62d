"""The server-side session store on SQLite and PostgreSQL, migrated by the gateway's own migration."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet, MultiFernet
from sqlalchemy import select, update

from samla_common.db import make_engine
from samla_gateway import migrate
from samla_gateway.auth.sessions import SessionStore, Tokens, session_key
from samla_gateway.auth.tables import sessions

pytestmark = pytest.mark.integration

ACCESS = "eyJhbGciOiJSUzI1NiJ9.access-token-for-maja.signature"


def tokens(access: str = ACCESS, *, expires_in: int = 300) -> Tokens:
    return Tokens(access_token=access, expires_at=int(time.time()) + expires_in, refresh_token="refresh-1",
                  id_token="id-1")


@pytest.fixture
def key() -> bytes:
    return Fernet.generate_key()


@pytest.fixture
def store(database_url: str, key: bytes) -> Iterator[SessionStore]:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    yield SessionStore(engine=engine, fernet=MultiFernet([Fernet(key)]), idle=600, max_age=3600)
    engine.dispose()


def test_a_session_is_read_back_by_its_cookie_secret_only(store: SessionStore) -> None:
    secret, created = store.create(sub="p-chef", sid="sid-1", tokens=tokens())

    found = store.get(secret=secret)

    assert found is not None and found.sub == "p-chef" and found.sid == "sid-1"
    assert found.tokens == created.tokens and found.csrf == created.csrf
    assert store.get(secret=secret + "x") is None


def test_tokens_are_encrypted_at_rest_and_the_row_is_keyed_by_a_hash_of_the_cookie(store: SessionStore) -> None:
    secret, _ = store.create(sub="p-chef", sid="", tokens=tokens())

    with store.engine.connect() as conn:
        row = conn.execute(select(sessions)).mappings().one()

    assert row["id"] == session_key(secret) and secret not in row["id"]
    assert "access-token-for-maja" not in row["data"] and "refresh-1" not in row["data"]


def test_every_sign_in_gets_a_new_session_id(store: SessionStore) -> None:
    first, _ = store.create(sub="p-chef", sid="", tokens=tokens())
    second, _ = store.create(sub="p-chef", sid="", tokens=tokens())

    assert first != second
    assert store.get(secret=first) is not None and store.get(secret=second) is not None


def test_an_idle_session_ends(store: SessionStore) -> None:
    secret, _ = store.create(sub="p-chef", sid="", tokens=tokens())
    with store.engine.begin() as conn:
        conn.execute(update(sessions).values(last_seen_at=int(time.time()) - store.idle - 1))

    assert store.get(secret=secret) is None
    with store.engine.connect() as conn:
        assert conn.execute(select(sessions)).first() is None


def test_a_session_ends_at_its_maximum_age_even_when_in_use(store: SessionStore) -> None:
    secret, _ = store.create(sub="p-chef", sid="", tokens=tokens())
    with store.engine.begin() as conn:
        conn.execute(update(sessions).values(expires_at=int(time.time()) - 1))

    assert store.get(secret=secret) is None


def test_a_refresh_that_lost_the_race_does_not_overwrite_the_winner(store: SessionStore) -> None:
    secret, session = store.create(sub="p-chef", sid="", tokens=tokens())

    winner = store.replace_tokens(session=session, tokens=tokens("access-2"))
    loser = store.replace_tokens(session=session, tokens=tokens("access-3"))

    assert winner is not None and loser is None
    current = store.get(secret=secret)
    assert current is not None and current.tokens.access_token == "access-2" and current.version == 2


def test_back_channel_logout_ends_the_idp_session_or_else_all_of_the_persons(store: SessionStore) -> None:
    phone, _ = store.create(sub="p-chef", sid="sid-phone", tokens=tokens())
    laptop, _ = store.create(sub="p-chef", sid="sid-laptop", tokens=tokens())
    other, _ = store.create(sub="p-admin", sid="sid-other", tokens=tokens())

    assert store.delete_for(sub="p-chef", sid="sid-phone") == 1
    assert store.get(secret=phone) is None and store.get(secret=laptop) is not None
    assert store.delete_for(sub="p-chef", sid="sid-unknown") == 1  # no such sid: every session of the person
    assert store.get(secret=laptop) is None and store.get(secret=other) is not None


def test_a_new_key_in_front_still_opens_sessions_sealed_with_the_old_one(store: SessionStore, key: bytes) -> None:
    secret, _ = store.create(sub="p-chef", sid="", tokens=tokens())
    store.fernet = MultiFernet([Fernet(Fernet.generate_key()), Fernet(key)])

    assert store.get(secret=secret) is not None


def test_a_session_sealed_with_a_key_no_longer_configured_ends(store: SessionStore) -> None:
    secret, _ = store.create(sub="p-chef", sid="", tokens=tokens())
    store.fernet = MultiFernet([Fernet(Fernet.generate_key())])

    assert store.get(secret=secret) is None
