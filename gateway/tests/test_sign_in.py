"""Dev sign-in, the session cookie, session fixation, sign-out and CSRF on every state-changing form."""

from __future__ import annotations

from http.cookies import SimpleCookie

from gateway.tests.conftest import MakeGateway
from gateway.tests.support import Browser


def cookie_attributes(set_cookie: str) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    jar.load(set_cookie)
    (morsel,) = jar.values()
    return {k: str(v) for k, v in morsel.items() if v} | {"name": morsel.key}


def test_dev_sign_in_lists_demo_people_grouped_by_forvaltning(gateway: Browser) -> None:
    page = gateway.client.get("/logga-in", params={"q": "chef"})

    assert page.status_code == 200
    assert "Utbildningsförvaltningen" in page.text and "Maja Chef" in page.text
    assert "Fredrik Förvaltningschef" in page.text and "Astrid Admin" not in page.text
    assert "Gunnar Gått" not in gateway.client.get("/logga-in").text  # inactive people are not offered


def test_signing_in_sets_an_http_only_lax_session_cookie_and_returns_to_next(gateway: Browser) -> None:
    resp = gateway.sign_in("p-chef", next_path="/min-profil")

    assert resp.status_code == 303 and resp.headers["location"] == "/min-profil"
    attrs = cookie_attributes(resp.headers["set-cookie"])
    assert attrs["name"] == "samla_session"
    assert attrs["httponly"] and attrs["samesite"].lower() == "lax" and attrs["path"] == "/"
    assert "secure" not in attrs  # plain http locally
    assert gateway.client.get("/auth/session").json()["sub"] == "p-chef"


def test_over_https_the_cookie_is_secure_and_host_prefixed(make_gateway: MakeGateway) -> None:
    browser = make_gateway(base_url="https://testserver")

    resp = browser.sign_in("p-chef")

    attrs = cookie_attributes(resp.headers["set-cookie"])
    assert attrs["name"] == "__Host-samla_session" and attrs["secure"] and attrs["path"] == "/"
    assert "domain" not in attrs
    assert browser.client.get("/auth/session").json()["sub"] == "p-chef"


def test_a_new_session_id_is_issued_at_sign_in_and_the_old_one_stops_working(gateway: Browser) -> None:
    gateway.sign_in("p-chef")
    before = gateway.session_cookie()

    gateway.sign_in("p-admin")
    after = gateway.session_cookie()

    assert before and after and before != after
    gateway.set_session_cookie(before)
    assert gateway.client.get("/auth/session").status_code == 401


def test_a_planted_session_id_is_not_adopted(gateway: Browser) -> None:
    gateway.set_session_cookie("chosen-by-an-attacker")

    gateway.sign_in("p-chef")

    assert gateway.session_cookie() != "chosen-by-an-attacker"


def test_an_unknown_or_inactive_person_is_sent_back_with_a_reason(gateway: Browser) -> None:
    unknown = gateway.sign_in("p-nobody")
    inactive = gateway.sign_in("p-gone")

    assert unknown.status_code == 303 and "fel=okand" in unknown.headers["location"]
    assert "fel=inaktiv" in inactive.headers["location"]
    assert "Personen är inte längre aktiv" in gateway.client.get(inactive.headers["location"]).text
    assert not gateway.session_cookie()


def test_signing_out_ends_the_session_and_clears_the_cookie(gateway: Browser) -> None:
    gateway.sign_in("p-chef")
    old = gateway.session_cookie()

    resp = gateway.client.post("/logga-ut", data={"csrf_token": gateway.csrf()}, follow_redirects=False)

    assert resp.status_code == 303 and resp.headers["location"] == "/utloggad"
    assert 'samla_session=""' in resp.headers["set-cookie"] and "Max-Age=0" in resp.headers["set-cookie"]
    gateway.set_session_cookie(old)
    assert gateway.client.get("/min-profil", follow_redirects=False).headers["location"].startswith("/logga-in")


def test_a_session_that_ended_elsewhere_clears_its_cookie(gateway: Browser) -> None:
    gateway.set_session_cookie("no-such-session")

    resp = gateway.client.get("/", follow_redirects=False)

    assert resp.status_code == 200 and "Max-Age=0" in resp.headers["set-cookie"]


def test_anonymous_pages_send_to_sign_in_and_back(gateway: Browser) -> None:
    resp = gateway.client.get("/katalog?q=anna", follow_redirects=False)

    assert resp.status_code == 303 and resp.headers["location"] == "/logga-in?next=%2Fkatalog%3Fq%3Danna"


def test_next_cannot_send_people_to_another_site(gateway: Browser) -> None:
    for target in ("https://evil.example/", "//evil.example", "/\\evil.example"):
        assert gateway.sign_in("p-chef", next_path=target).headers["location"] == "/"


# ---- CSRF ----------------------------------------------------------------------------------------------------

def test_sign_in_without_a_csrf_token_is_refused(gateway: Browser) -> None:
    gateway.csrf()

    resp = gateway.client.post("/logga-in", data={"person_id": "p-chef"}, follow_redirects=False)

    assert resp.status_code == 403 and "Formuläret har gått ut" in resp.text
    assert not gateway.session_cookie()


def test_sign_in_with_a_wrong_csrf_token_is_refused(gateway: Browser) -> None:
    gateway.csrf()

    resp = gateway.client.post("/logga-in", data={"person_id": "p-chef", "csrf_token": "guessed"})

    assert resp.status_code == 403


def test_a_form_posted_from_another_origin_is_refused_even_with_the_token(gateway: Browser) -> None:
    token = gateway.csrf()

    resp = gateway.client.post("/logga-in", data={"person_id": "p-chef", "csrf_token": token},
                               headers={"origin": "https://evil.example"})

    assert resp.status_code == 403


def test_signed_in_forms_need_the_sessions_own_token(gateway: Browser) -> None:
    anonymous_token = gateway.csrf()
    gateway.sign_in("p-admin")

    stale = gateway.client.post("/logga-ut", data={"csrf_token": anonymous_token}, follow_redirects=False)
    missing = gateway.client.post("/katalog/synk", data={"dry_run": "true"})

    assert stale.status_code == 403 and missing.status_code == 403
    assert gateway.client.get("/auth/session").status_code == 200  # still signed in


def test_an_api_write_with_the_session_cookie_needs_the_csrf_header(gateway: Browser) -> None:
    gateway.sign_in("p-admin")
    unit = {"id": "ou-csrf", "name": "CSRF-enheten", "kind": "enhet", "parent_id": "ou-hr"}

    without = gateway.client.put("/api/identity/org-units/ou-csrf", json=unit)
    with_header = gateway.client.put("/api/identity/org-units/ou-csrf", json=unit,
                                     headers={"x-csrf-token": gateway.csrf()})

    assert without.status_code == 403 and "x-csrf-token" in without.json()["detail"]
    assert with_header.status_code in (200, 201)
