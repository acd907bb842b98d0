"""edge-tts: Microsoft's online Vietnamese voices (optional extra `radio-gen[edge]`).

edge-tts's own timeouts do not bound a connection that is accepted and never answered,
so every request runs under one hard wall-clock limit (`asyncio.wait_for`) in an event
loop of its own, closed without waiting for stuck resolver threads.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from radio_gen.atomic import replacing
from radio_gen.settings_reader import show
from radio_gen.tts.base import Engine, EngineError, EngineUnavailable, Voicing

FEMALE = "vi-VN-HoaiMyNeural"
MALE = "vi-VN-NamMinhNeural"
INSTALL_HINT = "install the extra: pip install 'radio-gen[edge]'"


class EdgeEngine(Engine):
    name = "edge-tts"
    rank = 20
    suffix = ".mp3"
    online = True
    accepts = frozenset({"voice", "rate", "pitch"})

    @classmethod
    def from_voicing(cls, voicing: Voicing) -> EdgeEngine:
        return cls(voice=voicing.voice or FEMALE, rate=voicing.rate, pitch=voicing.pitch,
                   timeout=voicing.speech.gtts_timeout)

    @classmethod
    def voice_problem(cls, voice: str | None) -> str | None:
        if voice is not None and not voice.lower().startswith("vi-"):
            return (f"{show(voice)} is not a Vietnamese edge-tts voice; use \"{FEMALE}\" (female) "
                    f"or \"{MALE}\" (male)")
        return None

    def __init__(self, voice: str = FEMALE, rate: float = 1.0, pitch: int = 0, timeout: float = 15.0,
                 proxy: str | None = None) -> None:
        self.voice, self.rate, self.pitch, self.timeout = voice, rate, pitch, timeout
        self.proxy = proxy or os.environ.get("HTTPS_PROXY") or os.environ.get("https_proxy") or None

    @property
    def voice_id(self) -> str:
        return f"{self.name}:{self.voice}:{self.rate:g}:{self.pitch}"

    def check(self) -> str | None:
        try:
            import edge_tts  # noqa: F401
        except ImportError:
            return f"the edge-tts package is missing: {INSTALL_HINT}"
        return None

    def synthesize(self, text: str, dest: Path) -> None:
        try:
            import edge_tts
        except ImportError:
            raise EngineUnavailable(self.name, f"the edge-tts package is missing: {INSTALL_HINT}") from None
        seconds = max(1, int(self.timeout))
        communicate = edge_tts.Communicate(
            text, self.voice, rate=f"{round((self.rate - 1) * 100):+d}%", pitch=f"{self.pitch:+d}Hz",
            proxy=self.proxy, connect_timeout=seconds, receive_timeout=seconds)

        async def fetch(partial: Path) -> int:
            written = 0
            with open(partial, "wb") as out:
                async for chunk in communicate.stream():
                    if chunk.get("type") == "audio" and chunk.get("data"):
                        out.write(chunk["data"])
                        written += len(chunk["data"])
            return written

        loop = asyncio.new_event_loop()
        try:
            with replacing(dest) as partial:
                written = loop.run_until_complete(asyncio.wait_for(fetch(partial), self.timeout))
                if written == 0:
                    raise EngineError(self.name, "the service returned no audio")
        except (asyncio.TimeoutError, TimeoutError):
            raise EngineError(self.name, f"no answer within {self.timeout:g} s "
                                         "(network, proxy or firewall is holding the connection)") from None
        except EngineError:
            raise
        except Exception as exc:  # noqa: BLE001 - aiohttp, ssl and edge-tts errors share no base class
            status = getattr(exc, "status", None)
            transient = isinstance(status, int) and (status == 429 or status >= 500)
            raise EngineError(self.name, _explain(exc), transient=transient) from None
        finally:
            # Do not wait for a resolver thread that may hang on a dead network.
            loop.close()


def _explain(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    kind = type(exc).__name__
    if isinstance(exc, OSError) or "Connect" in kind or "connect" in text.lower():
        return f"cannot reach Microsoft's speech service (no network, proxy or firewall): {kind}: {text}"
    if "NoAudioReceived" in kind:
        return "the service returned no audio (is the voice name right?)"
    return f"{kind}: {text}"
