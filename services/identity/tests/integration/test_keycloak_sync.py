"""The Keycloak sync against recorded Admin REST responses served on loopback: python-keycloak makes its real
HTTP calls (token request included), and the directory is written on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from samla_common.db import make_engine, make_session_factory
from samla_common.errors import Unavailable
from samla_common.migrations import upgrade
from samla_identity.config import Settings
from samla_identity.keycloak_sync import client, service
from samla_identity.keycloak_sync.models import SyncRun
from samla_identity.keycloak_sync.schemas import SyncReport
from samla_identity.people.models import OrgUnit, Person
from services.identity.tests.fixtures.keycloak.realms import from_demo, kc_id, recorded
from services.identity.tests.fixtures.keycloak.server import FakeKeycloak

pytestmark = pytest.mark.integration
EVA, LARS, KARIN, OMAR, SARA = (kc_id(f"u-{n}") for n in ("eva", "lars", "karin", "omar", "sara"))
JOHAN, LINA, PER, GUSTAV = (kc_id(f"u-{n}") for n in ("johan", "lina", "per", "gustav"))


@pytest.fixture
def keycloak() -> Iterator[FakeKeycloak]:
    kc = FakeKeycloak(recorded()).start()
    yield kc
    kc.stop()


@pytest.fixture
def db(database_url: str) -> Iterator[sessionmaker[Session]]:
    upgrade("identity", database_url)
    engine = make_engine(database_url)
    yield make_session_factory(engine)
    engine.dispose()


def sync(db: sessionmaker[Session], kc: FakeKeycloak, *, dry_run: bool = False, secret: str = "s3cret") -> SyncReport:
    settings = Settings(keycloak_url=kc.url, keycloak_realm="samla", keycloak_client_id="samla-directory-sync",
                        keycloak_client_secret=SecretStr(secret))
    return service.run(session_factory=db, connect=lambda: client.connect(settings), dry_run=dry_run, trigger="api")


def counts(db: sessionmaker[Session]) -> dict[str, int]:
    with db() as s:
        return {t: s.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in ("people", "org_units", "outbox", "person_placements")}


def person(db: sessionmaker[Session], person_id: str) -> Person:
    with db() as s:
        found = s.get(Person, person_id)
        assert found is not None
        return found


def test_first_sync_creates_the_org_tree_and_the_people_with_managers_units_and_roles(
        db: sessionmaker[Session], keycloak: FakeKeycloak) -> None:
    report = sync(db, keycloak)

    assert report.counts["created"] == 9 and report.counts["org_units_created"] == 9
    assert report.counts["skipped"] == 1  # the disabled user is not created; the service account is not a person
    assert report.counts["events"] == 18 == counts(db)["outbox"]
    assert ("POST", "/realms/samla/protocol/openid-connect/token", {}) in keycloak.requests
    with db() as s:
        kinds = dict(s.execute(select(OrgUnit.name, OrgUnit.kind)).tuples().all())
    assert kinds == {"Exempelstad": "kommunkoncern", "Utbildningsförvaltningen": "forvaltning",
                     "Socialförvaltningen": "forvaltning", "Exempelstads Energi AB": "bolag",
                     "Grundskola": "avdelning", "Hemtjänst": "avdelning", "Älvskolan": "enhet", "Norrskolan": "enhet",
                     "Hemtjänst Norra": "enhet"}
    omar = person(db, OMAR)
    assert (omar.name, omar.level, omar.title, omar.manager_id, omar.languages, omar.employee_number) == \
        ("Omar Haddad", "enhetschef", "Rektor", KARIN, ["sv"], "10042")
    assert omar.org_unit_id == kc_id("g-Älvskolan") and omar.source == "keycloak" and omar.user_name == "omar.haddad"
    assert person(db, KARIN).manager_id == LARS  # the manager attribute held a user id
    assert person(db, EVA).level == "kommundirektor" and person(db, EVA).roles == ["samla-leadership"]
    assert person(db, LINA).roles == ["samla-admin"] and person(db, SARA).roles == ["samla-facilitator"]
    assert person(db, PER).org_unit_id == kc_id("g-Exempelstads Energi AB")  # no group: the department attribute
    assert report.issues == []


def test_a_second_identical_sync_changes_nothing_and_publishes_nothing(
        db: sessionmaker[Session], keycloak: FakeKeycloak) -> None:
    sync(db, keycloak)
    before = counts(db)

    report = sync(db, keycloak)

    assert counts(db) == before
    assert report.counts["unchanged"] == 9
    assert (report.counts["created"], report.counts["updated"], report.counts["deactivated"],
            report.counts["events"], report.counts["org_units_created"]) == (0, 0, 0, 0, 0)


def test_a_changed_attribute_updates_exactly_that_person(db: sessionmaker[Session], keycloak: FakeKeycloak) -> None:
    sync(db, keycloak)
    before = counts(db)
    keycloak.realm.user(OMAR)["attributes"]["title"] = ["Biträdande rektor"]

    report = sync(db, keycloak)

    assert [(u.id, u.changes) for u in report.updated] == [
        (OMAR, {"title": {"from": "Rektor", "to": "Biträdande rektor"}})]
    assert counts(db)["outbox"] == before["outbox"] + 1
    assert counts(db)["person_placements"] == before["person_placements"] + 1  # the title is part of the placement
    assert person(db, OMAR).version == 2 and person(db, SARA).version == 1


def test_a_user_removed_from_keycloak_is_deactivated_not_deleted(
        db: sessionmaker[Session], keycloak: FakeKeycloak) -> None:
    sync(db, keycloak)
    keycloak.realm.remove_user(JOHAN)

    report = sync(db, keycloak)

    assert [p.id for p in report.deactivated] == [JOHAN]
    assert person(db, JOHAN).active is False
    assert keycloak.calls(f"/users/{JOHAN}")  # the sync asked Keycloak before taking Johan for gone
    with db() as s:
        types = s.execute(text("SELECT type FROM outbox WHERE key = :k ORDER BY id"), {"k": JOHAN}).scalars().all()
    assert types[-1] == "se.samla.identity.person.deactivated.v1"
    # Lina's manager attribute still names johan.ek, who is gone from Keycloak: reported, not guessed.
    assert [i.code for i in report.issues] == ["kc_unknown_manager"]


def test_a_user_missed_by_shifting_pages_is_not_taken_for_gone(
        db: sessionmaker[Session], keycloak: FakeKeycloak) -> None:
    sync(db, keycloak)
    keycloak.realm.hidden_from_listing.add(JOHAN)

    report = sync(db, keycloak)

    assert report.deactivated == [] and person(db, JOHAN).active
    assert "kc_still_exists" in [i.code for i in report.issues]


def test_a_dry_run_reports_the_changes_and_writes_nothing(db: sessionmaker[Session], keycloak: FakeKeycloak) -> None:
    empty = counts(db)

    first = sync(db, keycloak, dry_run=True)

    assert first.dry_run and first.counts["created"] == 9 and first.counts["org_units_created"] == 9
    assert first.counts["events"] == 0 and counts(db) == empty
    sync(db, keycloak)
    keycloak.realm.user(SARA)["attributes"]["location"] = ["Södra"]
    keycloak.realm.remove_user(PER)
    before = counts(db)

    second = sync(db, keycloak, dry_run=True)

    assert [(u.id, u.changes) for u in second.updated] == [(SARA, {"location": {"from": "Norra", "to": "Södra"}})]
    assert [p.id for p in second.deactivated] == [PER]
    assert counts(db) == before and person(db, SARA).location == "Norra" and person(db, PER).active
    with db() as s:
        assert s.scalars(select(SyncRun.dry_run).order_by(SyncRun.id)).all() == [True, False, True]


def test_a_manager_cycle_is_reported_and_everyone_else_is_synced(
        db: sessionmaker[Session], keycloak: FakeKeycloak) -> None:
    keycloak.realm.user(KARIN)["attributes"]["manager"] = ["omar.haddad"]  # Omar already reports to Karin

    report = sync(db, keycloak)

    cycles = [i for i in report.issues if i.code == "kc_manager_cycle"]
    assert len(cycles) == 1 and "karin.lindqvist" in cycles[0].message and "omar.haddad" in cycles[0].message_en
    assert person(db, KARIN).manager_id is None and person(db, OMAR).manager_id is None
    assert report.counts["created"] == 9 and person(db, SARA).manager_id == KARIN


def test_an_unknown_group_an_unknown_manager_and_an_unknown_level_are_reported(
        db: sessionmaker[Session], keycloak: FakeKeycloak) -> None:
    keycloak.realm.user(PER)["attributes"]["department"] = ["Okänd enhet"]
    keycloak.realm.user(SARA)["attributes"]["manager"] = ["nobody.here"]
    keycloak.realm.user(LINA)["attributes"]["level"] = ["överchef"]

    report = sync(db, keycloak)

    issues = {i.code: i for i in report.issues}
    assert set(issues) == {"kc_unknown_group", "kc_unknown_manager", "kc_unknown_level"}
    assert "Okänd enhet" in issues["kc_unknown_group"].message and issues["kc_unknown_group"].user_id == PER
    assert issues["kc_unknown_manager"].user_id == SARA and "nobody.here" in issues["kc_unknown_manager"].message_en
    assert person(db, PER).org_unit_id is None and person(db, SARA).manager_id is None
    assert person(db, LINA).level is None


def test_paging_reads_every_user_of_a_realm_with_more_than_a_hundred(db: sessionmaker[Session]) -> None:
    kc = FakeKeycloak(from_demo(managers=250)).start()
    try:
        report = sync(db, kc)
    finally:
        kc.stop()

    assert report.counts["created"] == 250 and report.counts["users_listed"] == 250
    assert [q["first"] for q in kc.calls("/admin/realms/samla/users")] == ["0", "100", "200"]
    assert all(q["max"] == "100" for q in kc.calls("/admin/realms/samla/users"))
    with db() as s:
        assert s.scalar(select(func.count()).select_from(Person).where(Person.manager_id.is_not(None))) == 249
    assert report.issues == []


def test_an_older_keycloak_that_nests_every_subgroup_is_read_too(db: sessionmaker[Session]) -> None:
    kc = FakeKeycloak(recorded(), nested_groups=True).start()
    try:
        report = sync(db, kc)
    finally:
        kc.stop()
    assert report.counts["org_units_created"] == 9 and report.counts["created"] == 9
    assert not kc.calls("/children") and person(db, OMAR).org_unit_id == kc_id("g-Älvskolan")


def test_an_empty_listing_deactivates_nobody(db: sessionmaker[Session], keycloak: FakeKeycloak) -> None:
    sync(db, keycloak)
    for user_id in [u["id"] for u in keycloak.realm.users]:
        keycloak.realm.remove_user(user_id)

    report = sync(db, keycloak)

    assert report.deactivated == [] and [i.code for i in report.issues] == ["kc_no_users"]


def test_a_wrong_client_secret_fails_the_run_and_logs_it(db: sessionmaker[Session], keycloak: FakeKeycloak) -> None:
    with pytest.raises(Unavailable) as failed:
        sync(db, keycloak, secret="wrong")

    assert "401" in failed.value.detail
    with db() as s:
        run = s.scalars(select(SyncRun)).one()
    assert run.status == "failed" and run.error and "401" in run.error and counts(db)["people"] == 0
