"""Timings for scaling tests."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_seconds(call: Callable[[], object], repeat: int = 3) -> float:
    """The best of `repeat` timings of `call()`, for scaling tests: a busy neighbour on a shared
    machine slows one run, not all of them."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - started)
    return best
