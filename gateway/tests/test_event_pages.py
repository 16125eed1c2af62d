"""The chefsdag pages against the real events and identity services: an admin creates a day, writes the agenda,
invites an administration; a manager answers on "Min dag"; the door checks people in; seating degrades in words."""

from __future__ import annotations

import re
from typing import Any

import httpx

from gateway.tests.conftest import MakeGateway
from gateway.tests.support import Browser
from gateway.tests.test_pages import main_text
from samla_gateway.web.seating_pages import not_offered

DAY = {"title": "Chefsdag hösten", "description": "Alla chefer samlas.", "date": "2031-11-27", "starts_at": "08:30",
       "ends_at": "16:00", "venue": "Stadshuset, Stora salen", "capacity": "40", "table_count": "5",
       "seats_per_table": "8", "accessible_tables": "1"}


def create_day(admin: Browser, **changes: str) -> str:
    resp = admin.client.post("/chefsdagar", data=DAY | changes | {"csrf_token": admin.csrf()}, follow_redirects=False)
    assert resp.status_code == 303, resp.text[:500]
    return resp.headers["location"].rsplit("/", 1)[1]


def invite_utbildning(admin: Browser, day: str) -> httpx.Response:
    form: dict[str, Any] = {"csrf_token": admin.csrf(), "scope": "units", "org_unit_ids": ["ou-utb"]}
    return admin.client.post(f"/chefsdagar/{day}/inbjudningar", data=form)


def signed_in(make_gateway: MakeGateway, person_id: str) -> Browser:
    browser = make_gateway()
    assert browser.sign_in(person_id).status_code == 303
    return browser


def test_an_admin_creates_a_chefsdag_and_finds_it_in_the_list(make_gateway: MakeGateway) -> None:
    admin = signed_in(make_gateway, "p-admin")

    day = create_day(admin, title="Chefsdag i listan")

    page = main_text(admin.client.get(f"/chefsdagar/{day}").text)
    assert "Chefsdag i listan" in page and "Utkast" in page and "torsdag 27 november 2031" in page
    assert "5 bord med 8 platser vid varje, varav 1 tillgängliga" in page and "Skicka inbjudningar" in page
    assert "Chefsdag i listan" in main_text(admin.client.get("/chefsdagar").text)


def test_a_day_with_missing_or_wrong_fields_comes_back_with_a_message_at_each_field(gateway: Browser) -> None:
    gateway.sign_in("p-admin")

    resp = gateway.client.post("/chefsdagar", data=DAY | {"title": " ", "ends_at": "07:00", "capacity": "noll",
                                                          "csrf_token": gateway.csrf()})

    text = main_text(resp.text)
    assert resp.status_code == 400 and "Rätta följande" in text
    assert "Ge dagen en rubrik." in text and "Dagen måste sluta efter att den börjar." in text
    assert "Ange antalet platser som ett heltal från 1 till 10000." in text
    assert 'id="title"' in resp.text and 'aria-describedby="title-error" aria-invalid="true"' in resp.text


def test_form_posts_without_the_csrf_token_are_refused(gateway: Browser) -> None:
    gateway.sign_in("p-admin")
    before = gateway.client.get("/chefsdagar").text.count('href="/chefsdagar/')

    created = gateway.client.post("/chefsdagar", data=DAY | {"title": "Utan token"})
    answered = gateway.client.post("/dag/some-day/svar", data={"attending": "no", "csrf_token": "wrong"})
    door = gateway.client.post("/incheckning/some-day/checka-in", data={"person_id": "p-chef"})

    assert (created.status_code, answered.status_code, door.status_code) == (403, 403, 403)
    assert "Formuläret har gått ut" in created.text or "403" in created.text
    assert gateway.client.get("/chefsdagar").text.count('href="/chefsdagar/') == before


def test_the_agenda_is_saved_in_time_order_with_the_dialogue_rounds_numbered(make_gateway: MakeGateway) -> None:
    admin = signed_in(make_gateway, "p-admin")
    day = create_day(admin)
    form = {"csrf_token": admin.csrf(), "kind": ["dialogue", "opening", "dialogue"],
            "title": ["Samtal om budget", "Välkomna", "Samtal om framtiden"], "starts_at": ["10:00", "08:30", "11:00"],
            "ends_at": ["10:45", "09:00", "11:45"], "method": ["Fishbowl", "", "Framtidsverkstad"],
            "questions": ["Vad ska vi prioritera?\nVad kan vi sluta med?", "", "Vad behöver vi 2032?"],
            "speaker": ["", "Kommundirektören", ""]}

    saved = admin.client.post(f"/chefsdagar/{day}/program", data=form)

    assert saved.status_code == 200 and "Programmet är sparat." in saved.text
    agenda = admin.client.get(f"/api/events/events/{day}/agenda").json()["items"]
    assert [(i["title"], i["round_no"]) for i in agenda] == [("Välkomna", None), ("Samtal om budget", 1),
                                                            ("Samtal om framtiden", 2)]
    assert agenda[1]["questions"] == ["Vad ska vi prioritera?", "Vad kan vi sluta med?"]


def test_an_admin_previews_and_invites_an_administration_and_a_manager_registers_on_min_dag(
        make_gateway: MakeGateway) -> None:
    admin = signed_in(make_gateway, "p-admin")
    day = create_day(admin, title="Chefsdag för Utbildning")
    preview = admin.client.post(f"/chefsdagar/{day}/inbjudningar/forhandsgranska",
                                data={"csrf_token": admin.csrf(), "scope": "units", "org_unit_ids": ["ou-utb"]})
    assert preview.status_code == 200 and "Inbjudan når 2 personer." in main_text(preview.text)
    assert "Skicka inbjudningarna till 2 personer" in preview.text

    sent = main_text(invite_utbildning(admin, day).text)

    assert "2 personer inbjudna." in sent and "Dagen är nu: Inbjudningar skickade." in sent
    maja = signed_in(make_gateway, "p-chef")
    assert "Chefsdag för Utbildning" in main_text(maja.client.get("/min-dag").text)
    answer = {"csrf_token": maja.csrf(), "attending": "yes", "dietary": ["vegetarian", "nut_allergy"],
              "dietary_other": "Ingen koriander", "consent_listed": "true", "needs_accessible_seat": "true"}
    done = maja.client.post(f"/dag/{day}/svar", data=answer)
    text = main_text(done.text)
    assert done.status_code == 200 and "Tack! Du är anmäld." in text and "Min incheckningskod" in text
    assert f'src="/api/events/me/events/{day}/qr.svg"' in done.text
    assert maja.client.get(f"/api/events/me/events/{day}/qr.svg").headers["content-type"] == "image/svg+xml"
    listed = main_text(admin.client.get(f"/chefsdagar/{day}/anmalningar").text)
    assert "Maja Chef" in listed and "Nötallergi, Vegetarisk, Ingen koriander" in listed
    assert "Behöver en tillgänglig plats." in listed


def test_a_manager_who_is_not_invited_gets_a_clear_page(make_gateway: MakeGateway) -> None:
    admin = signed_in(make_gateway, "p-admin")
    day = create_day(admin)
    leif = signed_in(make_gateway, "p-ledning")

    page = leif.client.get(f"/dag/{day}")

    assert page.status_code == 404 and "Du är inte inbjuden till den här dagen" in page.text


def test_the_door_checks_a_manager_in_by_name_and_undoes_it(make_gateway: MakeGateway) -> None:
    admin = signed_in(make_gateway, "p-admin")
    day = create_day(admin, title="Dag vid dörren")
    invite_utbildning(admin, day)
    maja = signed_in(make_gateway, "p-chef")
    maja.client.post(f"/dag/{day}/svar", data={"csrf_token": maja.csrf(), "attending": "yes"})
    started = admin.client.post(f"/chefsdagar/{day}/status", data={"csrf_token": admin.csrf(), "to": "ongoing"},
                                follow_redirects=False)
    assert started.status_code == 303
    door = signed_in(make_gateway, "p-facilitator")

    found = door.client.get(f"/incheckning/{day}", params={"q": "Maja", "entre": "Entré A"})
    assert found.headers["permissions-policy"].startswith("camera=(self)")
    assert "Checka in Maja Chef" in found.text and 'src="/static/door.js"' in found.text
    checked = door.client.post(f"/incheckning/{day}/checka-in",
                               data={"csrf_token": door.csrf(), "person_id": "p-chef", "entrance": "Entré A",
                                     "q": "Maja"})
    assert "Maja Chef är incheckad." in main_text(checked.text)
    assert "Ångra incheckningen av Maja Chef" in checked.text
    counts = main_text("<main>" + door.client.get(f"/incheckning/{day}/lage").text + "</main>")
    assert re.search(r"Incheckade 1 Inte anlänt 0", counts), counts

    undone = door.client.post(f"/incheckning/{day}/angra", data={"csrf_token": door.csrf(), "person_id": "p-chef",
                                                                 "q": "Maja"})

    assert "Incheckningen av Maja Chef är ångrad." in main_text(undone.text)
    wrong = door.client.post(f"/incheckning/{day}/checka-in", data={"csrf_token": door.csrf(), "token": "nonsense"})
    assert wrong.status_code == 422 and "Koden är inte giltig." in main_text(wrong.text)


def test_the_seating_page_explains_a_day_without_a_plan(make_gateway: MakeGateway) -> None:
    admin = signed_in(make_gateway, "p-admin")
    day = create_day(admin)

    page = admin.client.get(f"/chefsdagar/{day}/placering")

    text = main_text(page.text)
    assert page.status_code == 200 and "Placera" in text
    assert "Dagen har ingen bordsplacering än." in text or "Bordsplacering finns inte ännu." in text


def test_seating_that_events_does_not_offer_yet_is_told_apart_from_a_day_without_a_plan() -> None:
    problem = {"content-type": "application/problem+json"}
    missing_route = httpx.Response(404, json={"title": "Not found", "detail": "Not Found"}, headers=problem)
    no_plan = httpx.Response(404, json={"title": "Not found", "detail": "Dagen har ingen bordsplacering ännu"},
                             headers=problem)

    assert not_offered(missing_route) and not_offered(httpx.Response(405))
    assert not not_offered(no_plan)


def test_the_chefsdag_pages_switch_to_english(gateway: Browser) -> None:
    gateway.sign_in("p-admin")

    page = gateway.client.get("/chefsdagar/ny?lang=en")

    assert "New chefsdag" in page.text and "Seats per table" in page.text and "Ny chefsdag" not in page.text
