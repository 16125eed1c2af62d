"""Late changes and swaps on the seating pages, against the real events service: a walk-in is seated and the page
says how many moved; a swap shows its consequences before it is made; roles, CSRF and mistakes in words."""

from __future__ import annotations

from gateway.tests.conftest import MakeGateway
from gateway.tests.support import Browser
from gateway.tests.test_event_pages import create_day, invite_utbildning, signed_in
from gateway.tests.test_pages import main_text


def register(make_gateway: MakeGateway, day: str, person_id: str) -> None:
    person = signed_in(make_gateway, person_id)
    answered = person.client.post(f"/dag/{day}/svar", data={"csrf_token": person.csrf(), "attending": "yes"})
    assert answered.status_code == 200, answered.text[:300]


def placed_day(make_gateway: MakeGateway) -> tuple[Browser, str]:
    """A day where Maja is placed and Fredrik registered after the placing (he has no seat yet)."""
    admin = signed_in(make_gateway, "p-admin")
    day = create_day(admin, title="Dag med sena ändringar")
    agenda = admin.client.post(f"/chefsdagar/{day}/program", data={
        "csrf_token": admin.csrf(), "kind": ["dialogue", "dialogue"], "title": ["Samtal 1", "Samtal 2"],
        "starts_at": ["09:00", "10:00"], "ends_at": ["09:45", "10:45"], "method": ["", ""],
        "questions": ["Vad ska vi prioritera?", ""], "speaker": ["", ""]})
    assert agenda.status_code == 200 and "Programmet är sparat." in agenda.text
    invite_utbildning(admin, day)
    register(make_gateway, day, "p-chef")
    placed = admin.client.post(f"/chefsdagar/{day}/placering", data={"csrf_token": admin.csrf()},
                               follow_redirects=False)
    assert placed.status_code == 303, main_text(placed.text)
    register(make_gateway, day, "p-forv")
    return admin, day


def test_a_walk_in_is_seated_and_the_page_says_how_many_moved(make_gateway: MakeGateway) -> None:
    admin, day = placed_day(make_gateway)
    page = main_text(admin.client.get(f"/chefsdagar/{day}/placering/sena-andringar").text)
    assert "Vem kom utan plats Anmälda som inte finns med i placeringen. Fredrik Förvaltningschef" in page

    done = admin.client.post(f"/chefsdagar/{day}/placering/sena-andringar",
                             data={"csrf_token": admin.csrf(), "walk_ins": "p-forv"})

    text = main_text(done.text)
    assert done.status_code == 200 and "Borden är omplacerade." in text
    assert "0 personer flyttades till ett annat bord." in text
    assert "Placerade som kom utan plats Fredrik Förvaltningschef" in text and "Alla anmälda har en plats." in text
    gone = admin.client.post(f"/chefsdagar/{day}/placering/sena-andringar",
                             data={"csrf_token": admin.csrf(), "no_shows": "p-chef"})
    assert "Uteblivna som tagits bort från borden Maja Chef" in main_text(gone.text)


def test_a_swap_shows_its_consequences_before_it_is_made(make_gateway: MakeGateway) -> None:
    admin, day = placed_day(make_gateway)
    admin.client.post(f"/chefsdagar/{day}/placering/sena-andringar",
                      data={"csrf_token": admin.csrf(), "walk_ins": "p-forv"})
    plan_before = admin.client.get(f"/api/events/events/{day}/seating").json()

    preview = admin.client.post(f"/chefsdagar/{day}/placering/byt/forhandsgranska", data={
        "csrf_token": admin.csrf(), "round_no": "1", "person_a": "p-chef", "person_b": "p-forv"})

    text = main_text(preview.text)
    assert preview.status_code == 200 and "Vad bytet ändrar" in text
    assert "I runda 1 byter Maja Chef (bord" in text and "och Fredrik Förvaltningschef (bord" in text
    assert "Nya par som möts igen 0" in text and "Gör bytet" in text
    assert admin.client.get(f"/api/events/events/{day}/seating").json()["version"] == plan_before["version"]
    made = admin.client.post(f"/chefsdagar/{day}/placering/byt", data={
        "csrf_token": admin.csrf(), "round_no": "1", "person_a": "p-chef", "person_b": "p-forv"})
    assert made.status_code == 200 and "De två har bytt plats." in main_text(made.text)
    assert admin.client.get(f"/api/events/events/{day}/seating").json()["version"] == plan_before["version"] + 1


def test_mistakes_are_explained_and_nothing_changes(make_gateway: MakeGateway) -> None:
    admin, day = placed_day(make_gateway)

    nobody = admin.client.post(f"/chefsdagar/{day}/placering/sena-andringar", data={"csrf_token": admin.csrf()})
    same = admin.client.post(f"/chefsdagar/{day}/placering/byt/forhandsgranska", data={
        "csrf_token": admin.csrf(), "round_no": "1", "person_a": "p-chef", "person_b": "p-chef"})
    unseated = admin.client.post(f"/chefsdagar/{day}/placering/byt/forhandsgranska", data={
        "csrf_token": admin.csrf(), "round_no": "1", "person_a": "p-chef", "person_b": "p-forv"})

    assert nobody.status_code == 400
    assert "Välj vem som inte kom eller vem som kom utan plats." in main_text(nobody.text)
    assert same.status_code == 400 and "Välj två olika personer." in main_text(same.text)
    assert unseated.status_code == 400 and "Bytet kunde inte göras." in main_text(unseated.text)
    assert "Fredrik Förvaltningschef har ingen plats i runda 1" in main_text(unseated.text)


def test_only_admins_change_the_seating_and_only_with_the_csrf_token(make_gateway: MakeGateway) -> None:
    admin, day = placed_day(make_gateway)
    facilitator = signed_in(make_gateway, "p-facilitator")
    for path in ("/placering/sena-andringar", "/placering/byt"):
        assert facilitator.client.get(f"/chefsdagar/{day}{path}").status_code == 403, path
    refused = facilitator.client.post(f"/chefsdagar/{day}/placering/byt", data={
        "csrf_token": facilitator.csrf(), "round_no": "1", "person_a": "p-chef", "person_b": "p-forv"})
    forged = admin.client.post(f"/chefsdagar/{day}/placering/sena-andringar",
                               data={"csrf_token": "wrong", "walk_ins": "p-forv"})

    assert (refused.status_code, forged.status_code) == (403, 403)
    page = main_text(admin.client.get(f"/chefsdagar/{day}/placering/sena-andringar").text)
    assert "Vem kom utan plats" in page  # Fredrik is still without a seat
