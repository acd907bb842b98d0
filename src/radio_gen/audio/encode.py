"""Stream internal-format PCM into an ffmpeg/LAME encoder that writes one program piece.

Segments are written as they are ready, so memory does not grow with their length. A
piece is bare MP3 frames, no ID3 tag and no Xing header: `audio.mp3.join` lays pieces
end to end under the program's tag.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from types import TracebackType

from radio_gen.audio import CHANNELS, SAMPLE_RATE, AudioError
from radio_gen.audio.ffmpeg import ffmpeg
from radio_gen.audio.settings import Mp3Settings


def encoder_args(settings: Mp3Settings) -> list[str]:
    """ffmpeg arguments from internal-format PCM on stdin to the station's MP3 settings."""
    return ["-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", str(CHANNELS), "-i", "pipe:0",
            "-codec:a", "libmp3lame", "-b:a", f"{settings.bitrate_kbps}k",
            "-ar", str(settings.sample_rate), "-ac", str(settings.channels)]


class Mp3Encoder:
    """`with Mp3Encoder(dest, settings) as enc: enc.write(pcm)`; dest is complete on exit."""

    def __init__(self, dest: Path, settings: Mp3Settings) -> None:
        self.dest = dest
        command = [ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *encoder_args(settings),
                   "-id3v2_version", "0", "-write_xing", "0", "-map_metadata", "-1", "-f", "mp3", str(dest)]
        try:
            self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError as exc:
            raise AudioError(f"cannot start ffmpeg: {exc.strerror}") from None
        self.written = 0

    def write(self, pcm: bytes) -> None:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(pcm)
        except BrokenPipeError:
            self.process.wait()
            raise self._failure() from None
        self.written += len(pcm)

    def close(self) -> None:
        assert self.process.stdin is not None
        try:
            self.process.stdin.close()
        except BrokenPipeError:
            pass
        if self.process.wait() != 0:
            raise self._failure()

    def abort(self) -> None:
        self.process.kill()
        self.process.wait()
        self.dest.unlink(missing_ok=True)

    def _failure(self) -> AudioError:
        """Why the encoder stopped, in an operator's words where we recognise the cause."""
        reason = self._stderr()
        if "No space left" in reason:
            return AudioError(f"the output disk is full: cannot write the program in {self.dest.parent}")
        return AudioError(f"ffmpeg could not encode {self.dest.name}: {reason}")

    def _stderr(self) -> str:
        assert self.process.stderr is not None
        lines = self.process.stderr.read().decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else f"exit status {self.process.poll()}"

    def __enter__(self) -> "Mp3Encoder":
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()
