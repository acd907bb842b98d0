"""MP3 frames: count them, and join separately encoded pieces into one tagged file.

Pieces are encoded without headers or tags, each starting with an empty bit reservoir,
so their frames can be concatenated as they are: joining a 60-minute program is a file
copy, and a rebuild re-encodes only the pieces that changed. A piece lasts exactly its
frame count times the samples per frame, which is what the rundown's times are built on.
"""

from __future__ import annotations

import errno
import shutil
from dataclasses import dataclass
from pathlib import Path

from radio_gen.audio import AudioError

# Bitrates (kbps) by index, for MPEG-1 and for MPEG-2/2.5 Layer III.
_BITRATES = {1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
             2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)}
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


@dataclass(frozen=True)
class FrameCount:
    frames: int
    samples_per_frame: int
    sample_rate: int

    @property
    def seconds(self) -> float:
        return self.frames * self.samples_per_frame / self.sample_rate if self.sample_rate else 0.0


def count_frames(path: Path) -> FrameCount:
    """Walk the Layer III frame headers of a bare MP3 stream (no tags, as our pieces are)."""
    data = path.read_bytes()
    position, frames, spf, rate = 0, 0, 1152, 0
    while position + 4 <= len(data):
        b1, b2 = data[position + 1], data[position + 2]
        if data[position] != 0xFF or (b1 & 0xE0) != 0xE0 or (b1 >> 1) & 3 != 1:
            raise AudioError(f"{path.name}: not a Layer III frame at byte {position}")
        version = (b1 >> 3) & 3                   # 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
        if version == 1 or (b2 >> 4) in (0, 15) or (b2 >> 2) & 3 == 3:
            raise AudioError(f"{path.name}: bad frame header at byte {position}")
        rate = _RATES[version][(b2 >> 2) & 3]
        bitrate = _BITRATES[1 if version == 3 else 2][b2 >> 4] * 1000
        spf = 1152 if version == 3 else 576
        size = spf // 8 * bitrate // rate + ((b2 >> 1) & 1)
        position += size
        frames += 1
    if position != len(data):
        raise AudioError(f"{path.name}: truncated last frame")
    return FrameCount(frames, spf, rate)


def join(pieces: list[Path], dest: Path, tags: dict[str, str]) -> None:
    """Write `dest`: an ID3v2.3 tag, then every piece's frames in order."""
    from mutagen.id3 import ID3, TALB, TCON, TDRC, TIT2, TPE1

    from radio_gen.intake.sources.names import clean_name

    frames = {"title": TIT2, "artist": TPE1, "album": TALB, "date": TDRC, "genre": TCON}
    tag = ID3()
    for key, value in tags.items():
        if key in frames:
            # A control or bidi character from a station or program name would garble players' displays.
            tag.add(frames[key](encoding=3, text=clean_name(value)))
    try:
        dest.write_bytes(b"")
        tag.save(dest, v2_version=3, v1=0)
        with open(dest, "ab") as out:
            for piece in pieces:
                with open(piece, "rb") as src:
                    shutil.copyfileobj(src, out, 1 << 20)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise AudioError(f"the output disk is full: cannot write the program in {dest.parent}") from None
        raise AudioError(f"cannot write {dest.name}: {exc.strerror or exc}") from None
