"""The events HTTP API end to end, with real tokens, identity's gRPC API and the mail catcher: a day from draft
to check-in, the problems callers get, and the files the admin downloads."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from openpyxl import load_workbook

from samla_events.jobs import Jobs
from services.events.tests.conftest import Api
from services.events.tests.support import pdf
from services.events.tests.support.directory import Directory

pytestmark = pytest.mark.integration
ADMIN, FACILITATOR = ["samla-admin"], ["samla-facilitator"]
# A day ahead of the real clock, so codes and registration behave the same whenever the tests run.
THE_DAY = date.today() + timedelta(days=30)
DAY = {"title": "Chefsdag hösten 2026", "description": "Alla chefer samlas.", "date": THE_DAY.isoformat(),
       "starts_at": "08:30", "ends_at": "16:00", "venue": "Stadshuset, Stora salen", "capacity": 3,
       "tables": {"count": 2, "seats_per_table": 4, "accessible": 1}, "process": {"id": "b27", "name": "Budget 2027"}}
AGENDA = {"items": [
    {"kind": "opening", "title": "Välkomna", "starts_at": "08:30", "ends_at": "09:00", "speaker": "Kommundirektören"},
    {"kind": "dialogue", "title": "Dialogrunda 1", "starts_at": "09:00", "ends_at": "09:45", "round_no": 1,
     "method": "Lyssnande samtal", "questions": ["Vad ger dig energi?"]},
    {"kind": "break", "title": "Fika", "starts_at": "09:45", "ends_at": "10:15"},
    {"kind": "dialogue", "title": "Dialogrunda 2", "starts_at": "10:15", "ends_at": "11:00", "round_no": 2},
    {"kind": "qa", "title": "Frågor till ledningen", "starts_at": "15:15", "ends_at": "16:00"}]}


def staff(directory: tuple[Directory, str], n: int) -> tuple[list[str], str]:
    """n managers in a fresh unit of the directory; returns their ids and the unit."""
    d, _ = directory
    tag = uuid.uuid4().hex[:6]
    unit = f"ou-{tag}"
    d.units[unit] = (f"Förvaltning {tag}", "ou-k")
    names = ["Åsa Öberg", "=HYPERLINK(\"http://x\")", "Karin Lindqvist", "Omar Haddad", "Eva Berg"]
    ids = []
    for i in range(n):
        pid = f"p-{tag}-{i}"
        d.add_person(pid, names[i % len(names)] if i < len(names) else f"Chef {i}", unit=unit)
        ids.append(pid)
    return ids, unit


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["detail"]
    return body


def new_day(api: Api, **changes: Any) -> str:
    r = api.call("POST", "/events", json={**DAY, **changes})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_a_day_from_draft_to_check_in(api: Api, directory: tuple[Directory, str]) -> None:
    ids, unit = staff(directory, 4)
    event_id = new_day(api)
    assert api.call("PUT", f"/events/{event_id}/agenda", json=AGENDA, roles=FACILITATOR).status_code == 200
    preview = api.call("POST", f"/events/{event_id}/invitations/preview", json={"org_unit_ids": [unit]}).json()
    assert preview["reached"] == 4 and preview["already_invited"] == 0

    invited = api.call("POST", f"/events/{event_id}/invitations", json={"org_unit_ids": [unit]})

    assert invited.json() == {"invited": 4, "already_invited": 0, "without_email": 0, "mails_queued": 4,
                              "state": "invitations_sent"}
    for pid in ids:
        r = api.call("PUT", f"/me/events/{event_id}/registration", sub=pid, roles=[],
                     json={"attending": True, "dietary": ["vegetarian"], "consent_listed": pid != ids[2]})
        assert r.status_code == 200, r.text
    mine = api.call("GET", f"/me/events/{event_id}", sub=ids[0], roles=[]).json()
    assert mine["registration"]["status"] == "registered" and mine["event"]["can_respond"]
    assert [a["round_no"] for a in mine["agenda"] if a["kind"] == "dialogue"] == [1, 2]
    token = mine["check_in"]["token"]
    assert len(token) < 60
    assert api.call("GET", f"/me/events/{event_id}", sub=ids[3], roles=[]).json()["registration"]["status"] == \
        "waitlisted"
    qr = api.call("GET", f"/me/events/{event_id}/qr.svg", sub=ids[0], roles=[])
    assert qr.status_code == 200 and qr.content.startswith(b"<svg")

    assert api.call("POST", f"/events/{event_id}/start", roles=FACILITATOR).json()["state"] == "ongoing"
    arrived = api.call("POST", f"/events/{event_id}/check-in", roles=FACILITATOR,
                       json={"token": token, "entrance": "Entré A"})
    assert arrived.status_code == 200 and arrived.json()["person_id"] == ids[0]
    found = api.call("GET", f"/events/{event_id}/attendees", params={"q": "åsa"}, roles=FACILITATOR).json()
    assert [a["person_id"] for a in found] == [ids[0]]
    counts = api.call("GET", f"/events/{event_id}/check-in/counts", roles=["samla-leadership"]).json()
    assert counts == {"registered": 3, "checked_in": 1, "not_arrived": 2, "walk_ins": 0,
                      "by_entrance": [{"entrance": "Entré A", "checked_in": 1}]}


def test_callers_get_clear_problems(api: Api, directory: tuple[Directory, str]) -> None:
    event_id = new_day(api)
    other_id = new_day(api)

    illegal = problem(api.call("POST", f"/events/{event_id}/close"), 409)
    assert "'draft'" in illegal["detail"] and "'closed'" in illegal["detail"]
    bad_agenda = problem(api.call("PUT", f"/events/{event_id}/agenda", json={"items": [
        {"kind": "dialogue", "title": "Runda", "starts_at": "07:00", "ends_at": "09:00"}]}), 400)
    assert {e["field"] for e in bad_agenda["errors"]} >= {"agenda.0.starts_at", "agenda.0.round_no"}
    invalid = problem(api.call("POST", "/events", json={**DAY, "capacity": 0}), 422)
    assert invalid["errors"][0]["field"] == "capacity"
    too_many = problem(api.call("POST", "/events", json={**DAY, "capacity": 9}), 400)
    assert "the tables seat only 8" in too_many["detail"]
    problem(api.call("GET", "/events/no-such-day"), 404)
    assert problem(api.call("PATCH", f"/events/{event_id}", json={"title": None}), 400)["errors"] == [
        {"field": "title", "message": "must not be null"}]
    problem(api.call("PUT", f"/me/events/{event_id}/registration", sub="stranger", roles=[],
                     json={"attending": True}), 403)
    problem(api.call("POST", f"/events/{event_id}/check-in", roles=FACILITATOR,
                     json={"token": "x", "person_id": "p-1"}), 422)

    ids, _ = staff(directory, 1)
    api.call("POST", f"/events/{other_id}/invitations", json={"person_ids": ids})
    api.call("PUT", f"/me/events/{other_id}/registration", sub=ids[0], roles=[], json={"attending": True})
    other_token = api.call("GET", f"/me/events/{other_id}", sub=ids[0], roles=[]).json()["check_in"]["token"]
    api.call("POST", f"/events/{event_id}/invitations", json={"person_ids": ids})
    api.call("POST", f"/events/{event_id}/start")
    wrong_day = problem(api.call("POST", f"/events/{event_id}/check-in", json={"token": other_token}), 422)
    assert wrong_day["errors"] == [{"field": "token", "message": "other_event"}]
    api.call("POST", f"/events/{other_id}/start")
    forged = other_token[:-4] + ("AAAA" if not other_token.endswith("AAAA") else "BBBB")
    assert problem(api.call("POST", f"/events/{other_id}/check-in", json={"token": forged}), 422)["errors"] == [
        {"field": "token", "message": "forged"}]


def test_the_directory_not_answering_is_a_503_and_nothing_is_written(api: Api) -> None:
    event_id = new_day(api)
    healthy = api.app.state.identity.target
    api.app.state.identity.close()
    api.app.state.identity.target = "127.0.0.1:1"
    try:
        down = problem(api.call("POST", f"/events/{event_id}/invitations", json={}), 503)
    finally:
        api.app.state.identity.close()
        api.app.state.identity.target = healthy
    assert "identity" in down["detail"]
    assert api.call("GET", f"/events/{event_id}").json()["state"] == "draft"
    assert api.call("GET", f"/events/{event_id}/invitations").json() == []


def test_exports_respect_consent_and_open_in_their_libraries(api: Api, directory: tuple[Directory, str]) -> None:
    ids, _ = staff(directory, 3)
    event_id = new_day(api, capacity=8)
    api.call("PUT", f"/events/{event_id}/agenda", json=AGENDA)
    api.call("POST", f"/events/{event_id}/invitations", json={"person_ids": ids})
    needs = [{"dietary": ["vegan"], "consent_listed": True},
             {"dietary": ["nut_allergy"], "dietary_other": "Svår nötallergi", "dietary_name_to_caterer": True,
              "consent_listed": True},
             {"dietary": [], "consent_listed": False}]
    for pid, n in zip(ids, needs, strict=True):
        api.call("PUT", f"/me/events/{event_id}/registration", sub=pid, roles=[], json={"attending": True, **n})

    listed = api.call("GET", f"/events/{event_id}/exports/participants.csv")
    rows = list(csv.reader(io.StringIO(listed.content[3:].decode("utf-8")), delimiter=";"))
    assert listed.content.startswith(b"\xef\xbb\xbf") and f"deltagare-{THE_DAY.isoformat()}.csv" in \
        listed.headers["content-disposition"]
    assert rows[0] == ["Namn", "Titel", "Organisation", "Bord runda 1", "Bord runda 2"]
    assert sorted(r[0] for r in rows[1:]) == ["'=HYPERLINK(\"http://x\")", "Åsa Öberg"]  # not Karin: no consent
    sheet = load_workbook(io.BytesIO(api.call("GET", f"/events/{event_id}/exports/attendance.xlsx").content)).active
    assert sheet is not None and sheet.max_row == 4 and sheet["B1"].value == "Namn"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)

    dietary = api.call("GET", f"/events/{event_id}/exports/dietary").json()
    assert dietary["registered"] == 3 and dietary["without_needs"] == 1
    assert {(t["need"], t["count"], tuple(t["names"])) for t in dietary["tags"]} == {
        ("vegan", 1, ()), ("nut_allergy", 1, ('=HYPERLINK("http://x")',))}
    assert load_workbook(io.BytesIO(api.call("GET", f"/events/{event_id}/exports/dietary.xlsx").content)).active

    badges = api.call("GET", f"/events/{event_id}/exports/badges.pdf")
    assert badges.headers["content-type"] == "application/pdf" and badges.content.startswith(b"%PDF")
    text = pdf.drawn_text(badges.content)
    for name in ("Åsa Öberg", "Karin Lindqvist", '=HYPERLINK("http://x")'):
        assert text.count(name) == 1, name
    assert badges.content.count(b"/Type /Outlines") == 1 and pdf.pages(badges.content) == 1
    cards = api.call("GET", f"/events/{event_id}/exports/table-cards.pdf").content
    assert pdf.pages(cards) == 2 and pdf.drawn_text(cards).count("Bord 1") == 2


def test_mail_is_caught_locally_with_a_calendar_file_and_listed_for_the_admin(api: Api,
                                                                             directory: tuple[Directory, str]) -> None:
    ids, _ = staff(directory, 2)
    event_id = new_day(api)
    api.call("PUT", f"/events/{event_id}/agenda", json=AGENDA)
    api.call("POST", f"/events/{event_id}/invitations", json={"person_ids": ids})
    assert api.call("GET", f"/events/{event_id}/mail").json()["pending"] == 2

    report = Jobs(session_factory=api.app.state.session_factory, settings=api.app.state.settings).sender.send_due()

    assert report.sent >= 2
    assert api.call("GET", f"/events/{event_id}/mail").json() == {"pending": 0, "sent": 2, "failed": 0,
                                                                 "failures": []}
    caught = [m for m in api.call("GET", "/dev/mail", params={"limit": 500}).json() if m["to"].startswith(ids[0])]
    assert len(caught) == 1 and caught[0]["subject"].startswith("Inbjudan: Chefsdag hösten 2026")
    assert f"https://samla.kommun.example/dag/{event_id}" in caught[0]["body"]
    assert caught[0]["attachments"] == [{"filename": "chefsdag.ics", "content_type": "text/calendar"}]
    raw = api.call("GET", f"/dev/mail/{caught[0]['id']}.eml")
    from email import message_from_bytes, policy

    message = message_from_bytes(raw.content, policy=policy.default)
    [ics] = [p.get_content() for p in message.iter_attachments()]
    vevent = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert str(vevent["UID"]) == f"{event_id}@samla"
    assert vevent.decoded("DTSTART") == datetime.combine(THE_DAY, time(8, 30), tzinfo=ZoneInfo("Europe/Stockholm"))
    problem(api.call("GET", "/dev/mail", sub=ids[0], roles=[]), 403)


def test_reminders_go_out_once_per_person_and_kind(api: Api, directory: tuple[Directory, str]) -> None:
    ids, _ = staff(directory, 3)
    event_id = new_day(api)
    api.call("POST", f"/events/{event_id}/invitations", json={"person_ids": ids})
    api.call("PUT", f"/me/events/{event_id}/registration", sub=ids[0], roles=[], json={"attending": True})

    first = api.call("POST", f"/events/{event_id}/reminders", json={"kind": "unanswered"}).json()
    again = api.call("POST", f"/events/{event_id}/reminders", json={"kind": "unanswered"}).json()
    registered = api.call("POST", f"/events/{event_id}/reminders", json={"kind": "registered"}).json()

    assert first == {"queued": 2, "already_reminded": 0}
    assert again == {"queued": 0, "already_reminded": 2}
    assert registered == {"queued": 1, "already_reminded": 0}


def test_the_admin_works_the_waiting_list_over_http(api: Api, directory: tuple[Directory, str]) -> None:
    ids, _ = staff(directory, 5)
    event_id = new_day(api, capacity=1)
    api.call("POST", f"/events/{event_id}/invitations", json={"person_ids": ids})
    for pid in ids:
        api.call("PUT", f"/me/events/{event_id}/registration", sub=pid, roles=[], json={"attending": True})

    moved = api.call("POST", f"/events/{event_id}/waiting-list/{ids[4]}/move", json={"position": 1}).json()
    assert [e["person_id"] for e in moved["queue"]] == [ids[4], ids[1], ids[2], ids[3]]
    assert api.call("DELETE", f"/me/events/{event_id}/waiting-list", sub=ids[1], roles=[]).json()["status"] == \
        "cancelled"
    assert api.call("DELETE", f"/events/{event_id}/waiting-list/{ids[2]}").json()["reason"] == "removed_by_admin"
    patched = api.call("PATCH", f"/events/{event_id}", json={"capacity": 2})
    assert patched.status_code == 200 and patched.json()["capacity"] == 2
    listing = api.call("GET", f"/events/{event_id}/waiting-list").json()
    assert [e["person_id"] for e in listing["offers"]] == [ids[4]] and listing["free"] == 0
    assert api.call("POST", f"/events/{event_id}/waiting-list/{ids[3]}/promote").json()["status"] == "registered"
    deputy = api.call("POST", f"/me/events/{event_id}/deputy", sub=ids[0], roles=[], json={"person_id": ids[2]})
    assert problem(deputy, 409)["detail"].endswith("is already invited to this day.")
