"""A sampling profiler for the `day` benchmark's services: `python -m bench.day_profile OUT.json -- <uvicorn args>`.

py-spy cannot attach on this machine (no ptrace into other processes), and cProfile sees only the main thread
while FastAPI runs sync handlers in worker threads. So the bench starts each service through this wrapper, which
runs uvicorn in-process and, every 50 ms, records the Python stack of every thread that used CPU since the last
look (from /proc/self/task/<tid>/stat), so waiting threads do not count. Service code is unchanged.
SIGUSR1 clears the counters (start of a measured window), SIGUSR2 writes OUT.json (its end).

A thread found waiting (its innermost frame in WAITING) is passed over without reading its CPU time, to keep each
look cheap. Its next busy look compares against the last one taken, so CPU used just before a wait can count once
for a thread that is blocked in some other C call by then (a socket, SQLite's busy wait): a small over-count of
such calls, accepted because reading every waiting thread's time made the sampler a burden to the service.
"""

from __future__ import annotations

import functools
import json
import os
import signal
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from types import CodeType, FrameType
from typing import Any

# The sampler holds the GIL while it looks, so every look stalls the service: 50 Hz with a /proc read and a fresh
# path parse per frame of every thread made the 460 day's p99 several times what it was unprofiled (sixth session).
INTERVAL = 0.05
# Leaf frames of a thread blocked in C (it may have used a tick this interval, but is waiting now). Such threads
# are passed over without reading their CPU time; under a burst hundreds wait for the writer turn (samla_common.db).
WAITING = {"threading.py:wait", "threading.py:_wait_for_tstate_lock", "selectors.py:select", "queue.py:get",
           "concurrent/futures/thread.py:_worker", "db.py:acquire_for_request", "db.py:take"}
TOP = 25


class Sampler:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.lock = threading.Lock()
        self.reset()
        self._ticks: dict[int, int] = {}

    def reset(self) -> None:
        with self.lock:
            self.samples = 0
            self.busy = 0
            self.self_counts: Counter[str] = Counter()
            self.total_counts: Counter[str] = Counter()
            self.started = time.time()

    def run(self) -> None:
        me = threading.get_ident()
        while True:
            time.sleep(INTERVAL)
            try:
                self.sample(me)
            except Exception:  # a profiler must never take the service down
                continue

    def sample(self, me: int) -> None:
        by_native = {t.native_id: t.ident for t in threading.enumerate()
                     if t.native_id is not None and t.ident is not None}
        frames = sys._current_frames()
        with self.lock:
            self.samples += 1
            for native, ident in by_native.items():
                frame = frames.get(ident)
                if ident == me or frame is None or _name(frame.f_code).split("/", 1)[-1] in WAITING:
                    continue
                if not self._used_cpu(native):
                    continue
                stack = _stack(frame)
                self.busy += 1
                self.self_counts[stack[0]] += 1
                for name in set(stack):
                    self.total_counts[name] += 1

    def _used_cpu(self, native: int) -> bool:
        try:
            with open(f"/proc/self/task/{native}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            return False
        ticks = int(fields[11]) + int(fields[12])  # utime + stime (fields 14 and 15 of stat)
        before = self._ticks.get(native)
        self._ticks[native] = ticks
        return before is not None and ticks > before

    def dump(self) -> None:
        with self.lock:
            body: dict[str, Any] = {
                "pid": os.getpid(), "seconds": round(time.time() - self.started, 2), "interval_s": INTERVAL,
                "samples": self.samples, "busy_thread_samples": self.busy,
                "self": [[name, n] for name, n in self.self_counts.most_common(TOP)],
                "cumulative": [[name, n] for name, n in self.total_counts.most_common(TOP * 4)],
            }
        tmp = self.out.with_suffix(".tmp")
        tmp.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
        tmp.replace(self.out)


def _stack(frame: FrameType | None) -> list[str]:
    names = []
    while frame is not None:
        names.append(_name(frame.f_code))
        frame = frame.f_back
    return names


def _name(code: CodeType) -> str:
    # By file and name, not by code object: equal code objects (the same body at the same line) in two files
    # compare and hash alike, and would share the first one's name.
    return _qualified(code.co_filename, code.co_name)


@functools.lru_cache(maxsize=8192)
def _qualified(filename: str, function: str) -> str:
    return f"{_module(filename)}:{function}"


@functools.lru_cache(maxsize=4096)
def _module(filename: str) -> str:
    parts = Path(filename).parts
    for anchor in ("site-packages", "src", "lib"):
        if anchor in parts:
            rest = parts[len(parts) - parts[::-1].index(anchor):]
            return "/".join(rest)
    return "/".join(parts[-2:])


def main() -> None:
    out = Path(sys.argv[1])
    args = sys.argv[sys.argv.index("--") + 1:]
    sampler = Sampler(out)
    signal.signal(signal.SIGUSR1, lambda *_: sampler.reset())
    signal.signal(signal.SIGUSR2, lambda *_: sampler.dump())
    threading.Thread(target=sampler.run, name="bench-sampler", daemon=True).start()
    import uvicorn.main

    sys.argv = ["uvicorn", *args]
    try:
        uvicorn.main.main()
    finally:
        sampler.dump()


if __name__ == "__main__":
    main()
