"""`make bench` runs every benchmark; `make bench ONLY=<name>` runs one. Each writes var/bench/<name>.json."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).parent
# checkin runs inside seating (`python -m bench.checkin` alone writes var/bench/checkin.json).
NOT_BENCHMARKS = {"__init__", "harness", "run", "population", "matching_population", "identity_scim", "checkin",
                  "identity_sync"}
NOT_BENCHMARKS |= {"day_client", "day_profile", "day_stats"}  # helpers of `day`


def available() -> list[str]:
    return sorted(p.stem.replace("_", "-") for p in BENCH_DIR.glob("*.py") if p.stem not in NOT_BENCHMARKS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help=f"one of: {', '.join(available())}")
    args, rest = parser.parse_known_args(argv)
    names = [args.only] if args.only else available()
    unknown = [n for n in names if n not in available()]
    if unknown:
        print(f"unknown benchmark {unknown[0]!r}; choose one of: {', '.join(available())}")
        return 2
    failed = 0
    for name in names:
        module = importlib.import_module(f"bench.{name.replace('-', '_')}")
        print(f"\n### {name}", flush=True)
        failed += int(module.main(rest) or 0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
