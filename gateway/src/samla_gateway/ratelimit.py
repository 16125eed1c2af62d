"""Token buckets per person and per IP (issue 3 §4). Each replica keeps its own buckets in memory, so with n
replicas a caller gets at most n times the rate: enough to stop a runaway script, with no shared state."""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable


class TokenBucket:
    """`rate` tokens a second up to `burst`; a request takes one token or learns how long to wait for one."""

    def __init__(self, *, rate: float, burst: int, max_keys: int = 100_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self.max_keys = max_keys
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, at)

    def take(self, key: str) -> float:
        """0 when allowed; otherwise the seconds until the next token (for Retry-After)."""
        now = self.clock()
        tokens, at = self._buckets.pop(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - at) * self.rate)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / self.rate if self.rate > 0 else math.inf
        self._buckets[key] = (tokens, now)
        # The least recently seen callers are forgotten first; a forgotten bucket comes back full.
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        return wait


def retry_after(wait: float) -> str:
    return str(max(1, math.ceil(wait))) if math.isfinite(wait) else "3600"
