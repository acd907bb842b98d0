"""How a build talks to online engines: spaced requests, retries on 429/5xx, a hard timeout.

Synthesis runs on several threads; one `OnlineGate` per engine name spaces their requests
so that parallel segments do not look like a flood to Google or Microsoft. A request that
hangs past the hard timeout is abandoned (its thread finishes on the engine's own socket
timeout, writing only to its own file), and the chain moves on to the next engine.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from radio_gen.settings_reader import setting
from radio_gen.tts.base import Engine, EngineError, remove_partial


@dataclass(frozen=True)
class OnlineSettings:
    """`[audio] online_*`: how a build asks online engines; the defaults suit gTTS's free endpoint."""

    #: Seconds between the starts of two requests to the same service.
    min_interval: float = setting(0.5, low=0, high=60, key="online_min_interval")
    #: Extra attempts after an HTTP 429 or 5xx answer.
    retries: int = setting(2, low=0, high=10, key="online_retries")
    #: First wait before a retry, doubled each time (or the service's Retry-After).
    backoff: float = setting(1.0, low=0, high=60, key="online_backoff_seconds")
    #: Wall-clock limit of one request, whatever the engine's own timeouts do.
    timeout: float = setting(30.0, low=1, high=600, key="online_timeout")


class OnlineGate:
    """Spaces and retries the requests of one online engine, shared by all threads."""

    def __init__(self, settings: OnlineSettings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._next_start = 0.0

    def _wait_turn(self) -> None:
        """Book the next free start time, then sleep until it (outside the lock)."""
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_start)
            self._next_start = start + self.settings.min_interval
        if start > now:
            time.sleep(start - now)

    def synthesize(self, engine: Engine, text: str, dest: Path) -> None:
        """`engine.synthesize` under the settings; the last EngineError when every attempt failed."""
        attempt = 0
        while True:
            self._wait_turn()
            try:
                self._with_deadline(engine, text, dest)
                return
            except EngineError as exc:
                if not exc.transient:
                    raise
                if attempt >= self.settings.retries:
                    raise EngineError(engine.name, f"{exc.reason} ({attempt + 1} attempts)") from None
                wait = exc.retry_after if exc.retry_after is not None else self.settings.backoff * 2 ** attempt
                time.sleep(min(wait, 60.0))
                attempt += 1

    def _with_deadline(self, engine: Engine, text: str, dest: Path) -> None:
        outcome: list[BaseException | None] = []
        # Each attempt writes its own file: an abandoned request that answers late cannot
        # overwrite what a later attempt or engine produced.
        attempt_dest = dest.with_name(f"{dest.stem}.try{threading.get_ident()}-{time.monotonic_ns()}{dest.suffix}")

        def run() -> None:
            try:
                engine.synthesize(text, attempt_dest)
                outcome.append(None)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                outcome.append(exc)

        worker = threading.Thread(target=run, name=f"{engine.name}-request", daemon=True)
        worker.start()
        worker.join(self.settings.timeout)
        if worker.is_alive():
            raise EngineError(engine.name, f"no answer within {self.settings.timeout:g} s (hard limit per request)")
        error = outcome[0]
        if error is not None:
            remove_partial(attempt_dest)
            raise error
        attempt_dest.replace(dest)


class OnlineGates:
    """One gate per online engine name, for the whole build."""

    def __init__(self, settings: OnlineSettings) -> None:
        self.settings = settings
        self._gates: dict[str, OnlineGate] = {}
        self._lock = threading.Lock()

    def for_engine(self, name: str) -> OnlineGate:
        with self._lock:
            if name not in self._gates:
                self._gates[name] = OnlineGate(self.settings)
            return self._gates[name]
