"""Timings for scaling tests.

`scaling` (tests/test_hostile_text.py, tests/test_normalize_api.py): a stage is linear when its
time on an input four times longer is at most `max_ratio` times its time on the short one (linear
is 4; quadratic is 16). Times are CPU seconds of this process with the garbage collector off (as
timeit does), so a neighbour busy on the other core or a collection of pytest's big heap does not
count; the short input is timed best of three, the long one until the ratio holds, at most five
times. `best_seconds` (tests/test_lexicon_files.py) is the best of a few wall-clock timings.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass


def best_seconds(call: Callable[[], object], repeat: int = 3) -> float:
    """The best of `repeat` timings of `call()`, for scaling tests: a busy neighbour on a shared
    machine slows one run, not all of them."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - started)
    return best



#: Below this many CPU seconds, timer and cache noise is the whole measurement.
FLOOR = 0.01


@dataclass(frozen=True)
class Scaling:
    short: float
    long: float
    max_ratio: float

    @property
    def ratio(self) -> float:
        return max(self.long, FLOOR) / max(self.short, FLOOR)

    @property
    def linear(self) -> bool:
        return self.ratio <= self.max_ratio

    def __str__(self) -> str:
        return f"n {self.short:.3f} s, 4n {self.long:.3f} s (ratio {self.ratio:.1f}, limit {self.max_ratio})"


def _cpu_seconds(call: Callable[[], object]) -> float:
    collecting = gc.isenabled()
    gc.disable()
    try:
        started = time.process_time()
        call()
        return time.process_time() - started
    finally:
        if collecting:
            gc.enable()


def scaling(stage: Callable[[str], object], short: str, long: str, *, max_ratio: float = 8.0,
            repeat: int = 3, attempts: int = 5) -> Scaling:
    """How `stage`'s CPU time grows from `short` to `long` (about four times longer)."""
    best_short = min(_cpu_seconds(lambda: stage(short)) for _ in range(repeat))
    best_long = float("inf")
    for _ in range(attempts):
        best_long = min(best_long, _cpu_seconds(lambda: stage(long)))
        if Scaling(best_short, best_long, max_ratio).linear:
            break
    return Scaling(best_short, best_long, max_ratio)
