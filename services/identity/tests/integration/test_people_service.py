"""The directory's write path: versions, placement history and exactly one event per real change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from samla_common.db import make_engine, make_session_factory, unit_of_work
from samla_common.errors import DomainError
from samla_common.messaging.outbox import outbox_table
from samla_common.migrations import upgrade
from samla_identity.orgunits import service as orgunits
from samla_identity.orgunits.schemas import OrgUnitIn
from samla_identity.people import service as people
from samla_identity.people.schemas import PersonIn

pytestmark = pytest.mark.integration


@pytest.fixture
def factory(database_url: str) -> sessionmaker[Session]:
    upgrade("identity", database_url)
    f = make_session_factory(make_engine(database_url))
    with unit_of_work(f) as s:
        orgunits.upsert(session=s, data=OrgUnitIn(id="ou-k", name="Kommunen", kind="kommunkoncern"))
        orgunits.upsert(session=s, data=OrgUnitIn(id="ou-utb", name="Utbildning", kind="forvaltning",
                                                  parent_id="ou-k"))
        orgunits.upsert(session=s, data=OrgUnitIn(id="ou-soc", name="Social", kind="forvaltning", parent_id="ou-k"))
    return f


def events_for(f: sessionmaker[Session], key: str) -> list[str]:
    with f() as s:
        return list(s.scalars(select(outbox_table.c.type).where(outbox_table.c.key == key)
                              .order_by(outbox_table.c.id)))


def test_an_identical_write_changes_nothing_and_publishes_nothing(factory: sessionmaker[Session]) -> None:
    data = PersonIn(id="p-1", name="Karin Lind", org_unit_id="ou-utb", level="enhetschef")
    with unit_of_work(factory) as s:
        assert people.upsert(session=s, data=data).outcome == "created"
    with unit_of_work(factory) as s:
        result = people.upsert(session=s, data=data)
        assert result.outcome == "unchanged" and result.person.version == 1
    assert events_for(factory, "p-1") == ["se.samla.identity.person.upserted.v1"]


def test_moving_a_person_keeps_where_they_were_before(factory: sessionmaker[Session]) -> None:
    with unit_of_work(factory) as s:
        people.upsert(session=s, data=PersonIn(id="p-2", name="Ali Hassan", org_unit_id="ou-utb", level="enhetschef"))
    before_move = datetime.now(UTC)
    with unit_of_work(factory) as s:
        result = people.upsert(session=s, data=PersonIn(id="p-2", name="Ali Hassan", org_unit_id="ou-soc",
                                                        level="avdelningschef"))
        assert result.outcome == "updated" and result.person.version == 2
    with factory() as s:
        then = people.placement_at(session=s, person_id="p-2", when=before_move)
        now = people.placement_at(session=s, person_id="p-2", when=datetime.now(UTC) + timedelta(seconds=1))
    assert then is not None and (then.org_unit_id, then.level) == ("ou-utb", "enhetschef")
    assert now is not None and (now.org_unit_id, now.level) == ("ou-soc", "avdelningschef")
    assert len(events_for(factory, "p-2")) == 2


def test_deactivation_publishes_once_and_ends_the_placement(factory: sessionmaker[Session]) -> None:
    with unit_of_work(factory) as s:
        people.upsert(session=s, data=PersonIn(id="p-3", name="Eva Berg", org_unit_id="ou-soc"))
    with unit_of_work(factory) as s:
        people.deactivate(session=s, person_id="p-3")
    with unit_of_work(factory) as s:
        assert people.deactivate(session=s, person_id="p-3").active is False  # again: nothing new
    assert events_for(factory, "p-3") == ["se.samla.identity.person.upserted.v1",
                                          "se.samla.identity.person.deactivated.v1"]
    with factory() as s:
        assert people.placement_at(session=s, person_id="p-3", when=datetime.now(UTC) + timedelta(seconds=1)) is None


def test_bad_references_are_refused_and_nothing_is_written(factory: sessionmaker[Session]) -> None:
    with pytest.raises(DomainError, match="does not exist"), unit_of_work(factory) as s:
        people.upsert(session=s, data=PersonIn(id="p-4", name="X", org_unit_id="ou-nowhere"))
    with pytest.raises(DomainError, match="own manager"), unit_of_work(factory) as s:
        people.upsert(session=s, data=PersonIn(id="p-4", name="X", manager_id="p-4"))
    with pytest.raises(DomainError, match="circular"), unit_of_work(factory) as s:
        orgunits.upsert(session=s, data=OrgUnitIn(id="ou-k", name="Kommunen", kind="kommunkoncern",
                                                  parent_id="ou-utb"))
    with factory() as s:
        assert s.execute(select(func.count()).where(outbox_table.c.key == "p-4")).scalar_one() == 0
