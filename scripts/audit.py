"""Dependency audit (docs/security.md): every locked package against the PyPI vulnerability data, with a policy.

Blocks: a known vulnerability in any locked dependency (direct or transitive, runtime or dev) for which a fixed
version exists, unless `.ci/audit-ignore.toml` lets it through with a reason and an expiry date that has not passed.
An expired entry blocks as well. A vulnerability without any fix is reported but does not block (nothing to move to).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
IGNORE_FILE = ROOT / ".ci" / "audit-ignore.toml"


@dataclass(frozen=True)
class Finding:
    package: str
    version: str
    vuln_id: str
    aliases: tuple[str, ...]
    fixes: tuple[str, ...]


@dataclass(frozen=True)
class Allowance:
    vuln_id: str
    package: str
    reason: str
    expires: dt.date


@dataclass
class Verdict:
    blocking: list[str]
    notes: list[str]


def findings_from(report: dict[str, Any]) -> list[Finding]:
    """pip-audit's JSON report → one finding per (package, vulnerability)."""
    return [Finding(dep["name"], dep.get("version", "?"), v["id"], tuple(v.get("aliases", ())),
                    tuple(v.get("fix_versions", ()))) for dep in report.get("dependencies", [])
            for v in dep.get("vulns", [])]


def allowances_from(text: str) -> list[Allowance]:
    """Reads the ignore list; an entry without an id, a package, a reason or an expiry date is an error."""
    out = []
    for i, entry in enumerate(tomllib.loads(text).get("ignore", []), start=1):
        missing = [k for k in ("id", "package", "reason", "expires") if not entry.get(k)]
        if missing:
            raise ValueError(f"{IGNORE_FILE.name} entry {i} lacks {', '.join(missing)}: every entry needs all four.")
        expires = entry["expires"]
        if not isinstance(expires, dt.date):
            raise ValueError(f"{IGNORE_FILE.name} entry {i}: expires must be a date such as 2026-03-31.")
        out.append(Allowance(entry["id"], entry["package"], entry["reason"], expires))
    return out


def judge(findings: list[Finding], allowances: list[Allowance], today: dt.date) -> Verdict:
    """Applies the policy: what blocks CI and what is only reported."""
    verdict = Verdict([], [])
    by_id = {a.vuln_id: a for a in allowances}
    seen: set[str] = set()
    for f in findings:
        names = {f.vuln_id, *f.aliases}
        allowance = next((by_id[n] for n in names if n in by_id), None)
        label = f"{f.package} {f.version}: {f.vuln_id}"
        if allowance is not None:
            seen.add(allowance.vuln_id)
            if allowance.expires < today:
                verdict.blocking.append(f"{label} — its ignore entry expired on {allowance.expires}; upgrade to "
                                        f"{', '.join(f.fixes) or 'a fixed version'} or renew the entry with a reason")
            else:
                verdict.notes.append(f"{label} — allowed until {allowance.expires}: {allowance.reason}")
        elif f.fixes:
            verdict.blocking.append(f"{label} — fixed in {', '.join(f.fixes)}: upgrade (uv lock --upgrade-package "
                                    f"{f.package}) or add a dated entry with a reason to {IGNORE_FILE.name}")
        else:
            verdict.notes.append(f"{label} — no fixed version exists yet; not blocking, watch it")
    for a in allowances:
        if a.vuln_id not in seen:
            verdict.notes.append(f"{a.vuln_id} ({a.package}) is in {IGNORE_FILE.name} but no longer found: remove it")
    return verdict


def run_pip_audit(workdir: Path) -> dict[str, Any]:
    """Exports the lock (every package and group, pinned) and audits it without resolving anything again."""
    requirements, report = workdir / "requirements.txt", workdir / "audit.json"
    subprocess.run([str(ROOT / ".tools" / "bin" / "uv"), "export", "--frozen", "--all-packages", "--all-groups",
                    "--no-emit-workspace", "--no-hashes", "--quiet", "-o", str(requirements)], cwd=ROOT, check=True)
    result = subprocess.run([sys.executable, "-m", "pip_audit", "-r", str(requirements), "--no-deps", "--disable-pip",
                             "--progress-spinner", "off", "-f", "json", "-o", str(report)], cwd=ROOT)
    # pip-audit exits 1 when it found something: the policy below decides; no report at all is a failure.
    if not report.exists():
        raise SystemExit(f"pip-audit produced no report (exit {result.returncode}): is PyPI reachable?")
    data: dict[str, Any] = json.loads(report.read_text())
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--report", type=Path, help="judge an existing pip-audit JSON report instead of running it")
    args = parser.parse_args()
    allowances = allowances_from(IGNORE_FILE.read_text()) if IGNORE_FILE.exists() else []
    if args.report:
        report = json.loads(args.report.read_text())
    else:
        with tempfile.TemporaryDirectory() as tmp:
            report = run_pip_audit(Path(tmp))
    verdict = judge(findings_from(report), allowances, dt.date.today())
    for line in verdict.notes:
        print(f"audit: note: {line}")
    for line in verdict.blocking:
        print(f"audit: BLOCKS: {line}")
    print(f"audit: {len(report.get('dependencies', []))} locked packages checked, {len(verdict.blocking)} blocking")
    return 1 if verdict.blocking else 0


if __name__ == "__main__":
    raise SystemExit(main())
