"""Changing a chefsdag after it was created: what each state allows, and refusals a page can explain per field."""

from __future__ import annotations

import pytest

from services.events.tests.conftest import Api
from services.events.tests.integration.test_api import DAY, THE_DAY, new_day, problem, staff
from services.events.tests.support.directory import Directory

pytestmark = pytest.mark.integration


def test_a_draft_changes_every_detail_and_bumps_its_version(api: Api) -> None:
    event_id = new_day(api)
    later = THE_DAY.replace(day=1) if THE_DAY.day > 1 else THE_DAY.replace(day=2)

    changed = api.call("PATCH", f"/events/{event_id}", json={
        "title": "Chefsdag våren", "date": later.isoformat(), "starts_at": "09:00", "ends_at": "15:00",
        "venue": "Konserthuset", "capacity": 16, "tables": {"count": 4, "seats_per_table": 4, "accessible": 2},
        "process": {"id": "vision-2040", "name": "Vision 2040"}})

    body = changed.json()
    assert changed.status_code == 200, changed.text
    assert (body["title"], body["date"], body["starts_at"], body["venue"], body["capacity"]) == (
        "Chefsdag våren", later.isoformat(), "09:00", "Konserthuset", 16)
    assert body["tables"] == {"count": 4, "seats_per_table": 4, "accessible": 2} and body["version"] == 2
    assert body["process"] == {"id": "vision-2040", "name": "Vision 2040"}
    cleared = api.call("PATCH", f"/events/{event_id}", json={"process": None}).json()
    assert cleared["process"] is None


def started(api: Api, directory: tuple[Directory, str]) -> str:
    ids, _ = staff(directory, 1)
    event_id = new_day(api)
    assert api.call("POST", f"/events/{event_id}/invitations", json={"person_ids": ids}).status_code == 200
    assert api.call("POST", f"/events/{event_id}/start").json()["state"] == "ongoing"
    return event_id


def test_an_ongoing_day_keeps_its_date_but_may_change_its_hours(api: Api, directory: tuple[Directory, str]) -> None:
    event_id = started(api, directory)

    moved = problem(api.call("PATCH", f"/events/{event_id}", json={"date": "2031-01-02"}), 409)
    resent = api.call("PATCH", f"/events/{event_id}", json={"date": DAY["date"], "ends_at": "16:30"})

    assert moved["errors"] == [{"field": "date", "code": "locked", "message": "locked while ongoing"}]
    assert "date can no longer change" in moved["detail"]
    assert resent.status_code == 200 and resent.json()["ends_at"] == "16:30"


def test_a_closed_day_cannot_change_at_all(api: Api, directory: tuple[Directory, str]) -> None:
    event_id = started(api, directory)
    api.call("POST", f"/events/{event_id}/close")

    refused = problem(api.call("PATCH", f"/events/{event_id}", json={"title": "Efteråt"}), 409)

    assert refused["errors"] == [{"field": "state", "code": "edit_not_allowed", "message": "closed"}]


def test_capacity_below_the_seats_taken_is_refused_with_the_lowest_possible(
        api: Api, directory: tuple[Directory, str]) -> None:
    ids, _ = staff(directory, 3)
    event_id = new_day(api, capacity=8)
    api.call("POST", f"/events/{event_id}/invitations", json={"person_ids": ids})
    for pid in ids:
        api.call("PUT", f"/me/events/{event_id}/registration", sub=pid, roles=[], json={"attending": True})

    too_few = problem(api.call("PATCH", f"/events/{event_id}", json={"capacity": 2}), 409)
    too_many = problem(api.call("PATCH", f"/events/{event_id}", json={"capacity": 9}), 400)

    assert too_few["errors"] == [{"field": "capacity", "code": "below_held", "limit": 3, "message": "at least 3"}]
    assert too_many["errors"][0] | {"message": ""} == {"field": "capacity", "code": "above_table_seats", "limit": 8,
                                                      "message": ""}
