"""Seating changes in real Chromium against the whole stack: three managers of one administration register, HR
places them, one more comes without a seat and is seated by a late change (the page says how many moved), then HR
previews a swap, reads its consequences and makes it. axe-core checks every page; screenshots under var/screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from deploy.local.stack import Stack
from tests.browser.support import check, sign_in

# The first test of a session also waits for the whole stack to start, which on a shared, loaded machine can take
# minutes: give it more than the default 300 s.
pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]
ADMINISTRATION = "ou-mil"


def people() -> tuple[str, list[str]]:
    """The demo municipality's HR admin and three plain managers of the smallest administration."""
    from samla_identity.demo.generator import generate

    units, everyone = generate()
    parents = {u.id: u.parent_id for u in units}

    def under(unit_id: str | None) -> bool:
        while unit_id:
            if unit_id == ADMINISTRATION:
                return True
            unit_id = parents.get(unit_id)
        return False

    # Heads of units manage no other manager here: nobody must be kept apart from the others (direct reports).
    managers = [p.name for p in everyone if under(p.org_unit_id) and not p.roles and p.level == "enhetschef"][:3]
    return next(p.name for p in everyone if "samla-admin" in p.roles), managers


@pytest.fixture
def context(chromium: Browser, stack: Stack) -> Iterator[BrowserContext]:
    ctx = chromium.new_context(base_url=stack.gateway_url, viewport={"width": 1280, "height": 900}, locale="sv-SE")
    yield ctx
    ctx.close()


def register(chromium: Browser, stack: Stack, name: str, title: str) -> None:
    ctx = chromium.new_context(base_url=stack.gateway_url, locale="sv-SE")
    try:
        page = ctx.new_page()
        sign_in(page, name)
        page.goto("/min-dag")
        page.get_by_role("link", name=title).click()
        page.get_by_label("Ja, jag kommer").check()
        page.get_by_role("button", name="Skicka mitt svar").click()
        expect(page.get_by_role("status").first).to_contain_text("Tack! Du är anmäld.")
    finally:
        ctx.close()


def new_day(admin: Page, title: str) -> None:
    admin.goto("/chefsdagar/ny")
    admin.get_by_label("Rubrik").fill(title)
    admin.get_by_label("Datum").fill("2031-11-27")
    admin.get_by_label("Plats", exact=True).fill("Stadshuset, Stora salen")
    admin.get_by_label("Platser (kapacitet)").fill("40")
    admin.get_by_label("Antal bord").fill("5")
    admin.get_by_role("button", name="Skapa chefsdagen").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text(title)


def test_a_late_walk_in_and_a_swap(context: BrowserContext, chromium: Browser, stack: Stack,
                                   screenshots: Path) -> None:
    admin_name, managers = people()
    title = "Chefsdag med ändringar"
    admin = context.new_page()
    sign_in(admin, admin_name)
    new_day(admin, title)
    admin.get_by_role("link", name="Program").click()
    admin.get_by_label("Typ").select_option("dialogue")
    admin.get_by_label("Rubrik").fill("Dialog om budget 2032")
    admin.get_by_label("Börjar").fill("09:00")
    admin.get_by_label("Slutar").fill("09:45")
    admin.get_by_role("button", name="Spara programmet").click()
    expect(admin.get_by_role("status")).to_contain_text("Programmet är sparat.")
    admin.get_by_role("link", name="Inbjudningar").click()
    admin.get_by_label("Valda förvaltningar och enheter").check()
    admin.get_by_label("Miljöförvaltningen").check()
    admin.get_by_role("button", name="Förhandsgranska antalet").click()
    expect(admin.locator("#preview")).to_contain_text("Inbjudan når")
    admin.get_by_role("button", name="Skicka inbjudningarna till").click()
    expect(admin.get_by_role("status")).to_contain_text("Dagen är nu: Inbjudningar skickade.")
    for name in managers[:2]:
        register(chromium, stack, name, title)

    admin.get_by_role("link", name="Placering").click()
    admin.get_by_role("button", name="Placera", exact=True).click()
    expect(admin.get_by_role("button", name="Publicera placeringen")).to_be_visible()
    register(chromium, stack, managers[2], title)

    admin.get_by_role("link", name="Sena ändringar").click()
    expect(admin.get_by_role("heading", level=1)).to_contain_text("Sena ändringar")
    check(admin, "40-sena-andringar", screenshots)
    admin.get_by_role("group", name="Vem kom utan plats").get_by_label(managers[2]).check()
    admin.get_by_role("button", name="Placera om borden").click()
    expect(admin.get_by_role("status")).to_contain_text("Borden är omplacerade.")
    expect(admin.get_by_role("status")).to_contain_text("flyttades till ett annat bord")
    expect(admin.locator("main")).to_contain_text("Placerade som kom utan plats")
    check(admin, "41-sena-andringar-klart", screenshots)

    admin.get_by_role("link", name="Byt plats på två personer").first.click()
    admin.get_by_label("Runda").select_option("1")
    admin.get_by_label("Första personen").select_option(label=managers[0])
    admin.get_by_label("Andra personen").select_option(label=managers[2])
    admin.get_by_role("button", name="Visa vad bytet ändrar").click()
    expect(admin.get_by_role("heading", name="Vad bytet ändrar")).to_be_visible()
    expect(admin.locator("main")).to_contain_text(f"I runda 1 byter {managers[0]}")
    check(admin, "42-byte-forhandsgranskning", screenshots)
    admin.get_by_role("button", name="Gör bytet").click()
    expect(admin.get_by_role("status")).to_have_text("De två har bytt plats.")
    check(admin, "43-byte-klart", screenshots)
