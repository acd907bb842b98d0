"""espeak-ng: robotic but offline everywhere, the last link of every chain."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from radio_gen.tts.base import Engine, EngineError, EngineUnavailable, Voicing, remove_partial

#: espeak-ng's Vietnamese voices (`espeak-ng --voices=vi`); `+variant` may follow, e.g. "vi+f2".
VOICES = ("vi", "vi-vn-x-south", "vi-vn-x-central")
#: espeak-ng's Vietnamese variant for each region of Vietnam.
VARIANTS = {"north": "vi", "central": "vi-vn-x-central", "south": "vi-vn-x-south"}
REGIONS = tuple(VARIANTS)
#: espeak-ng's own pitch; an announcer's pitch (-50 to 50) is added to it.
BASE_PITCH = 50


def find_espeak() -> str | None:
    """espeak-ng's path, also under schedulers whose PATH lacks /usr/bin."""
    override = os.environ.get("RADIO_GEN_ESPEAK")
    if override:
        return override if Path(override).is_file() else None
    return shutil.which("espeak-ng") or next(
        (p for p in ("/usr/bin/espeak-ng", "/usr/local/bin/espeak-ng") if Path(p).is_file()), None)


class EspeakEngine(Engine):
    name = "espeak-ng"
    rank = 90
    last_resort = True
    suffix = ".wav"
    accepts = frozenset({"rate", "pitch"})

    @classmethod
    def from_voicing(cls, voicing: Voicing) -> EspeakEngine:
        return cls(voice=voicing.espeak_voice, speed=round(voicing.speech.espeak_speed * voicing.rate),
                   pitch=BASE_PITCH + voicing.pitch)

    def __init__(self, voice: str = "vi", speed: int = 150, timeout: float = 60.0, pitch: int = 50) -> None:
        self.voice, self.speed, self.timeout, self.pitch = voice, speed, timeout, pitch
        self.binary = find_espeak()

    @property
    def voice_id(self) -> str:
        return f"{self.name}:{self.voice}:{self.speed}" + (f":p{self.pitch}" if self.pitch != 50 else "")

    def check(self) -> str | None:
        if self.binary is None:
            return "espeak-ng is not installed: run `sudo apt-get install espeak-ng`"
        return None

    def synthesize(self, text: str, dest: Path) -> None:
        if self.binary is None:
            raise EngineUnavailable(self.name, "espeak-ng is not installed (apt-get install espeak-ng)")
        # -w writes a correct WAV header; --stdout claims ~2 GB of data. Text goes on
        # stdin so that a leading '-' is never taken as an option.
        command = [self.binary, "-v", self.voice, "-s", str(self.speed), "-p", str(self.pitch),
                   "-w", str(dest), "--stdin"]
        try:
            done = subprocess.run(command, input=text.encode("utf-8"), capture_output=True,
                                  timeout=self.timeout, check=False)
        except subprocess.TimeoutExpired:
            remove_partial(dest)
            raise EngineError(self.name, f"no answer within {self.timeout:g} s") from None
        except OSError as exc:
            remove_partial(dest)
            raise EngineUnavailable(self.name, f"cannot run {self.binary}: {exc.strerror}") from None
        if done.returncode != 0 or not dest.is_file() or dest.stat().st_size <= 44:
            remove_partial(dest)
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise EngineError(self.name, f"failed (exit {done.returncode}){': ' + detail[-1] if detail else ''}")
