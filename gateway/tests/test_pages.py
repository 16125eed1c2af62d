"""The web shell against the real identity service: profile, directory, import with preview, sync, outages."""

from __future__ import annotations

import html
import re

from gateway.tests.support import Browser

GOOD_CSV = ("ID;Namn;E-post;Titel;Chefsnivå;Organisationsenhet\n"
            "p-imp-1;Ida Import;ida.import@testby.se;Rektor;enhetschef;ou-skola\n").encode()
BAD_CSV = ("ID;Namn;E-post;Titel;Chefsnivå;Organisationsenhet\n"
           "p-imp-2;Bo Fel;bo@;Rektor;enhetschef;ou-skola\n").encode()


def main_text(page: str) -> str:
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)))


def test_my_profile_shows_my_unit_path_and_my_manager(gateway: Browser) -> None:
    gateway.sign_in("p-chef")

    page = gateway.client.get("/min-profil")

    text = main_text(page.text)
    assert page.status_code == 200 and "Maja Chef" in text
    assert "Testby kommunkoncern › Utbildningsförvaltningen › Norra skolan" in text
    assert "Fredrik Förvaltningschef, Förvaltningschef" in text
    assert "Chef (inga extra roller)" in text and "Enhetschef" in text


def test_the_shell_switches_to_english_and_remembers_it(gateway: Browser) -> None:
    gateway.sign_in("p-admin")

    english = gateway.client.get("/min-profil?lang=en")
    later = gateway.client.get("/katalog")

    assert '<html lang="en">' in english.text and "My profile" in english.text and "Min profil" not in english.text
    assert "Roles in Samla" in english.text and "Administrator" in english.text
    assert "samla_lang=en" in english.headers["set-cookie"]
    assert '<html lang="en">' in later.text and "Search people" in later.text
    back = gateway.client.get("/katalog?lang=sv")
    assert '<html lang="sv">' in back.text and "Sök personer" in back.text


def test_an_admin_searches_people_and_sees_the_org_tree(gateway: Browser) -> None:
    gateway.sign_in("p-admin")

    page = gateway.client.get("/katalog", params={"q": "Leif"})

    text = main_text(page.text)
    assert page.status_code == 200 and "Leif Ledning" in text and "Maja Chef" not in text
    assert "Ledning" in text  # his role, in words
    assert "Norra skolan (Enhet)" in text and "HR-avdelningen (Avdelning)" in text


def test_an_import_shows_its_errors_by_row_and_column_and_cannot_be_committed(gateway: Browser) -> None:
    gateway.sign_in("p-admin")

    page = gateway.client.post("/katalog/import", data={"csrf_token": gateway.csrf()},
                               files={"file": ("chefer.csv", BAD_CSV, "text/csv")})

    text = main_text(page.text)
    assert page.status_code == 200 and "Filen innehåller fel" in text
    assert "2 E-post" in text and "'bo@' är ingen giltig e-postadress" in text
    assert "Genomför importen" not in text


def test_a_valid_import_is_previewed_then_committed(gateway: Browser) -> None:
    gateway.sign_in("p-admin")

    preview = gateway.client.post("/katalog/import", data={"csrf_token": gateway.csrf()},
                                  files={"file": ("chefer.csv", GOOD_CSV, "text/csv")})
    action = re.search(r'action="(/katalog/import/[^"]+/commit)"', preview.text)
    assert preview.status_code == 200 and "Filen kan importeras" in preview.text and action
    assert "Ida Import" in main_text(preview.text) and " ny " in main_text(preview.text)

    done = gateway.client.post(action.group(1), data={"csrf_token": gateway.csrf()})

    assert done.status_code == 200 and "Katalogen är uppdaterad" in done.text
    assert "Ida Import" in gateway.client.get("/katalog", params={"q": "Ida"}).text
    again = gateway.client.post(action.group(1), data={"csrf_token": gateway.csrf()})
    assert again.status_code == 409 and "already imported" in again.text


def test_an_empty_upload_is_refused_before_identity_is_asked(gateway: Browser) -> None:
    gateway.sign_in("p-admin")

    page = gateway.client.post("/katalog/import", data={"csrf_token": gateway.csrf()})

    assert page.status_code == 400 and "Välj en fil att importera" in page.text


def test_the_sync_page_says_keycloak_is_not_configured_and_a_run_explains_why(gateway: Browser) -> None:
    gateway.sign_in("p-admin")

    status = gateway.client.get("/katalog/synk")
    run = gateway.client.post("/katalog/synk", data={"csrf_token": gateway.csrf(), "dry_run": "true"})

    assert status.status_code == 200 and "Synkroniseringen är inte konfigurerad" in status.text
    assert run.status_code == 400 and "Synkroniseringen kunde inte köras" in run.text
    assert "SAMLA_IDENTITY_KEYCLOAK_URL" in run.text


def test_pages_say_clearly_in_swedish_when_identity_is_down(gateway: Browser) -> None:
    gateway.sign_in("p-admin")
    gateway.client.app.state.settings.identity_url = "http://127.0.0.1:9"  # type: ignore[attr-defined]

    for path in ("/min-profil", "/katalog", "/katalog/synk"):
        page = gateway.client.get(path)

        assert page.status_code == 503, path
        assert "Katalogtjänsten går inte att nå just nu" in page.text and page.headers["retry-after"] == "30"


def test_the_dev_sign_in_list_says_so_when_identity_is_down(gateway: Browser) -> None:
    gateway.client.app.state.directory.target = "127.0.0.1:9"  # type: ignore[attr-defined]
    gateway.client.app.state.directory.close()  # type: ignore[attr-defined]

    page = gateway.client.get("/logga-in")

    assert page.status_code == 503 and "Katalogen svarar inte" in page.text


def test_unknown_addresses_get_a_page_for_people_and_a_problem_for_programs(gateway: Browser) -> None:
    page = gateway.client.get("/finns-inte")
    api = gateway.client.get("/api/nowhere/x", headers={"authorization": f"Bearer {'x'}"})

    assert page.status_code == 404 and "Sidan finns inte" in page.text
    assert api.status_code == 401 and api.headers["content-type"].startswith("application/problem+json")


def test_the_accessibility_statement_names_the_supervisory_authority(gateway: Browser) -> None:
    page = main_text(gateway.client.get("/tillganglighet").text)

    assert "Tillgänglighetsredogörelse för Samla" in page
    assert "Myndigheten för digital förvaltning (DIGG)" in page and "delvis förenlig" in page
    assert "Rapportera brister" in page and "tillganglighet@exempelstad.se" in page
