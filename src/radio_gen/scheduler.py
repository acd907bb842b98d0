"""The `radio-gen schedule` daemon: every program built at its build time, once.

APScheduler 3.x runs one cron job per program (job id `build:<program>`, in the
station's timezone, `max_instances=1`, `coalesce=True`, a generous misfire grace) in
a memory job store: the jobs come from the configuration at every start, so a restart
never duplicates them. What happened while the daemon was not running is judged from
the run history instead (start-up catch-up). A file lock in the station folder keeps
it to one daemon per station; the kernel drops that lock when the process dies.

Signals: SIGTERM/SIGINT stop it after the build in progress (no new attempt starts);
a second one abandons that build at once (the build publishes atomically, so nothing
partial appears). SIGHUP reloads the station file and reschedules.
"""

from __future__ import annotations

import datetime as dt
import logging
import logging.handlers
import os
import signal
import sys
import threading
from dataclasses import replace
from pathlib import Path
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from radio_gen import alerts, clock
from radio_gen.config import ConfigError, StationConfig, find_station_file, load_config
from radio_gen.errors import RadioGenError
from radio_gen.history import History, HistoryError
from radio_gen.locks import acquire_scheduler_lock
from radio_gen.retention import Housekeeping
from radio_gen.runs import CATCH_UP, SCHEDULED, Runner, clean_after_orphans, settle_interrupted
from radio_gen.timetable import Occurrence, catch_up, deadline, last_occurrence, make_trigger, next_occurrence

log = logging.getLogger(__name__)

JOB_PREFIX = "build:"
CATCH_UP_PREFIX = "catch-up:"
#: APScheduler's default grace is 1 s and silently skips late runs; ours decides itself
#: (`timetable.deadline`), so the scheduler may hand over a run up to a day late.
MISFIRE_GRACE_SECONDS = 24 * 3600
LOG_FILE = "scheduler.log"
LOG_BYTES, LOG_BACKUPS = 1_000_000, 5


class SchedulerError(RadioGenError):
    """The daemon cannot set itself up (log folder not writable, …)."""


def job_id(program_id: str) -> str:
    return JOB_PREFIX + program_id


class StationTimeFormatter(logging.Formatter):
    """Log times in the station's timezone, like every time the daemon decides on."""

    def __init__(self, tz: dt.tzinfo) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.tz = tz

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return dt.datetime.fromtimestamp(record.created, self.tz).isoformat(sep=" ", timespec="seconds")


def setup_logging(config: StationConfig) -> Path:
    """Log to stdout (journald, console window) and to a rotating file in the station folder."""
    path = config.logs_dir / LOG_FILE
    formatter = StationTimeFormatter(config.tz)
    try:
        config.logs_dir.mkdir(parents=True, exist_ok=True)
        log_file = logging.handlers.RotatingFileHandler(path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS,
                                                        encoding="utf-8")
    except OSError as exc:
        raise SchedulerError(f"cannot write the log file {path}: {exc.strerror or exc}") from None
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stdout), log_file]
    # A closed console or journal pipe must not fill stderr with tracebacks: the file log goes on.
    logging.raiseExceptions = False
    for handler in handlers:
        handler.setFormatter(formatter)
    for name, level in (("radio_gen", logging.INFO), ("apscheduler", logging.WARNING)):
        logger = logging.getLogger(name)
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = False
    return path


class Daemon:
    def __init__(self, config_path: Path | None) -> None:
        # Resolved once: a reload reads the same file whatever appears in the folder later.
        self.config_path = find_station_file(config_path)
        self.config = load_config(self.config_path)
        self.stop = threading.Event()
        self._wake = threading.Event()
        self._reload = False
        self._signals = 0
        self.history: History | None = None
        self.scheduler: BackgroundScheduler | None = None
        self.runner: Runner  # set up in run(), once the history is open

    # -- life cycle -------------------------------------------------------------------
    def run(self) -> int:
        lock = acquire_scheduler_lock(self.config.station_dir)
        try:
            log_path = setup_logging(self.config)
            self.history = History(self.config.store_path)
            for orphan, outcome in clean_after_orphans(self.history, self.config):
                log.warning("%s: the build started at %s by PID %d never finished (the process stopped); "
                            "recorded as %s", orphan.program,
                            f"{orphan.started.astimezone(self.config.tz):%Y-%m-%d %H:%M:%S}", orphan.pid, outcome)
            self.runner = Runner(lambda: self.config, self.history, self.stop)
            self.scheduler = BackgroundScheduler(
                timezone=self.config.tz,
                executors={"default": ThreadPoolExecutor(max_workers=4)},
                job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_SECONDS},
            )
            self._install_signals()
            self._schedule_jobs()
            self.scheduler.start()
            log.info("scheduler started for %s (PID %d, station file %s, log %s)", self.config.name, os.getpid(),
                     self.config.source or "bundled demo", log_path)
            self._catch_up()
            self._log_next_builds()
            housekeeping = Housekeeping()  # approval deadlines, retention ([approval], [output] keep_days)
            while not self.stop.is_set():
                housekeeping.tick(self.config, clock.now(self.config.tz))
                self._wake.wait(timeout=5)
                self._wake.clear()
                if self._reload and not self.stop.is_set():
                    self._reload = False
                    self.reload()
            log.info("stopping: waiting for the build in progress, if any, to finish")
            self.scheduler.shutdown(wait=True)
            log.info("scheduler stopped")
            return 0
        finally:
            lock.release()

    def _install_signals(self) -> None:
        signal.signal(signal.SIGTERM, self._on_stop)
        signal.signal(signal.SIGINT, self._on_stop)
        signal.signal(signal.SIGHUP, self._on_hup)

    def _on_stop(self, signum: int, frame: FrameType | None) -> None:
        self._signals += 1
        if self._signals == 1:
            log.info("received %s: stopping after the build in progress (send it again to abandon that build)",
                     signal.Signals(signum).name)
            self.stop.set()
            self._wake.set()
            return
        log.warning("received %s again: abandoning the build in progress; nothing partial is published",
                    signal.Signals(signum).name)
        if self.history is not None:
            try:
                running = self.history.unfinished(mine=True)
                settle_interrupted(self.history, self.config, running, "stopped by a second signal")
            except HistoryError as exc:
                log.error("%s", exc)
        logging.shutdown()
        os._exit(1)

    def _on_hup(self, signum: int, frame: FrameType | None) -> None:
        self._reload = True
        self._wake.set()

    # -- jobs -------------------------------------------------------------------------
    def _schedule_jobs(self) -> None:
        assert self.scheduler is not None
        wanted = {job_id(p.id) for p in self.config.programs}
        for job in self.scheduler.get_jobs():
            if job.id.startswith(JOB_PREFIX) and job.id not in wanted:
                job.remove()
                log.info("%s: no longer in the configuration: unscheduled", job.id[len(JOB_PREFIX):])
        for program in self.config.programs:
            self.scheduler.add_job(self._job, make_trigger(program, self.config.tz), args=(program.id, SCHEDULED),
                                   id=job_id(program.id), name=f"build {program.id}", replace_existing=True)

    def _catch_up(self) -> None:
        """Judge, from the history, the latest build time of each program that passed."""
        assert self.scheduler is not None and self.history is not None
        now = clock.now(self.config.tz)
        for program in self.config.programs:
            occurrence = last_occurrence(program, self.config.tz, now)
            built = None
            if occurrence is not None:
                try:
                    run = self.history.built(program.id, occurrence.build_at)
                    built = run.ended if run else None
                except HistoryError as exc:
                    log.error("%s: %s", program.id, exc)
            decision = catch_up(program, self.config.tz, now, self.config.schedule.catch_up_grace_minutes, built)
            log.info("%s: catch-up: %s", program.id, decision.reason)
            if decision.build:
                self.scheduler.add_job(self._job, "date", run_date=now, args=(program.id, CATCH_UP),
                                       id=CATCH_UP_PREFIX + program.id, name=f"catch up {program.id}",
                                       replace_existing=True)
            elif decision.missed and decision.occurrence is not None:
                self._record_missed(decision.occurrence, decision.reason)

    def _record_missed(self, occurrence: Occurrence, reason: str) -> None:
        assert self.history is not None
        try:
            if self.history.has_record(occurrence.program, occurrence.build_at):
                return
            if not self.history.record_missed(occurrence.program, occurrence.build_at, occurrence.broadcast_at,
                                              reason):
                log.info("%s: build time %s is before the station's first run: not counted as missed",
                         occurrence.program, f"{occurrence.build_at:%Y-%m-%d %H:%M:%S}")
                return
        except HistoryError as exc:
            log.error("%s: %s", occurrence.program, exc)
        alerts.send(self.config.alerts, [alerts.missed(self.config, occurrence.program,
                                                       occurrence.date.isoformat(), reason)])

    def _job(self, program_id: str, trigger: str) -> None:
        """What APScheduler runs: the build for the latest passed build time, if still useful."""
        if self.stop.is_set():
            return
        config = self.config
        try:
            program = config.program(program_id)
        except ConfigError:
            log.warning("%s: no longer in the configuration: not built", program_id)
            return
        now = clock.now(config.tz)
        occurrence = last_occurrence(program, config.tz, now)
        if occurrence is None:
            log.warning("%s: fired on a day without a build; not built", program_id)
            return
        limit = deadline(occurrence, config.schedule.catch_up_grace_minutes)
        if now >= limit:
            reason = (f"build time {occurrence.build_at:%Y-%m-%d %H:%M:%S} handed over late at {now:%H:%M:%S}, "
                      f"after broadcast {occurrence.broadcast_at:%H:%M} (+ grace): not built")
            log.warning("%s: %s", program_id, reason)
            self._record_missed(occurrence, reason)
            return
        self.runner.run(occurrence, trigger)
        self._log_next_builds(only=program_id)

    # -- reload -----------------------------------------------------------------------
    def reload(self) -> None:
        """SIGHUP: read the station file again; a broken file keeps the running schedule.

        The new file is tried as the daemon will use it (triggers, next build times)
        before anything changes, and no error of any kind ends the daemon here.
        """
        try:
            config = load_config(self.config_path)
            now = clock.now(config.tz)
            for program in config.programs:
                make_trigger(program, config.tz)
                next_occurrence(program, config.tz, now)
        except RadioGenError as exc:
            log.error("reload refused, the schedule is unchanged: %s", exc)
            return
        except Exception as exc:  # a station file must never stop the daemon
            log.exception("reload refused, the schedule is unchanged: unexpected %s: %s", type(exc).__name__, exc)
            return
        if config.station_dir != self.config.station_dir:
            log.warning("the station folder changed to %s: the lock, history and logs stay in %s until "
                        "a restart", config.station_dir, self.config.station_dir)
            config = replace(config, station_dir=self.config.station_dir)
        self.config = config
        self._schedule_jobs()
        log.info("configuration reloaded from %s", self.config_path or "bundled demo")
        self._log_next_builds()

    def _log_next_builds(self, only: str | None = None) -> None:
        now = clock.now(self.config.tz)
        for program in self.config.programs:
            if only is not None and program.id != only:
                continue
            nxt = next_occurrence(program, self.config.tz, now)
            log.info("%s: next build %s, airs %s", program.id, f"{nxt.build_at:%Y-%m-%d %H:%M:%S %Z}",
                     f"{nxt.broadcast_at:%Y-%m-%d %H:%M}")


def run_daemon(config_path: Path | None) -> int:
    """`radio-gen schedule`: run until SIGTERM/SIGINT."""
    return Daemon(config_path).run()
