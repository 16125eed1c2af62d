"""`idle`: what the stack costs when nobody uses it, per process, as `make run` starts it.

On the day the stack shares two cores with itself: whatever a service spends between requests (consumers asking
the broker for records, relays looking at their outbox, heartbeats) is taken from the bursts. The stack is started
on free ports (deploy/local/stack.py, SQLite), left to settle, and then each process's CPU is read over a window
with nobody calling. The reference is a bare FastAPI app (bench/day_client.py:bare_app) idling in the same window:
what a Python web process costs doing nothing.

`python -m bench.idle [--seconds 30]`; writes var/bench/idle.json.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from bench.day import start_bare
from bench.day_client import ProcessWatch
from bench.harness import Report
from deploy.local.stack import Ports, Stack

SETTLE_SECONDS = 15.0  # consumers join their groups and relays slow down to their idle pace


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench idle", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the measured window")
    args, _ = parser.parse_known_args(argv)
    report = Report("idle")
    with tempfile.TemporaryDirectory(prefix="samla-idle-") as tmp:
        var = Path(tmp)
        stack = Stack(var_dir=var, ports=Ports.free(), color=False, log_file=var / "stack.log")
        try:
            stack.start_all(ready_timeout=240)
            bare = start_bare(Ports.free().gateway)
            try:
                time.sleep(SETTLE_SECONDS)
                pids = {name: proc.pid for name, proc in stack.procs.items()}
                watch = ProcessWatch(pids | {"baseline app": bare.pid}, own_only=set())
                time.sleep(args.seconds)
                loads = {load.name: load for load in watch.finish()}
            finally:
                bare.kill()
                bare.wait(timeout=10)
        finally:
            stack.stop_all()
    bare_share = loads.pop("baseline app").cpu_seconds / args.seconds
    for name, load in sorted(loads.items(), key=lambda item: -item[1].cpu_seconds):
        report.add(f"idle CPU {name}", 100 * load.cpu_seconds / args.seconds, "% core", reference=100 * bare_share)
    total = sum(load.cpu_seconds for load in loads.values()) / args.seconds
    report.add("idle CPU, whole stack", 100 * total, "% core", reference=100 * bare_share)
    report.note(f"window {args.seconds:.0f} s after {SETTLE_SECONDS:.0f} s to settle; reference = a bare FastAPI "
                f"app idling in the same window; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
    report.write()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
