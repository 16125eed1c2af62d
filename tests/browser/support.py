"""What every browser test checks on a page: axe-core (no serious or critical violation), no sideways scrolling
(WCAG 1.4.10), and a screenshot under var/screenshots/ for a human look."""

from __future__ import annotations

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

axe = Axe()


def check(page: Page, name: str, screenshots: Path) -> None:
    """No serious or critical axe violation, no sideways scrolling (WCAG 1.4.10), and a screenshot to look at."""
    page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name}: the page is {overflow} px wider than the screen"
    violations = [v for v in axe.run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    assert not violations, f"{name}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}" for v in violations)


def sign_in(page: Page, name: str) -> None:
    """Dev sign-in as the demo person called `name`."""
    page.goto("/logga-in")
    page.get_by_label("Sök på namn").fill(name)
    page.get_by_label("Sök på namn").press("Enter")
    page.get_by_role("button", name=name).click()
    page.get_by_text(f"Hej {name}!").wait_for()
