"""`kill -QUIT <pid>` makes a Samla process write every thread's stack and go on running (docs/runbook.md)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

PROGRAM = """
import threading, time
from samla_common import telemetry
telemetry.setup("stack-dump-test")
threading.Thread(target=lambda: time.sleep(60), name="sleeper", daemon=True).start()
print("ready", flush=True)
time.sleep(60)
"""


def test_sigquit_writes_every_threads_stack_and_the_process_goes_on() -> None:
    proc = subprocess.Popen([sys.executable, "-c", PROGRAM], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        proc.send_signal(signal.SIGQUIT)
        time.sleep(1)
        assert proc.poll() is None, "the process must keep running after the dump"
    finally:
        proc.kill()
        _, err = proc.communicate(timeout=10)
    assert err.count("(most recent call first)") >= 2  # the main thread and the sleeper
    assert "<string>" in err and "in <lambda>" in err
