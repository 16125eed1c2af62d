"""Committing an import is one transaction: a failure part-way leaves no person, unit, placement or event behind."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from samla_common.db import make_engine, make_session_factory, unit_of_work
from samla_common.migrations import upgrade
from samla_identity.imports import service
from samla_identity.imports.models import DirectoryImport
from samla_identity.people import service as people
from services.identity.tests.fixtures.imports.files import chefer_csv

pytestmark = pytest.mark.integration


@pytest.fixture
def db(database_url: str) -> Iterator[sessionmaker[Session]]:
    upgrade("identity", database_url)
    engine = make_engine(database_url)
    yield make_session_factory(engine)
    engine.dispose()


def counts(db: sessionmaker[Session]) -> dict[str, int]:
    with db() as s:
        return {t: s.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in ("people", "org_units", "outbox", "person_placements")}


def test_a_commit_that_fails_part_way_leaves_nothing_half_imported(db: sessionmaker[Session],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    with unit_of_work(db) as s:
        import_id = service.upload(session=s, filename="chefer.csv", data=chefer_csv(), uploaded_by="admin-1").id
    before = counts(db)
    real_upsert = people.upsert
    calls = 0

    def upsert_then_fail(**kwargs: Any) -> people.UpsertResult:
        nonlocal calls
        calls += 1
        if calls == 4:
            raise RuntimeError("the database went away")
        return real_upsert(**kwargs)

    monkeypatch.setattr(people, "upsert", upsert_then_fail)

    with pytest.raises(RuntimeError), unit_of_work(db) as s:
        service.commit(session=s, import_id=import_id, committed_by="admin-1")

    assert calls == 4 and counts(db) == before == {"people": 0, "org_units": 0, "outbox": 0, "person_placements": 0}
    with db() as s:
        record = s.get(DirectoryImport, import_id)
        assert record is not None and record.status == "previewed"
    monkeypatch.setattr(people, "upsert", real_upsert)
    with unit_of_work(db) as s:
        service.commit(session=s, import_id=import_id, committed_by="admin-1")
    assert counts(db) == {"people": 6, "org_units": 5, "outbox": 11, "person_placements": 6}
