"""A Google speech endpoint on 127.0.0.1 that answers with real MP3 audio.

gTTS asks `translate.google.*` through the proxy named in HTTPS_PROXY; `answering_proxy`
plays both and answers every request with the batchexecute line gTTS decodes (base64 MP3).
"""

from __future__ import annotations

import base64
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from helpers.netfaults import answering_proxy


def tone_mp3(folder: Path, seconds: float = 0.6) -> bytes:
    """A short real MP3 (a 440 Hz tone), what "Google" speaks."""
    path = folder / "google-tone.mp3"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
                    "-ac", "1", "-ar", "24000", "-b:a", "48k", str(path)], check=True)
    return path.read_bytes()


@contextmanager
def speaking_google(folder: Path) -> Iterator[dict]:
    """Yields {"port": proxy port, "requests": answered requests, ...}."""
    audio = base64.b64encode(tone_mp3(folder)).decode("ascii")
    body = (")]}'\n\n" + '[["wrb.fr","jQ1olc","[\\"' + audio + '\\"]",null,null,null,"generic"]]\n').encode()
    with answering_proxy(200, folder, body) as stats:
        yield stats
