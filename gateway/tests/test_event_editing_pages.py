"""Changing a chefsdag's details from its page, against the real events service: who may, the CSRF token, and
refusals explained per field in Swedish (what the form checks, and what events refuses for the day's state)."""

from __future__ import annotations

from gateway.tests.conftest import MakeGateway
from gateway.tests.test_event_pages import DAY, create_day, invite_utbildning, signed_in
from gateway.tests.test_pages import main_text


def edit(values: dict[str, str], **changes: str) -> dict[str, str]:
    return DAY | {"process_id": "", "process_name": ""} | values | changes


def test_an_admin_changes_the_details_and_sees_them_on_the_overview(make_gateway: MakeGateway) -> None:
    admin = signed_in(make_gateway, "p-admin")
    day = create_day(admin, title="Dag att ändra")
    form = admin.client.get(f"/chefsdagar/{day}/andra")
    assert form.status_code == 200 and 'value="Dag att ändra"' in form.text and "Ändra uppgifterna" in form.text

    saved = admin.client.post(f"/chefsdagar/{day}/andra", data=edit(
        {"csrf_token": admin.csrf()}, title="Dag som ändrats", date="2031-12-04", starts_at="09:00",
        venue="Konserthuset", capacity="24", table_count="4", seats_per_table="6", accessible_tables="2",
        process_id="budget-2032", process_name="Budget 2032"), follow_redirects=False)

    assert saved.status_code == 303 and saved.headers["location"].endswith(f"/chefsdagar/{day}?klart=andrad")
    page = main_text(admin.client.get(saved.headers["location"]).text)
    assert "Ändringarna är sparade." in page and "Dag som ändrats" in page and "torsdag 4 december 2031" in page
    assert "Konserthuset" in page and "4 bord med 6 platser vid varje, varav 2 tillgängliga" in page
    assert "Budget 2032" in page and "09:00–16:00" in page


def test_wrong_details_come_back_with_a_swedish_message_at_each_field(make_gateway: MakeGateway) -> None:
    admin = signed_in(make_gateway, "p-admin")
    day = create_day(admin)

    resp = admin.client.post(f"/chefsdagar/{day}/andra", data=edit(
        {"csrf_token": admin.csrf()}, title="", ends_at="07:00", accessible_tables="9", process_id="b-1"))

    text = main_text(resp.text)
    assert resp.status_code == 400 and "Rätta följande" in text
    assert "Ge dagen en rubrik." in text and "Dagen måste sluta efter att den börjar." in text
    assert "Det kan inte finnas fler tillgängliga bord än bord." in text
    assert "Ge processen ett namn, eller töm båda processfälten för att ta bort kopplingen." in text
    assert 'aria-describedby="process_name-error" aria-invalid="true"' in resp.text


def test_events_refusals_are_explained_at_the_field(make_gateway: MakeGateway) -> None:
    admin = signed_in(make_gateway, "p-admin")
    day = create_day(admin)
    invite_utbildning(admin, day)
    for person in ("p-chef", "p-forv"):
        manager = signed_in(make_gateway, person)
        manager.client.post(f"/dag/{day}/svar", data={"csrf_token": manager.csrf(), "attending": "yes"})

    too_few = admin.client.post(f"/chefsdagar/{day}/andra", data=edit({"csrf_token": admin.csrf()}, capacity="1"))
    too_many = admin.client.post(f"/chefsdagar/{day}/andra", data=edit({"csrf_token": admin.csrf()}, capacity="41"))

    assert too_few.status_code == 409
    assert "2 personer har redan eller erbjuds en plats: ange minst 2 platser." in main_text(too_few.text)
    assert too_many.status_code == 400
    assert "Borden rymmer bara 40 personer: ange högst 40 platser, eller lägg till bord." in main_text(too_many.text)


def test_a_started_day_keeps_its_date_and_a_closed_day_cannot_change(make_gateway: MakeGateway) -> None:
    admin = signed_in(make_gateway, "p-admin")
    day = create_day(admin)
    invite_utbildning(admin, day)
    admin.client.post(f"/chefsdagar/{day}/status", data={"csrf_token": admin.csrf(), "to": "ongoing"})
    form = admin.client.get(f"/chefsdagar/{day}/andra").text
    assert "Dagen har börjat, så datumet kan inte längre ändras." in main_text(form) and "readonly" in form

    moved = admin.client.post(f"/chefsdagar/{day}/andra", data=edit({"csrf_token": admin.csrf()}, date="2031-12-01"))
    later = admin.client.post(f"/chefsdagar/{day}/andra", data=edit({"csrf_token": admin.csrf()}, ends_at="17:00"),
                              follow_redirects=False)

    assert moved.status_code == 409 and "Vill ni hålla den en annan dag" in main_text(moved.text)
    assert later.status_code == 303
    admin.client.post(f"/chefsdagar/{day}/status", data={"csrf_token": admin.csrf(), "to": "closed"})
    closed = admin.client.get(f"/chefsdagar/{day}/andra")
    assert "Dagen är avslutad, så dess uppgifter kan inte längre ändras." in main_text(closed.text)
    assert 'action="/chefsdagar/' + day + '/andra"' not in closed.text
    refused = admin.client.post(f"/chefsdagar/{day}/andra", data=edit({"csrf_token": admin.csrf()}, title="Sen"))
    assert refused.status_code == 409
    assert "Dagen är avslutad, så dess uppgifter kan inte längre ändras." in main_text(refused.text)


def test_only_admins_may_change_a_day_and_only_with_the_csrf_token(make_gateway: MakeGateway) -> None:
    admin = signed_in(make_gateway, "p-admin")
    day = create_day(admin, title="Skyddad dag")
    for person in ("p-chef", "p-facilitator", "p-ledning"):
        other = signed_in(make_gateway, person)
        assert other.client.get(f"/chefsdagar/{day}/andra").status_code == 403, person
        posted = other.client.post(f"/chefsdagar/{day}/andra", data=edit({"csrf_token": other.csrf()}, title="X"))
        assert posted.status_code == 403, person

    forged = admin.client.post(f"/chefsdagar/{day}/andra", data=edit({"csrf_token": "wrong"}, title="Förfalskad"))

    assert forged.status_code == 403
    assert "Skyddad dag" in main_text(admin.client.get(f"/chefsdagar/{day}").text)
    assert admin.client.get("/chefsdagar/no-such-day/andra").status_code == 404
