"""The live dialogue in real Chromium against the whole stack: HR creates a day and invites one administration; the
facilitator (here the admin) opens a prompt from the control page; a manager on a phone sees it appear without
reloading and answers; the big screen in another browser context follows the board live, and a question with a
script in it shows on the wall as plain text. axe-core checks each page; screenshots go under var/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from deploy.local.stack import Stack
from tests.browser.support import check, sign_in
from tests.browser.test_chefsdag import ADMINISTRATION, Cast, watched

pytestmark = pytest.mark.browser
INJECTION = '<script>document.title="pwned"</script><img src=x onerror="document.title=1">'


@pytest.fixture(scope="module")
def people() -> Cast:
    """From the deterministic demo municipality: an HR admin and a plain manager of the smallest administration."""
    from samla_identity.demo.generator import generate

    units, everyone = generate()
    parents = {u.id: u.parent_id for u in units}

    def under(unit_id: str | None) -> bool:
        while unit_id and unit_id != ADMINISTRATION:
            unit_id = parents.get(unit_id)
        return unit_id == ADMINISTRATION

    manager = next(p for p in everyone if under(p.org_unit_id) and not p.roles and p.level == "enhetschef")
    admin = next(p for p in everyone if "samla-admin" in p.roles)
    return Cast(admin=admin.name, manager=manager.name,
                administration=next(u.name for u in units if u.id == ADMINISTRATION))


@pytest.fixture
def contexts(chromium: Browser, stack: Stack) -> Iterator[dict[str, BrowserContext]]:
    made = {
        "desk": chromium.new_context(base_url=stack.gateway_url, viewport={"width": 1280, "height": 900},
                                     locale="sv-SE"),
        "screen": chromium.new_context(base_url=stack.gateway_url, viewport={"width": 1920, "height": 1080},
                                       locale="sv-SE"),
        "phone": chromium.new_context(base_url=stack.gateway_url, viewport={"width": 360, "height": 780},
                                      device_scale_factor=2, is_mobile=True, has_touch=True, locale="sv-SE"),
    }
    yield made
    for context in made.values():
        context.close()


def create_day(admin: Page, cast: Cast) -> str:
    """A day with the demo administration invited; returns its id."""
    admin.goto("/chefsdagar/ny")
    admin.get_by_label("Rubrik").fill("Chefsdag med live-dialog")
    admin.get_by_label("Datum").fill("2031-11-28")
    admin.get_by_label("Plats", exact=True).fill("Stadshuset, Stora salen")
    admin.get_by_label("Platser (kapacitet)").fill("40")
    admin.get_by_label("Antal bord").fill("5")
    admin.get_by_role("button", name="Skapa chefsdagen").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Chefsdag med live-dialog")
    day_id = admin.url.rstrip("/").rsplit("/", 1)[1]
    admin.get_by_role("link", name="Inbjudningar", exact=True).click()
    admin.get_by_label("Valda förvaltningar och enheter").check()
    admin.get_by_label(cast.administration).check()
    admin.get_by_role("button", name="Förhandsgranska antalet").click()
    admin.get_by_role("button", name="Skicka inbjudningarna till").click()
    expect(admin.get_by_role("status")).to_contain_text("Dagen är nu: Inbjudningar skickade.")
    return day_id


def test_a_phone_answers_while_the_big_screen_follows_the_board(contexts: dict[str, BrowserContext], people: Cast,
                                                                screenshots: Path) -> None:
    cast = people
    admin, admin_problems = watched(contexts["desk"])
    sign_in(admin, cast.admin)
    day_id = create_day(admin, cast)

    admin.goto(f"/dialog/{day_id}")
    admin.get_by_label("Börja från en mall").select_option(label="Ja / Nej / Vet inte")
    admin.get_by_label("Frågan", exact=True).fill("Ska vi prioritera förebyggande arbete?")
    admin.get_by_role("button", name="Skapa frågan").click()
    expect(admin.get_by_role("status")).to_contain_text("Frågan är skapad.")
    check(admin, "40-dialogstyrning", screenshots)

    screen, screen_problems = watched(contexts["screen"])
    sign_in(screen, cast.admin)
    screen.goto(f"/dialog/{day_id}/storskarm")
    # board.js marks each board it draws: the first arrives when the stream connects.
    screen.wait_for_selector("main[data-board-updated]", timeout=15_000)
    expect(screen.locator("#board-prompts")).to_contain_text("Ingen fråga är öppen just nu.")

    phone, phone_problems = watched(contexts["phone"])
    sign_in(phone, cast.manager)
    phone.goto("/min-dag")
    phone.get_by_role("link", name="Chefsdag med live-dialog").click()
    phone.get_by_role("link", name="Dialog", exact=True).first.click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Dialog")
    expect(phone.locator("#oppna-fragor")).to_contain_text("Ingen fråga är öppen just nu.")

    admin.get_by_role("button", name="Öppna frågan").first.click()
    expect(admin.get_by_role("status")).to_contain_text("Frågan är öppen")

    # No reload: the prompt stream tells the page, which fetches the panel again.
    expect(phone.get_by_role("heading", name="Ska vi prioritera förebyggande arbete?")).to_be_visible(timeout=15_000)
    expect(screen.locator("#board-prompts h3")).to_have_text("Ska vi prioritera förebyggande arbete?",
                                                            timeout=15_000)
    check(phone, "41-dialog-telefon", screenshots)
    phone.get_by_label("Ja", exact=True).check()
    phone.get_by_role("button", name="Skicka mitt svar").click()
    expect(phone.get_by_text("Tack! Ditt svar är sparat.")).to_be_visible()

    expect(screen.locator(".board-count")).to_have_text("1 svar", timeout=15_000)
    expect(screen.locator(".suppressed")).to_contain_text("Färre än 5 har svarat")
    check(screen, "42-storskarm", screenshots)

    phone.goto(f"/dag/{day_id}/fragor")
    phone.get_by_label("Din fråga").fill(f"Hur gör vi? {INJECTION}")
    phone.get_by_role("button", name="Skicka min fråga").click()
    expect(phone.get_by_text("Tack! Din fråga visas på frågeväggen när en moderator har läst den.")).to_be_visible()
    check(phone, "43-fragor-telefon", screenshots)
    admin.goto(f"/dialog/{day_id}")
    admin.get_by_role("button", name="Godkänn").first.click()
    expect(admin.get_by_role("status")).to_contain_text("Klart")

    wall = screen.locator("#board-questions")
    expect(wall).to_contain_text(f"Hur gör vi? {INJECTION}", timeout=15_000)
    assert screen.locator("#board-questions script, #board-questions img").count() == 0
    assert screen.title() != "pwned" and screen.title() != "1"

    screen.get_by_role("link", name="Dölj resultaten").click()
    expect(screen.locator(".results-hidden-note")).to_be_visible()
    expect(screen.locator(".board-result")).to_be_hidden()
    check(screen, "44-storskarm-dolda-resultat", screenshots)
    assert not admin_problems + screen_problems + phone_problems
