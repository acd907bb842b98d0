"""Retention: date folders older than `[output] keep_days` are removed by the daemon.

Never today's or a later one, never the folder whose program is on latest/, and never
one holding a program that still waits for approval: an unheard program is evidence.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from pathlib import Path

from radio_gen.approval import (
    APPROVED,
    DEADLINE_KEPT,
    DEADLINE_PUBLISHED,
    Approvals,
    content_hash,
    enforce_deadlines,
)
from radio_gen.config import StationConfig
from radio_gen.errors import RadioGenError
from radio_gen.publish import PublishError, retire

log = logging.getLogger(__name__)


def keep_days(config: StationConfig) -> int:
    """`[output] keep_days`: 0 keeps every folder."""
    return config.output.keep_days


def prune(config: StationConfig, today: dt.date) -> list[Path]:
    """Remove the date folders past retention; returns what was removed."""
    days = keep_days(config)
    if days == 0 or not config.output.dir.is_dir():
        return []
    cutoff = today - dt.timedelta(days=days)
    on_air = {content_hash(p) for p in (config.output.dir / "latest").glob("*.mp3")}
    approvals = Approvals(config.store_path) if config.approval.required else None
    removed = []
    for folder in sorted(config.output.dir.iterdir()):
        try:
            day = dt.date.fromisoformat(folder.name)
        except ValueError:
            continue
        if day >= cutoff or day >= today or folder.is_symlink() or not folder.is_dir():
            continue
        programs = list(folder.glob("*.mp3"))
        if any(content_hash(p) in on_air for p in programs):
            continue
        if approvals is not None and any(_waiting(approvals, p.stem, day, p) for p in programs):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        for mp3 in programs:
            try:
                retire(config.output.dir, mp3.stem, day)
            except PublishError as exc:
                log.warning("retention: %s", exc)
        log.info("retention: removed %s (older than %d days)", folder, days)
        removed.append(folder)
    return removed


def _waiting(approvals: Approvals, program: str, day: dt.date, mp3: Path) -> bool:
    digest = content_hash(mp3)
    decided = {d.hash for d in approvals.for_slot(program, day)
               if d.decision in (APPROVED, DEADLINE_PUBLISHED, DEADLINE_KEPT)}
    return digest not in decided


class Housekeeping:
    """What the daemon (and the newsroom server) do between builds.

    Approval deadlines at every tick; retention once an hour. A problem is logged and
    never stops the caller: builds come first.
    """

    PRUNE_EVERY = dt.timedelta(hours=1)

    def __init__(self) -> None:
        self._pruned_at: dt.datetime | None = None

    def tick(self, config: StationConfig, now: dt.datetime) -> None:
        try:
            enforce_deadlines(config, now)
        except RadioGenError as exc:
            log.error("approval deadlines not checked: %s", exc)
        if self._pruned_at is not None and now - self._pruned_at < self.PRUNE_EVERY:
            return
        self._pruned_at = now
        try:
            prune(config, now.astimezone(config.tz).date())
        except (RadioGenError, OSError) as exc:
            log.error("retention not applied: %s", exc)
