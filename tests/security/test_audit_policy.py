"""The dependency-audit policy (docs/security.md): what blocks CI and what is only reported."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scripts.audit import IGNORE_FILE, Allowance, allowances_from, findings_from, judge

TODAY = dt.date(2026, 3, 1)


def report(*vulns: dict[str, object]) -> dict[str, object]:
    return {"dependencies": [{"name": "jinja2", "version": "3.1.2", "vulns": list(vulns)},
                             {"name": "httpx", "version": "0.28.1", "vulns": []}]}


FIXABLE = {"id": "GHSA-aaaa-bbbb-cccc", "aliases": ["CVE-2024-1"], "fix_versions": ["3.1.4"]}
UNFIXED = {"id": "PYSEC-2024-9", "aliases": [], "fix_versions": []}


def test_a_vulnerability_with_a_fix_blocks_and_says_how_to_move_on() -> None:
    verdict = judge(findings_from(report(FIXABLE)), [], TODAY)

    assert len(verdict.blocking) == 1
    assert "fixed in 3.1.4" in verdict.blocking[0] and "uv lock --upgrade-package jinja2" in verdict.blocking[0]


def test_a_vulnerability_without_any_fix_is_reported_but_does_not_block() -> None:
    verdict = judge(findings_from(report(UNFIXED)), [], TODAY)

    assert verdict.blocking == [] and "no fixed version" in verdict.notes[0]


@pytest.mark.parametrize("by", ["GHSA-aaaa-bbbb-cccc", "CVE-2024-1"])
def test_a_dated_ignore_entry_lets_a_fixable_vulnerability_through_until_it_expires(by: str) -> None:
    allowance = Allowance(by, "jinja2", "only the sandbox is affected; we do not use it", dt.date(2026, 3, 31))

    allowed = judge(findings_from(report(FIXABLE)), [allowance], TODAY)
    expired = judge(findings_from(report(FIXABLE)), [allowance], dt.date(2026, 4, 1))

    assert allowed.blocking == [] and "allowed until 2026-03-31" in allowed.notes[0]
    assert len(expired.blocking) == 1 and "expired on 2026-03-31" in expired.blocking[0]


def test_a_stale_ignore_entry_is_pointed_out() -> None:
    allowance = Allowance("GHSA-gone-gone-gone", "jinja2", "fixed since", dt.date(2026, 5, 1))

    verdict = judge(findings_from(report()), [allowance], TODAY)

    assert verdict.blocking == [] and "no longer found: remove it" in verdict.notes[0]


def test_an_ignore_entry_without_a_reason_or_expiry_is_refused() -> None:
    with pytest.raises(ValueError, match="lacks reason, expires"):
        allowances_from('[[ignore]]\nid = "GHSA-x"\npackage = "jinja2"\n')


def test_the_committed_ignore_list_is_valid_and_every_entry_has_a_future_expiry() -> None:
    entries = allowances_from(Path(IGNORE_FILE).read_text())

    assert all(e.expires >= dt.date.today() and len(e.reason) > 10 for e in entries)
