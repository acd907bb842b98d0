"""From the spoken script to encoded MP3 pieces: parallel synthesis, leveling, caching.

The program is cut into pieces at item boundaries (the opening, the news items, short
ones sharing a piece, and the closing). Pieces are made on a few threads at once: each
synthesizes its segments, brings every one to the loudness target and streams it into
its own encoder, so a piece holds one chunk of speech in memory at a time. A piece whose inputs did not change since an
earlier build is taken from the cache as encoded frames (one spoken by fallback engines
only while the engines it fell back from still do not answer); joining the pieces
(`audio.mp3.join`) is a file copy. Times in a rendered piece are relative to its start.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from radio_gen import audio
from radio_gen.audio import loudness
from radio_gen.audio.cache import AudioCache, cache_key
from radio_gen.audio.clips import TUNES, find_clip, load_clip
from radio_gen.audio.encode import Mp3Encoder
from radio_gen.audio.mp3 import count_frames
from radio_gen.audio.pcm import decode_to_pcm
from radio_gen.config import StationConfig
from radio_gen.rundown import RundownEntry, SegmentKind
from radio_gen.script import Clip, Segment, Speech
from radio_gen.text import chunk
from radio_gen.tts.base import Engine
from radio_gen.tts.chain import AllEnginesFailed, EngineChain
from radio_gen.tts.roles import Announcers

#: Breath between two spoken paragraphs.
SPEECH_GAP_SECONDS = 0.35
#: Longest text given to an engine at once: bounds memory and spreads work over threads.
CHUNK_CHARS = 600
#: LAME's encoder delay plus the decoder's: where a piece's first sample is heard.
CODEC_DELAY_SAMPLES = 576 + 529
#: Short items share a piece up to about this much text (~3 min): every piece costs an
#: encoder start, every item in it a little re-encoding when a neighbour changes.
PIECE_CHARS = 2000


@dataclass(frozen=True)
class PlannedPiece:
    """Consecutive segments of one or a few items (or of the opening or closing), with their program index."""

    index: int
    segments: tuple[tuple[int, Segment], ...]

    @property
    def article_ids(self) -> tuple[str, ...]:
        """The news items spoken in this piece, in order (none for the opening and closing)."""
        return tuple(dict.fromkeys(s.article_id for _, s in self.segments
                                   if isinstance(s, Speech) and s.article_id is not None))


@dataclass(frozen=True)
class Chunk:
    """One run of speech leveled to the target: its PCM and figures, the engine and voice
    that spoke it, and the engines that failed before."""

    pcm: bytes
    figures: loudness.Figures
    engine: str
    voice: str
    failures: list[str]


@dataclass
class PieceRecord:
    """What the cache keeps beside a piece's MP3 (as JSON): its rundown entries, with indices
    relative to the piece (the same item may sit elsewhere in another program), its loudness
    blocks, its warnings, and per role the engines it fell back from."""

    seconds: float
    entries: list[RundownEntry]
    blocks: np.ndarray
    items: dict[str, np.ndarray]
    warnings: list[str] = field(default_factory=list)
    better: dict[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"seconds": self.seconds, "entries": [e.to_json(rounded=False) for e in self.entries],
                "blocks": loudness.compact_powers(self.blocks),
                "items": {item: loudness.compact_powers(p) for item, p in self.items.items()},
                "warnings": list(self.warnings), "better": self.better}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "PieceRecord":
        """A record read back; KeyError, TypeError, ValueError or AttributeError when it is not one."""
        better = data.get("better", {})
        return cls(float(data["seconds"]), [RundownEntry.from_json(e) for e in data["entries"]],
                   _powers(data["blocks"]), {item: _powers(p) for item, p in data["items"].items()},
                   list(data.get("warnings", [])), {str(role): list(names) for role, names in better.items()})


@dataclass
class RenderedPiece:
    mp3: Path
    seconds: float
    entries: list[RundownEntry]
    #: 100 ms K-weighted powers of everything in the piece, silences included, for program loudness.
    blocks: np.ndarray
    #: The powers of each news item's speech, for the item-to-item spread.
    items: dict[str, np.ndarray]
    warnings: list[str]
    from_cache: bool = False


def plan_pieces(segments: list[Segment], piece_chars: int = PIECE_CHARS) -> list[PlannedPiece]:
    """Cut the program where the item changes; short neighbouring items share a piece.

    A changed article then re-encodes its own piece only. Music and pauses stay with the
    item they follow; the opening and the closing are pieces of their own.
    """
    groups: list[list[tuple[int, Segment]]] = []
    speaking: str | None = None
    for index, segment in enumerate(segments):
        if not groups or (isinstance(segment, Speech) and segment.article_id != speaking):
            groups.append([])
        if isinstance(segment, Speech):
            speaking = segment.article_id
        groups[-1].append((index, segment))
    pieces: list[list[tuple[int, Segment]]] = []
    size = 0                                  # characters of spoken text in the last piece
    for group in groups:
        chars = sum(len(s.spoken or "") for _, s in group if isinstance(s, Speech))
        if _is_item(group) and pieces and _is_item(pieces[-1]) and size + chars <= piece_chars:
            pieces[-1].extend(group)
            size += chars
        else:
            pieces.append(list(group))
            size = chars
    return [PlannedPiece(i, tuple(piece)) for i, piece in enumerate(pieces)]


def _is_item(group: list[tuple[int, Segment]]) -> bool:
    """Whether a group opens with a news item's speech (not the opening or the closing)."""
    first = group[0][1]
    return isinstance(first, Speech) and first.article_id is not None


def speech_chunks(text: str, limit: int = CHUNK_CHARS) -> list[str]:
    """Whole sentences packed into runs of at most `limit` characters."""
    runs: list[str] = []
    for sentence in chunk(text, limit):
        if runs and len(runs[-1]) + 1 + len(sentence) <= limit:
            runs[-1] += " " + sentence
        else:
            runs.append(sentence)
    return runs or [text]


def worker_count(config: StationConfig) -> int:
    """`[audio] workers`, or one per CPU core (at most 4: beyond that the disk and the pipes wait)."""
    return config.audio.workers or max(1, min(4, os.cpu_count() or 1))


class Renderer:
    """Makes the pieces of one build; `render(pieces)` yields them in program order."""

    def __init__(self, config: StationConfig, announcers: Announcers, cache: AudioCache, workdir: Path,
                 titles: dict[str, str]) -> None:
        self.config, self.announcers, self.cache = config, announcers, cache
        self.workdir, self.titles = workdir, titles
        self.target = config.audio.target_lufs
        self.ceiling = config.audio.true_peak_db
        self.delay = CODEC_DELAY_SAMPLES / config.output.mp3.sample_rate
        self._clips: dict[str, loudness.Leveled] = {}
        self._clips_lock = threading.Lock()

    def render(self, pieces: list[PlannedPiece]) -> Iterator[RenderedPiece]:
        with ThreadPoolExecutor(max_workers=worker_count(self.config), thread_name_prefix="piece") as pool:
            futures = [pool.submit(self.render_piece, piece) for piece in pieces]
            try:
                for future in futures:
                    yield future.result()
            finally:
                for future in futures:
                    future.cancel()

    # --- one piece ------------------------------------------------------------------------

    def piece_key(self, piece: PlannedPiece) -> str:
        parts: list[Any] = [asdict(self.config.output.mp3), self.target, self.ceiling, SPEECH_GAP_SECONDS, CHUNK_CHARS]
        for _, segment in piece.segments:
            if isinstance(segment, Speech):
                chain = self.announcers.chain_for(segment)
                parts.append(["speech", chain.voices, self.announcers.role_of(segment), segment.spoken,
                              segment.article_id, self.titles.get(segment.article_id or "")])
            elif isinstance(segment, Clip):
                parts.append(["clip", segment.name, self._clip_identity(segment.name)])
            else:
                parts.append(["pause", segment.seconds])
        return cache_key("piece", parts)

    def render_piece(self, piece: PlannedPiece) -> RenderedPiece:
        key = self.piece_key(piece)
        mp3 = self.workdir / f"piece{piece.index:04d}.mp3"
        first = piece.segments[0][0]
        cached = self.cache.get_piece(key)
        record = None
        if cached is not None:
            try:
                record = PieceRecord.from_json(cached.meta)
            except (KeyError, TypeError, ValueError, AttributeError):
                self.cache.discard_piece(key)   # rundown data damaged: the piece is made again
        if cached is not None and record is not None and not self._better_answers(record) \
                and _link_or_copy(cached.mp3, mp3):
            for entry in record.entries:
                entry.index += first
            return RenderedPiece(mp3, record.seconds, record.entries, record.blocks, record.items,
                                 record.warnings, from_cache=True)
        entries: list[RundownEntry] = []
        blocks: list[np.ndarray] = []
        items: dict[str, list[np.ndarray]] = {}
        warnings: list[str] = []
        skipped = 0   # warnings that mean something is missing from the piece (then it is not kept)
        with Mp3Encoder(mp3, self.config.output.mp3) as encoder:
            for index, segment in piece.segments:
                start = audio.seconds(encoder.written)
                entry = RundownEntry(index=index, kind=SegmentKind(type(segment).__name__.lower()), start=start,
                                     end=start)
                if isinstance(segment, Speech):
                    before = len(warnings)
                    spoken = self._speech(segment, entry, encoder, warnings) if segment.spoken else None
                    skipped += sum("skipped" in w for w in warnings[before:])
                    if spoken is None:
                        continue
                    blocks.extend(spoken)
                    if segment.article_id is not None:
                        items.setdefault(segment.article_id, []).extend(spoken)
                elif isinstance(segment, Clip):
                    entry.clip = segment.name
                    try:
                        leveled = self._leveled_clip(segment.name)
                    except audio.AudioError as exc:
                        warnings.append(f"clip '{segment.name}' skipped: {exc}")
                        skipped += 1
                        continue
                    _figures(entry, leveled.measured_lufs, leveled.gain_db, leveled.blocks, leveled.true_peak_db)
                    blocks.append(leveled.blocks)
                    encoder.write(leveled.pcm)
                    entry.end = audio.seconds(encoder.written)
                else:
                    encoder.write(audio.silence(segment.seconds))
                    blocks.append(loudness.silence_powers(segment.seconds))
                    entry.end = audio.seconds(encoder.written)
                entries.append(entry)
            if encoder.written == 0:
                encoder.write(audio.silence(0.1))   # an empty piece still has to be a valid stream
        seconds = count_frames(mp3).seconds
        for entry in entries:
            entry.start, entry.end = entry.start + self.delay, entry.end + self.delay
        all_blocks = np.concatenate(blocks) if blocks else np.zeros(0)
        item_blocks = {item: np.concatenate(parts) for item, parts in items.items()}
        if not skipped:
            # A piece spoken by fallback engines is kept with the engines it fell back from:
            # it is used again only while none of them answers (see `_better_answers`).
            relative = [replace(e, index=e.index - first) for e in entries]
            record = PieceRecord(seconds, relative, all_blocks, item_blocks, warnings, self._better_engines(entries))
            self.cache.put_piece(key, mp3, record.to_json())
        return RenderedPiece(mp3, seconds, entries, all_blocks, item_blocks, warnings)

    def _better_engines(self, entries: list[RundownEntry]) -> dict[str, list[str]]:
        """Per role ("" for none), the engines ahead of the one that spoke, for speech not spoken by the first."""
        better: dict[str, list[str]] = {}
        for entry in entries:
            if entry.kind != SegmentKind.SPEECH or entry.engine is None:
                continue
            names = [e.name for e in self.announcers.chain_for_role(entry.role).engines]
            ahead = names[: names.index(entry.engine)] if entry.engine in names else []
            known = better.setdefault(entry.role or "", [])
            known.extend(n for n in ahead if n not in known)
        return {role: names for role, names in better.items() if names}

    def _better_answers(self, record: PieceRecord) -> bool:
        """Whether an engine a cached piece fell back from answers now (each probed once per build)."""
        for role, names in record.better.items():
            chain = self.announcers.chain_for_role(role or None)
            if any(chain.answers(name, self.workdir) for name in names):
                return True
        return False

    def _speech(self, segment: Speech, entry: RundownEntry, encoder: Mp3Encoder,
                warnings: list[str]) -> tuple[np.ndarray, np.ndarray] | None:
        """Speak one segment chunk by chunk into the encoder: its powers and its gap's; None if nothing was spoken."""
        chain = self.announcers.chain_for(segment)
        text = segment.spoken or ""
        entry.text, entry.article_id = text, segment.article_id
        entry.article_title = self.titles.get(segment.article_id or "")
        entry.role = self.announcers.role_of(segment)
        gains: list[float] = []
        measured: list[float | None] = []
        mine: list[np.ndarray] = []
        peaks: list[float] = []
        spoken_any = False
        for number, part in enumerate(speech_chunks(text)):
            try:
                chunk = self.speak_chunk(chain, part, f"s{entry.index:04d}c{number:03d}")
            except (AllEnginesFailed, audio.AudioError) as exc:
                what = "segment" if not spoken_any else "the rest of segment"
                warnings.append(f"{what} {entry.index} skipped (no engine could speak it): {exc}")
                break
            if not spoken_any:
                entry.engine, entry.voice = chunk.engine, chunk.voice
            entry.fallbacks.extend(f for f in chunk.failures if f not in entry.fallbacks)
            if chunk.failures:
                warnings.append(f"segment {entry.index}: fell back to {chunk.engine} after: "
                                + "; ".join(chunk.failures))
            spoken_any = True
            encoder.write(chunk.pcm)
            mine.append(chunk.figures.blocks)
            gains.append(chunk.figures.gain_db)
            measured.append(chunk.figures.measured_lufs)
            if chunk.figures.true_peak_db is not None:
                peaks.append(chunk.figures.true_peak_db)
        if not spoken_any:
            return None
        entry.end = audio.seconds(encoder.written)
        encoder.write(audio.silence(SPEECH_GAP_SECONDS))
        segment_blocks = np.concatenate(mine)
        gain = sum(gains) / len(gains)
        _figures(entry, measured[0], gain, segment_blocks, max(peaks) if peaks else None)
        if len(measured) > 1 and entry.lufs is not None:
            # Chunks were leveled one by one: "measured" is what the whole would have read before the mean gain.
            entry.measured_lufs = round(entry.lufs - gain, 2)
        return segment_blocks, loudness.silence_powers(SPEECH_GAP_SECONDS)

    def speak_chunk(self, chain: EngineChain, text: str, stem: str) -> Chunk:
        """One chunk leveled: from the cache for the first engine that has it, else spoken and cached.

        The build's path for every chunk, and the newsroom's for one sentence (`listen`).
        """
        def key(voice: str) -> str:
            return cache_key("pcm", voice, text, audio.SAMPLE_RATE, self.target, self.ceiling)

        found: list[loudness.Figures] = []

        def lookup(engine: Engine) -> bytes | None:
            hit = self.cache.get_segment(key(engine.voice_id))
            if hit is None:
                return None
            found.append(hit[1])
            return hit[0]

        spoken = chain.speak(text, self.workdir, stem, cached=lookup,
                             has=lambda engine: self.cache.has_segment(key(engine.voice_id)))
        if spoken.cached is not None:
            return Chunk(spoken.cached, found[-1], spoken.engine, spoken.voice, spoken.failures)
        assert spoken.path is not None
        try:
            leveled = loudness.level(decode_to_pcm(spoken.path), self.target, self.ceiling)
        finally:
            spoken.path.unlink(missing_ok=True)
        figures = loudness.Figures.of(leveled)
        self.cache.put_segment(key(spoken.voice), leveled.pcm, figures)
        return Chunk(leveled.pcm, figures, spoken.engine, spoken.voice, spoken.failures)

    def _leveled_clip(self, name: str) -> loudness.Leveled:
        """A clip brought to the target once per build: the stinger plays before every item."""
        with self._clips_lock:
            if name not in self._clips:
                self._clips[name] = loudness.level(load_clip(name, self.config.clips_dir), self.target, self.ceiling)
            return self._clips[name]

    def _clip_identity(self, name: str) -> list[Any]:
        """What a clip's audio depends on: the station's file as it is now, or the built-in tune."""
        own = find_clip(name, self.config.clips_dir)
        if own is None:
            return ["builtin", TUNES.get(name)]
        info = own.stat()
        return [str(own), info.st_size, info.st_mtime_ns]


def _powers(stored: list[float]) -> np.ndarray:
    return np.array(stored, dtype=np.float64)


def _link_or_copy(source: Path, dest: Path) -> bool:
    """The cached piece, out of reach of a cache trim by another build while this one joins."""
    try:
        try:
            os.link(source, dest)
        except OSError:
            shutil.copyfile(source, dest)
    except OSError:
        return False
    return True


def _figures(entry: RundownEntry, measured: float | None, gain: float | None, blocks: np.ndarray,
             peak: float | None) -> None:
    entry.measured_lufs = loudness.figure(measured)
    entry.gain_db = loudness.figure(gain)
    entry.lufs = loudness.figure(loudness.integrated(blocks))
    entry.true_peak_db = loudness.figure(peak)
