"""Shared output for benchmarks: every benchmark writes var/bench/<name>.json and prints a short table.

Format (issue 2): {"name": ..., "figures": [{"name", "value", "unit", "reference", "ratio", "target", "meets"}]}
`reference` is the baseline or bound the value is compared with (measured in the same run where it is a
baseline), `ratio` = value / reference, `target` says what "good" is in words, `meets` whether it is met.
"""

from __future__ import annotations

import json
import platform
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "var" / "bench"


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    reference: float | None = None
    ratio: float | None = None
    target: str = ""
    meets: bool | None = None


@dataclass
class Report:
    name: str
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.time)

    def add(self, name: str, value: float, unit: str, *, reference: float | None = None, target: str = "",
            meets: bool | None = None) -> Figure:
        ratio = round(value / reference, 4) if reference not in (None, 0) and value is not None else None
        fig = Figure(name, round(value, 4), unit, None if reference is None else round(reference, 4), ratio,
                     target, meets)
        self.figures.append(fig)
        return fig

    def note(self, text: str) -> None:
        self.notes.append(text)

    def write(self) -> Path:
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        path = OUT_DIR / f"{self.name}.json"
        body: dict[str, Any] = {
            "name": self.name,
            "figures": [asdict(f) for f in self.figures],
            "notes": self.notes,
            "machine": {"python": platform.python_version(), "cpus": _cpus()},
            "duration_s": round(time.time() - self.started, 2),
        }
        path.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        self.print()
        return path

    def print(self) -> None:
        print(f"\n== {self.name} ==")
        header = f"{'figure':<48} {'value':>12} {'unit':<8} {'reference':>12} {'ratio':>8}  meets  target"
        print(header)
        print("-" * len(header))
        for f in self.figures:
            ref = "" if f.reference is None else f"{f.reference:g}"
            ratio = "" if f.ratio is None else f"{f.ratio:.3f}"
            meets = {True: "yes", False: "NO", None: ""}[f.meets]
            print(f"{f.name:<48} {f.value:>12g} {f.unit:<8} {ref:>12} {ratio:>8}  {meets:<5}  {f.target}")
        for n in self.notes:
            print(f"note: {n}")


def _cpus() -> int:
    import os

    return os.cpu_count() or 0
