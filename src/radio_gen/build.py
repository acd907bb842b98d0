"""One build: articles → script → speakable text → speech → one MP3 with a rundown.

Each stage hands typed values to the next: speech segments that carry their spoken
text, planned and rendered pieces, a `Rundown`. Anything broken is skipped and recorded in
the warnings, so a program airs whenever at least some speech could be produced; the
published paths only ever see complete files.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from radio_gen import clock
from radio_gen.approval import holds_back
from radio_gen.audio import loudness
from radio_gen.audio.cache import AudioCache
from radio_gen.audio.mp3 import join
from radio_gen.config import StationConfig
from radio_gen.programs import WEEKDAYS, ProgramConfig
from radio_gen.errors import RadioGenError
from radio_gen.history import DEGRADED, OK, Outcome
from radio_gen.intake.articles import Article
from radio_gen.intake.pipeline import collect, folder_sources, policy
from radio_gen.intake.selection import select_articles
from radio_gen.intake.store import Store, StoreError
from radio_gen.publish import (ProgramPaths, Publication, program_paths, remove_dead_work_folders,
                               remove_stale_partials, remove_unused, work_prefix)
from radio_gen.render import PlannedPiece, Renderer, plan_pieces, worker_count
from radio_gen.rundown import (ArticleLine, LoudnessReport, RenderReport, Rundown, RundownEntry, SegmentKind,
                               SourceLine)
from radio_gen.script import Clip, Pause, Script, Speech, compose_script
from radio_gen.pronunciation import load_lexicon
from radio_gen.text import normalize
from radio_gen.tts.roles import Announcers

log = logging.getLogger(__name__)


class BuildError(RadioGenError):
    """No program could be produced; nothing was published."""


@dataclass(frozen=True)
class BuildRequest:
    """What to build; None means the station's default."""

    program_id: str | None = None
    date: dt.date | None = None
    articles_dirs: tuple[Path, ...] | None = None
    out_dir: Path | None = None
    engines: tuple[str, ...] | None = None


@dataclass
class Prepared:
    """A script whose speech segments carry their spoken text, before any audio."""

    station: StationConfig
    program: ProgramConfig
    date: dt.date
    script: Script
    warnings: list[str]
    #: How each source was read (None: ad hoc folders from --articles, no store).
    sources: list[SourceLine] | None = None


@dataclass
class BuildResult:
    paths: ProgramPaths
    duration: float
    rundown: Rundown
    warnings: list[str]
    #: OK, or DEGRADED when the program has no news item (identification and notices only).
    outcome: Outcome = OK
    #: Whether `latest/` now plays this program (see `latest_decision`).
    latest: bool = True
    #: [approval] required: the program may go to latest/, but only once an approver approves it.
    awaits_approval: bool = False
    #: Every speech segment was spoken by a fallback engine, none by its announcer's first one.
    fallback_only: bool = False
    failed_sources: list[str] = field(default_factory=list)


def next_broadcast_date(config: StationConfig, program: ProgramConfig) -> dt.date:
    """The date of the program's next broadcast from now (today's if it has not aired yet)."""
    now = clock.now(config.tz)
    for ahead in range(8):
        day = now.date() + dt.timedelta(days=ahead)
        if WEEKDAYS[day.weekday()] in program.weekdays and \
                dt.datetime.combine(day, program.broadcast, tzinfo=config.tz) > now:
            return day
    return now.date()


def latest_decision(config: StationConfig, program: ProgramConfig, date: dt.date,
                    degraded: bool) -> str | None:
    """None when this program may replace `latest/<program>.mp3`, else why not.

    Only today's program or the next one to air may: a program built ahead for a later
    date, or an old one rebuilt, must not replace what the loudspeakers play next.
    """
    today, upcoming = config.today(), next_broadcast_date(config, program)
    if date not in (today, upcoming):
        return (f"{date} is neither today ({today}) nor the next broadcast date ({upcoming}): "
                f"latest/{program.id}.mp3 is unchanged; the program is in its date folder")
    if degraded and not config.output.publish_degraded:
        return (f"the program has no news item and [output] publish_degraded = false: "
                f"latest/{program.id}.mp3 is unchanged; the program is in its date folder")
    return None


def prepare(config: StationConfig, request: BuildRequest) -> Prepared:
    """Collect, select, render and normalize: everything `radio-gen script` shows."""
    program = config.program(request.program_id)
    date = request.date or config.today()
    if request.articles_dirs:
        chosen, warnings, sources = _from_folders(config, program, date, request.articles_dirs)
    else:
        chosen, warnings, sources = _from_store(config, program, date)
    if not chosen:
        warnings.append("no usable article: the program has only its opening and closing")
    script = compose_script(config, program, date, chosen)
    lexicon, problems = load_lexicon(config)
    warnings.extend(problems)
    speech = config.speech
    script = replace(script, segments=[
        replace(s, spoken=normalize(s.text, dialect=speech.dialect, lexicon=lexicon, mung=speech.mung,
                                    read_addresses=speech.read_addresses)) if isinstance(s, Speech) else s
        for s in script.segments])
    return Prepared(config, program, date, script, warnings, sources)


def _from_store(config: StationConfig, program: ProgramConfig,
                date: dt.date) -> tuple[list[Article], list[str], list[SourceLine] | None]:
    """Collect every source into the station's store, then select from what it remembers."""
    try:
        with Store.open(config.store_path) as store:
            return _collect_and_select(config, program, date, store)
    except StoreError as exc:
        # The program still airs: from the folders alone, without memory of what aired.
        with Store.in_memory() as store:
            chosen, warnings, _ = _collect_and_select(config, program, date, store, web=False)
        return chosen, [f"{exc}: this program uses only the folders and may repeat earlier news", *warnings], []


def _from_folders(config: StationConfig, program: ProgramConfig, date: dt.date,
                  folders: tuple[Path, ...]) -> tuple[list[Article], list[str], None]:
    """`build --articles`: the named folders through the same intake and selection, into a store
    that lasts for this build only (the station's memory of what aired is neither read nor changed).

    The operator named the folders for this program: files are read however recently saved,
    and none is too old or too new for the date (see `Policy.check_dates`).
    """
    with Store.in_memory() as store:
        chosen, warnings, _ = _collect_and_select(config, program, date, store, sources=folder_sources(folders),
                                                  stable_seconds=0.0, check_dates=False)
    return chosen, warnings, None


def _collect_and_select(config: StationConfig, program: ProgramConfig, date: dt.date, store: Store, *,
                        check_dates: bool = True,
                        **collecting: Any) -> tuple[list[Article], list[str], list[SourceLine]]:
    intake = collect(config, store, today=date, **collecting)
    selection = select_articles(store.articles(), replace(policy(config, program, date), check_dates=check_dates))
    warnings = list(intake.warnings)
    warnings.extend(f"skipped {e.article.location}: {e.reason}" for e in selection.excluded if e.warn)
    return selection.chosen, warnings, [r.line() for r in intake.reports]


def record_broadcast(prepared: Prepared) -> str | None:
    """Remember what a published program read, so the next one does not repeat it."""
    if prepared.sources is None:
        return None
    try:
        with Store.open(prepared.station.store_path) as store:
            store.record_broadcast(prepared.program.id, prepared.date, [a.id for a in prepared.script.articles])
    except StoreError as exc:
        return f"what this program broadcast was not recorded (the next one may repeat it): {exc}"
    return None


def spoken_script(prepared: Prepared) -> str:
    """The script as it will be spoken, one paragraph per speech segment."""
    lines = []
    for segment in prepared.script.segments:
        if isinstance(segment, Clip):
            lines.append(f"[nhạc: {segment.name}]")
        elif isinstance(segment, Pause):
            lines.append(f"[nghỉ {segment.seconds:g} giây]")
        elif segment.spoken:
            lines.append(segment.spoken)
    return "\n\n".join(lines) + "\n"


def build(config: StationConfig, request: BuildRequest) -> BuildResult:
    """Build and publish one program; BuildError when nothing could be produced."""
    began = time.monotonic()
    prepared = prepare(config, request)
    engine_names = request.engines or config.speech.engines
    announcers = Announcers(config, request.engines)
    out_dir = request.out_dir or config.output.dir
    paths = program_paths(out_dir, prepared.date, prepared.program.id)
    titles = {a.id: a.title for a in prepared.script.articles}
    tags = {
        "title": f"Chương trình phát thanh ngày {prepared.date:%d/%m/%Y} – {prepared.program.title}",
        "artist": config.name,
        "album": prepared.program.title,
        "date": prepared.date.isoformat(),
        "genre": "Speech",
    }
    warnings = prepared.warnings
    degraded = not prepared.script.articles
    not_latest = latest_decision(config, prepared.program, prepared.date, degraded)
    if not_latest:
        warnings.append(not_latest)
    waits = not_latest is None and holds_back(config)  # [approval] required: latest/ waits for an approver
    cache = AudioCache.of_station(config)
    pieces = plan_pieces(prepared.script.segments)
    _remove_leftovers(out_dir, paths)
    on_latest = not_latest is None and not waits
    with Publication(out_dir, prepared.date, prepared.program.id, latest=on_latest) as publication:
        with tempfile.TemporaryDirectory(prefix=work_prefix()) as work:
            renderer = Renderer(config, announcers, cache, Path(work), titles)
            assembly = _assemble(renderer, pieces, announcers, began)
            warnings.extend(assembly.warnings)
            if not any(e.kind == SegmentKind.SPEECH for e in assembly.entries):
                raise BuildError("no speech could be synthesized by any engine "
                                 f"({', '.join(engine_names)}); run `radio-gen doctor`")
            join(assembly.files, publication.mp3, tags)
        for off in announcers.disabled():
            warnings.append(f"engine {off.engine}{f' (announcer {off.role})' if off.role else ''} "
                            f"was switched off for this build: {off.reason}")
        cache.trim()
        warnings.extend(cache.stats.problems)
        render = RenderReport(
            pieces=len(pieces), pieces_from_cache=assembly.pieces_from_cache,
            engine_calls=announcers.engine_calls, engine_probes=sum(c.probes for c in announcers.chains.values()),
            cache_hits=cache.stats.hits, cache_damaged=cache.stats.corrupt, cache_evicted=cache.stats.evicted,
            workers=worker_count(config), seconds=round(time.monotonic() - began, 2))
        rundown = _rundown(prepared, paths, assembly, list(warnings), DEGRADED if degraded else OK, on_latest,
                           _loudness_report(config, assembly), render)
        publication.write_text(publication.rundown,
                               json.dumps(rundown.to_json(), ensure_ascii=False, indent=2) + "\n")
        publication.write_text(publication.script, spoken_script(prepared))
        warnings.extend(publication.commit())
    problem = record_broadcast(prepared)
    if problem:
        warnings.append(problem)
    for warning in warnings:
        log.warning(warning)
    return BuildResult(paths, assembly.duration, rundown, warnings, outcome=DEGRADED if degraded else OK,
                       latest=on_latest, awaits_approval=waits,
                       fallback_only=_fallback_only(assembly.entries, announcers),
                       failed_sources=rundown.failed_sources)


def _remove_leftovers(out_dir: Path, paths: ProgramPaths) -> None:
    """What killed builds left: unpublished build folders, work folders, partial files of older versions."""
    program_id = paths.mp3.stem
    removed = remove_unused(out_dir, program_id) + remove_dead_work_folders()
    for final in (paths.mp3, paths.rundown, paths.script, paths.latest):
        removed += remove_stale_partials(final)
    for path in removed:
        log.info("removed %s, left by an interrupted build", path)


def _fallback_only(entries: list[RundownEntry], announcers: Announcers) -> bool:
    """Whether no speech segment was spoken by its announcer's first engine (chains of one engine aside)."""
    spoken = [e for e in entries if e.kind == SegmentKind.SPEECH]
    preferred = [announcers.chain_for_role(e.role).engines for e in spoken]
    return bool(spoken) and all(len(chain) > 1 and e.engine != chain[0].name for e, chain in zip(spoken, preferred))


@dataclass
class Assembly:
    """The rendered pieces laid end to end: their files, the rundown entries, loudness blocks."""

    files: list[Path] = field(default_factory=list)
    entries: list[RundownEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    duration: float = 0.0
    pieces_from_cache: int = 0
    blocks: list[np.ndarray] = field(default_factory=list)
    #: Block powers per news item, for the item-to-item loudness spread.
    items: dict[str, list[np.ndarray]] = field(default_factory=dict)


def _assemble(renderer: Renderer, pieces: list[PlannedPiece], announcers: Announcers, began: float) -> Assembly:
    assembly = Assembly()
    log.info("rendering %d piece(s) on %d worker(s)", len(pieces), worker_count(renderer.config))
    for done, piece in enumerate(renderer.render(pieces), start=1):
        log.info("piece %d of %d done%s: %d engine call(s) so far, %.1f s elapsed", done, len(pieces),
                 " (from the cache)" if piece.from_cache else "", announcers.engine_calls,
                 time.monotonic() - began)
        for entry in piece.entries:
            entry.start += assembly.duration
            entry.end += assembly.duration
        assembly.entries.extend(piece.entries)
        assembly.warnings.extend(piece.warnings)
        assembly.files.append(piece.mp3)
        assembly.duration += piece.seconds
        assembly.pieces_from_cache += piece.from_cache
        assembly.blocks.append(piece.blocks)
        for item, powers in piece.items.items():
            assembly.items.setdefault(item, []).append(powers)
    return assembly


def _loudness_report(config: StationConfig, assembly: Assembly) -> LoudnessReport:
    """What the program measures (on its PCM, before MP3 encoding) against the station's targets."""
    def measure(blocks: list[np.ndarray]) -> float | None:
        return loudness.figure(loudness.integrated(np.concatenate(blocks)) if blocks else None)

    items = {item: measure(blocks) for item, blocks in assembly.items.items()}
    levels = [v for v in items.values() if v is not None]
    peaks = [e.true_peak_db for e in assembly.entries if e.true_peak_db is not None]
    return LoudnessReport(
        target_lufs=config.audio.target_lufs,
        true_peak_target_db=config.audio.true_peak_db,
        integrated_lufs=measure(assembly.blocks),
        true_peak_db=max(peaks) if peaks else None,
        items_lufs=items,
        item_spread_lu=round(max(levels) - min(levels), 2) if levels else 0.0,
    )


def _rundown(prepared: Prepared, paths: ProgramPaths, assembly: Assembly, warnings: list[str], outcome: Outcome,
             latest: bool, loudness_report: LoudnessReport, render: RenderReport) -> Rundown:
    return Rundown(
        station=prepared.station.name,
        program=prepared.program.id,
        title=prepared.program.title,
        date=prepared.date,
        built_at=clock.now(prepared.station.tz).isoformat(timespec="seconds"),
        mp3=str(paths.mp3),
        duration=assembly.duration,
        articles=[ArticleLine(a.id, a.title, a.source, a.location) for a in prepared.script.articles],
        segments=assembly.entries,
        warnings=warnings,
        sources=prepared.sources or [],
        outcome=outcome,
        latest=latest,
        loudness=loudness_report,
        render=render,
    )
