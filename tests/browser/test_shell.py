"""A manager's phone in the hall: dev sign-in, "Min profil", English, the admin's directory pages and sign-out,
in real Chromium against the whole stack. axe-core checks every page (no serious or critical violations) and
each page is saved under var/screenshots/ for a human look."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from deploy.local.stack import Stack
from tests.browser.support import check

pytestmark = pytest.mark.browser

BAD_IMPORT = ("ID;Namn;E-post;Titel;Chefsnivå\n"
              "p-web-1;Vera Webb;vera@;Rektor;enhetschef\n").encode()


@pytest.fixture(scope="module")
def admin_name() -> str:
    """The first HR administrator of the demo municipality (the generator is deterministic)."""
    from samla_identity.demo.generator import generate

    _, people = generate()
    return next(p.name for p in people if "samla-admin" in p.roles)


@pytest.fixture
def phone(chromium: Browser, stack: Stack) -> Iterator[tuple[Page, list[str]]]:
    # A small Android phone: narrower than most, so WCAG 1.4.10 (reflow) problems show.
    context = chromium.new_context(base_url=stack.gateway_url, viewport={"width": 360, "height": 780},
                                   device_scale_factor=2, is_mobile=True, has_touch=True, locale="sv-SE")
    page = context.new_page()
    problems: list[str] = []

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error":
            problems.append(msg.text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    yield page, problems
    context.close()


def test_a_manager_signs_in_on_a_phone_reaches_min_profil_and_switches_to_english(
        phone: tuple[Page, list[str]], admin_name: str, screenshots: Path) -> None:
    page, problems = phone
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    check(page, "01-start", screenshots)

    page.get_by_role("link", name="Logga in").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in som demoperson")
    check(page, "02-logga-in", screenshots)
    page.get_by_label("Sök på namn").fill(admin_name)
    page.get_by_label("Sök på namn").press("Enter")
    person = page.get_by_role("button", name=admin_name)
    expect(person).to_be_visible()
    check(page, "03-logga-in-sok", screenshots)
    person.click()

    expect(page.get_by_text(f"Hej {admin_name}!")).to_be_visible()
    page.get_by_role("link", name="Min profil").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Min profil")
    expect(page.locator("dl.facts")).to_contain_text(admin_name)
    expect(page.locator("dl.facts")).to_contain_text("Administratör")
    check(page, "04-min-profil", screenshots)

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("My profile")
    expect(page.locator("dl.facts")).to_contain_text("Administrator")
    check(page, "05-my-profile-en", screenshots)
    page.goto("/")
    expect(page.get_by_role("link", name="My profile").first).to_be_visible()  # the choice is remembered
    assert not problems, problems


def test_an_admin_uses_the_directory_pages_and_signs_out(phone: tuple[Page, list[str]], admin_name: str,
                                                         screenshots: Path) -> None:
    page, problems = phone
    page.goto("/logga-in")
    page.get_by_label("Sök på namn").fill(admin_name)
    page.get_by_label("Sök på namn").press("Enter")
    page.get_by_role("button", name=admin_name).click()
    expect(page.get_by_text(f"Hej {admin_name}!")).to_be_visible()

    page.get_by_role("link", name="Katalog").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Katalog")
    page.get_by_label("Namn eller e-post").fill(admin_name.split()[0])
    page.get_by_role("button", name="Sök").click()
    expect(page.locator("#people table")).to_contain_text(admin_name)
    check(page, "06-katalog", screenshots)

    page.get_by_role("link", name="Import").click()
    page.get_by_label("Kalkylarksfil").set_input_files({"name": "chefer.csv", "mimeType": "text/csv",
                                                        "buffer": BAD_IMPORT})
    page.get_by_role("button", name="Visa förhandsvisning").click()
    expect(page.get_by_role("alert")).to_contain_text("Filen innehåller fel")
    expect(page.locator("table").first).to_contain_text("E-post")
    check(page, "07-import-fel", screenshots)

    page.get_by_role("link", name="Synkronisering med Keycloak").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Synkronisering med Keycloak")
    check(page, "08-synk", screenshots)

    page.get_by_role("link", name="Tillgänglighetsredogörelse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tillgänglighetsredogörelse för Samla")
    check(page, "09-tillganglighet", screenshots)

    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Du är utloggad")
    check(page, "10-utloggad", screenshots)
    page.goto("/min-profil")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in som demoperson")
    assert not problems, problems


def test_the_skip_link_is_the_first_stop_and_focus_is_visible(phone: tuple[Page, list[str]],
                                                            screenshots: Path) -> None:
    page, _ = phone
    page.goto("/tillganglighet")

    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name="Hoppa till innehållet")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"
    page.screenshot(path=str(screenshots / "11-skip-link.png"))
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
