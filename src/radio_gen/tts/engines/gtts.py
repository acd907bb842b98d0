"""gTTS: Google's online voice. Always with a timeout: its default waits forever."""

from __future__ import annotations

from pathlib import Path

from radio_gen.atomic import replacing
from radio_gen.tts.base import Engine, EngineError, Voicing


class GttsEngine(Engine):
    name = "gtts"
    rank = 30
    suffix = ".mp3"
    online = True

    @classmethod
    def from_voicing(cls, voicing: Voicing) -> GttsEngine:
        return cls(timeout=voicing.speech.gtts_timeout)

    def __init__(self, timeout: float = 10.0, tld: str = "com.vn") -> None:
        self.timeout, self.tld = timeout, tld

    @property
    def voice_id(self) -> str:
        return f"{self.name}:vi:{self.tld}"

    def check(self) -> str | None:
        try:
            import gtts  # noqa: F401
        except ImportError:
            return "the gTTS package is missing: reinstall radio-gen"
        return None

    def synthesize(self, text: str, dest: Path) -> None:
        from gtts import gTTS, gTTSError

        try:
            speech = gTTS(text, lang="vi", tld=self.tld, timeout=self.timeout, lang_check=False)
            with replacing(dest) as partial:
                with open(partial, "wb") as out:
                    speech.write_to_fp(out)
                if partial.stat().st_size == 0:
                    raise EngineError(self.name, "the service returned no audio")
        except gTTSError as exc:
            status = getattr(getattr(exc, "rsp", None), "status_code", None)
            transient = status is not None and (status == 429 or status >= 500)
            raise EngineError(self.name, _explain(str(exc)), transient=transient,
                              retry_after=_retry_after(getattr(exc, "rsp", None))) from None
        except (OSError, ValueError, AssertionError) as exc:
            raise EngineError(self.name, f"{type(exc).__name__}: {exc}") from None


def _retry_after(response: object) -> float | None:
    """The service's Retry-After in seconds, when it sent a number."""
    value = getattr(response, "headers", {}).get("Retry-After") if response is not None else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _explain(message: str) -> str:
    if "429" in message:
        return "rate-limited by Google (HTTP 429): too many requests; try later or put espeak-ng first"
    if "Failed to connect" in message or "not reachable" in message:
        return "cannot reach Google's speech service (no network, proxy or firewall)"
    if "timed out" in message.lower():
        return "Google's speech service did not answer in time"
    return message
