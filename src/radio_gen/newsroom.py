"""What the newsroom shows, as library data: the day's board, one program, the [web] settings.

The web pages are views of these values (and `doctor` checks the settings), so
nothing the station sees in a browser is computed in a request handler.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import socket
import threading
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from radio_gen.approval import Approvals, Decision, SlotApproval, content_hash, slot_status
from radio_gen.config import StationConfig
from radio_gen.programs import WEEKDAYS, ProgramConfig
from radio_gen.history import ABANDONED, FAILED, MISSED, RUNNING, History, Run, pid_alive
from radio_gen.locks import holder_pid, is_locked, scheduler_lock_path
from radio_gen.publish import ProgramPaths, program_paths
from radio_gen.rundown import Rundown
from radio_gen.newsroom_settings import ApprovalSettings
from radio_gen.text import split_sentences
from radio_gen.timetable import airs_next_day, occurrence_on

log = logging.getLogger(__name__)


class SlotState(StrEnum):
    """A program's state on the newsroom's day board, in the order a day goes."""

    WAITING = "waiting"
    BUILDING = "building"
    AWAITING = "awaiting"
    HELD = "held"
    APPROVED = "approved"
    ON_AIR = "on_air"
    NO_NEWS = "no_news"
    FAILED = "failed"


WAITING, BUILDING, AWAITING, HELD, APPROVED, ON_AIR, NO_NEWS, FAILED_STATE = STATES = tuple(SlotState)
# -- rundowns ---------------------------------------------------------------------------
_rundowns: dict[str, tuple[tuple[int, int], Rundown]] = {}
_rundowns_lock = threading.Lock()


def read_rundown(path: Path) -> Rundown | None:
    """A program's rundown, parsed once per version of the file; None if missing or unreadable
    (logged: a program whose rundown cannot be read shows as not built)."""
    try:
        info = path.stat()
        stamp = (info.st_mtime_ns, info.st_size)
        with _rundowns_lock:
            known = _rundowns.get(str(path))
            if known and known[0] == stamp:
                return known[1]
        rundown = Rundown.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("%s: not a readable rundown (%s: %s)", path, type(exc).__name__, exc)
        return None
    with _rundowns_lock:
        if len(_rundowns) > 512:
            _rundowns.clear()
        _rundowns[str(path)] = (stamp, rundown)
    return rundown


# -- the board --------------------------------------------------------------------------
@dataclass
class Slot:
    """One program on one date, as the station sees it."""

    program: ProgramConfig
    date: dt.date
    build_at: dt.datetime
    broadcast_at: dt.datetime
    state: str
    paths: ProgramPaths
    rundown: Rundown | None = None
    approval: SlotApproval | None = None
    run: Run | None = None
    deadline: dt.datetime | None = None

    @property
    def built_at(self) -> str | None:
        return self.rundown.built_at if self.rundown else None

    @property
    def duration(self) -> float | None:
        return self.rundown.duration if self.rundown else None

    @property
    def items(self) -> int | None:
        return len(self.rundown.articles) if self.rundown else None

    @property
    def warnings(self) -> list[str]:
        return list(self.rundown.warnings) if self.rundown else []

    @property
    def fallbacks(self) -> int:
        """Segments spoken by a fallback voice."""
        return sum(1 for s in self.rundown.segments if s.fallbacks) if self.rundown else 0

    @property
    def failed_sources(self) -> list[str]:
        return self.rundown.failed_sources if self.rundown else []


@dataclass
class Board:
    now: dt.datetime
    slots: list[Slot]
    scheduler: str                      # running, stopped, unknown
    scheduler_pid: int | None
    runs: list[Run]
    decisions: list[Decision]
    alerts: list[tuple[str, dict[str, str]]]
    approval: ApprovalSettings
    journal: list[Any] = field(default_factory=list)


class Station:
    """One station's stores, opened once for a long-running server."""

    def __init__(self, config: StationConfig) -> None:
        self.config = config
        self.history = History(config.store_path)
        self.approvals = Approvals(config.store_path)
        self.approval = config.approval
        self.web = config.web

    def airs_on(self, program: ProgramConfig, day: dt.date) -> bool:
        return WEEKDAYS[day.weekday()] in program.weekdays

    def slot(self, program: ProgramConfig, day: dt.date, runs: list[Run] | None = None) -> Slot:
        tz = self.config.tz
        occurrence = occurrence_on(program, day - dt.timedelta(days=1) if airs_next_day(program) else day, tz)
        paths = program_paths(self.config.output.dir, day, program.id)
        if runs is None:
            runs = self.history.last_runs(program.id, 20)
        mine = [r for r in runs if r.program == program.id and r.broadcast is not None
                and r.broadcast.astimezone(tz).date() == day]
        run = mine[0] if mine else None
        rundown = read_rundown(paths.rundown)
        approval = slot_status(self.config, self.approvals, program.id, day) if rundown is not None else None
        slot = Slot(program, day, occurrence.build_at, occurrence.broadcast_at, WAITING, paths, rundown, approval,
                    run, occurrence.broadcast_at - dt.timedelta(minutes=self.approval.approve_by_minutes)
                    if self.approval.required else None)
        slot.state = self._state(slot)
        return slot

    def _state(self, slot: Slot) -> str:
        run, approval = slot.run, slot.approval
        if run is not None and run.outcome == RUNNING and pid_alive(run.pid):
            return BUILDING
        if slot.rundown is None:
            return FAILED_STATE if run is not None and run.outcome in (FAILED, ABANDONED, MISSED) else WAITING
        if not slot.rundown.articles:
            return NO_NEWS
        if not self.approval.required or approval is None:
            return ON_AIR
        if approval.published:
            return ON_AIR
        if approval.approved:
            return APPROVED
        return HELD if approval.held else AWAITING

    def board(self, now: dt.datetime, journal: list[Any] | None = None) -> Board:
        tz = self.config.tz
        today = now.astimezone(tz).date()
        runs = self.history.last_runs(None, 10)
        slots = []
        for day in (today, today + dt.timedelta(days=1)):
            for program in self.config.programs:
                if self.airs_on(program, day):
                    slots.append(self.slot(program, day, self.history.last_runs(program.id, 20)))
        lock = scheduler_lock_path(self.config.station_dir)
        locked = is_locked(lock)
        scheduler = "running" if locked else ("unknown" if locked is None else "stopped")
        decisions = self.approvals.recent(10)
        alerts: list[tuple[str, dict[str, str]]] = []
        if scheduler != "running":
            alerts.append(("scheduler_down", {}))
        for slot in slots:
            if slot.state == FAILED_STATE and slot.run is not None:
                alerts.append(("build_failed", {"program": slot.program.title, "error": slot.run.error or ""}))
            if slot.state == AWAITING and slot.deadline is not None and now >= slot.deadline - dt.timedelta(hours=1):
                alerts.append(("approve_soon", {"program": slot.program.title, "deadline": f"{slot.deadline:%H:%M}"}))
            if slot.failed_sources:
                alerts.append(("sources_failed", {"program": slot.program.title,
                                                  "sources": ", ".join(slot.failed_sources)}))
        titles = {p.id: p.title for p in self.config.programs}
        for decision in decisions:
            if decision.decision.startswith("deadline") and decision.date >= today - dt.timedelta(days=1):
                alerts.append((decision.decision, {"program": titles.get(decision.program, decision.program),
                                                   "date": f"{decision.date:%d/%m/%Y}"}))
        return Board(now, slots, scheduler, holder_pid(lock) if locked else None, runs, decisions, alerts,
                     self.approval, journal or [])


# -- one program ------------------------------------------------------------------------
@dataclass(frozen=True)
class Line:
    """One segment of the rundown, with its sentences for the play buttons."""

    index: int
    kind: str
    start: float
    end: float
    role: str | None
    voice: str | None
    title: str | None
    clip: str | None
    sentences: tuple[str, ...]
    fallbacks: tuple[str, ...]


def lines(rundown: Rundown) -> list[Line]:
    return [Line(seg.index, seg.kind.value, seg.start, seg.end, seg.role, seg.voice, seg.article_title, seg.clip,
                 tuple(split_sentences(seg.text)) if seg.text else (), tuple(seg.fallbacks))
            for seg in rundown.segments]


def sentence(rundown: Rundown, index: int, number: int) -> tuple[str, str | None] | None:
    """The spoken text and announcer of sentence `number` of segment `index`, if there is one."""
    for line in lines(rundown):
        if line.index == index and 0 <= number < len(line.sentences):
            return line.sentences[number], line.role
    return None


# -- doctor -----------------------------------------------------------------------------
def web_check(config: StationConfig) -> tuple[bool, str]:
    """Whether the newsroom can start (or already runs) at its address, and who can log in."""
    from radio_gen.users import UserError, Users

    web = config.web
    where = f"http://{web.host}:{web.port}/"
    try:
        users = Users(config.store_path).all()
    except UserError as exc:
        return False, f"{where}: {exc}"
    admins = sum(u.role == "admin" for u in users)
    who = (f"{len(users)} user(s), {admins} admin(s)" if users
           else "no users yet: radio-gen users add NAME --role admin")
    with socket.socket(socket.AF_INET6 if ":" in web.host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        in_use = probe.connect_ex((web.host, web.port)) == 0
    if in_use:
        return True, f"{where} answers (radio-gen serve running?); {who}"
    try:
        with socket.socket(socket.AF_INET6 if ":" in web.host else socket.AF_INET, socket.SOCK_STREAM) as bind:
            bind.bind((web.host, web.port))
    except OSError as exc:
        return False, f"{where}: cannot listen there ({exc.strerror}): change [web] host/port"
    return True, f"{where} free for `radio-gen serve`; {who}"


# -- delivery ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Episode:
    """One dated program a loudspeaker or podcast player may fetch."""

    program: str
    date: dt.date
    mp3: Path
    size: int
    hash: str
    title: str
    duration: float | None
    built_at: str | None


def released(station: Station, program: str, day: dt.date) -> Episode | None:
    """The program of `day` if listeners may have it: built, and approved when approval is required."""
    config = station.config
    paths = program_paths(config.output.dir, day, program)
    digest = content_hash(paths.mp3)
    if digest is None:
        return None
    if station.approval.required and not station.approvals.released(program, day, digest):
        return None
    rundown = read_rundown(paths.rundown)
    title = rundown.title if rundown and rundown.title else config.program(program).title
    return Episode(program, day, paths.mp3, paths.mp3.stat().st_size, digest, f"{title} – {day:%d/%m/%Y}",
                   rundown.duration if rundown else None, rundown.built_at if rundown else None)


def episodes(station: Station, program: str, today: dt.date, days: int) -> list[Episode]:
    """Released programs of the last `days` days up to `today`, newest first."""
    found = []
    for back in range(days):
        episode = released(station, program, today - dt.timedelta(days=back))
        if episode is not None:
            found.append(episode)
    return found
