"""`make run`: starts everything on embedded defaults with demo data; Ctrl-C stops everything it started.

Running it twice needs no cleanup: processes of an earlier run that was killed hard are found by their pid
file and stopped first, and the broker's data lives in memory.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from deploy.local.stack import ROOT, SERVICES, Ports, Stack, port_open


def stop_leftovers(pidfile: Path) -> None:
    if not pidfile.exists():
        return
    for line in pidfile.read_text().split():
        with contextlib.suppress(ProcessLookupError, ValueError, PermissionError):
            os.killpg(int(line), signal.SIGTERM)
    time.sleep(1)
    pidfile.unlink(missing_ok=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-demo", action="store_true", help="do not load the demo municipality")
    args = parser.parse_args()
    var_dir = ROOT / "var"
    pidfile = var_dir / "run" / "pids"
    pidfile.parent.mkdir(parents=True, exist_ok=True)
    stop_leftovers(pidfile)
    ports = Ports()
    busy = [p for p in (ports.gateway, ports.broker, *(ports.http(s) for s in SERVICES)) if port_open(p)]
    if busy:
        print(f"Ports already in use: {busy}. Stop what uses them (another `make run`?) and try again.")
        return 1
    stack = Stack(var_dir=var_dir, ports=ports, database_url=os.environ.get("DATABASE_URL", ""))
    stopping = False

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        if not stopping:
            stopping = True
            raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        stack.start_broker()
        stack.migrate()
        for svc in (*SERVICES, "gateway"):
            stack.start_service(svc)
        pidfile.write_text("\n".join(str(p.pid) for p in stack.procs.values()))
        stack.wait_ready(90)
        if not args.no_demo:
            from deploy.local.demo import load_demo

            load_demo(stack)
        print(f"\nSamla is ready: {stack.gateway_url}  (readiness: {stack.gateway_url}/readyz). Ctrl-C stops.\n",
              flush=True)
        while True:
            for name, proc in list(stack.procs.items()):
                if proc.poll() is not None:
                    print(f"{name} exited with code {proc.returncode}; stopping everything.")
                    return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nStopping Samla...", flush=True)
        return 0
    finally:
        stack.stop_all()
        pidfile.unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main())
