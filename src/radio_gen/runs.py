"""One unattended run of a program: lock, build, record, retry while there is time.

Scheduled builds, start-up catch-up and `radio-gen run-now` all go through `Runner.run`,
so they take the same per-program lock as `radio-gen build`, are recorded the same way
in the run history, and follow the same retry rule.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from radio_gen import alerts, clock
from radio_gen.build import BuildRequest, BuildResult, build
from radio_gen.config import StationConfig
from radio_gen.errors import RadioGenError
from radio_gen.history import (ABANDONED, DEGRADED, FAILED, MANUAL, OK, PUBLISHED, STOPPED, History, HistoryError,
                               Outcome, Run, Trigger)
from radio_gen.locks import LockError, program_lock
from radio_gen.publish import program_paths, remove_dead_work_folders, remove_unused
from radio_gen.rundown import SegmentKind
from radio_gen.timetable import Occurrence, deadline

log = logging.getLogger(__name__)

SCHEDULED, CATCH_UP, RUN_NOW = Trigger.SCHEDULED, Trigger.CATCH_UP, Trigger.RUN_NOW


class RunFailed(RadioGenError):
    """Every attempt of a run failed; the message carries the last error."""


#: A run that found its build time already built: nothing to do (not recorded).
SKIPPED = "skipped"


@dataclass
class RunOutcome:
    """How a run ended: ok, degraded, failed, stopped, or SKIPPED (nothing to do)."""

    status: Outcome | str
    attempts: int
    output: str | None = None
    error: str | None = None


class Runner:
    """Builds programs for the scheduler and for `run-now`.

    `config` is called at each run, so a configuration reloaded by SIGHUP applies to
    the next run. `stop` ends the retry waits when the daemon is asked to stop.
    """

    def __init__(self, config: Callable[[], StationConfig], history: History | None,
                 stop: threading.Event | None = None) -> None:
        self._config = config
        self.history = history
        self.stop = stop or threading.Event()

    def run(self, occurrence: Occurrence, trigger: str) -> RunOutcome:
        config = self._config()
        settings = config.schedule
        program = occurrence.program
        attempt = 0
        while True:
            attempt += 1
            outcome = self._attempt(config, occurrence, trigger, attempt)
            if outcome.status != FAILED:
                return outcome
            now = clock.now(config.tz)
            if attempt > settings.retries:
                log.error("%s: giving up after %d attempt(s): %s", program, attempt, outcome.error)
                return self._alert_failed(config, occurrence, outcome)
            expected = self._typical_duration(program)
            retry_at = now + dt.timedelta(seconds=settings.retry_delay_seconds)
            if retry_at + dt.timedelta(seconds=expected) > deadline(occurrence, 0):
                log.error("%s: no retry: a build starting at %s (the last one took %.0f s) would not finish "
                          "before the broadcast at %s", program, f"{retry_at:%H:%M:%S}", expected,
                          f"{occurrence.broadcast_at:%Y-%m-%d %H:%M}")
                return self._alert_failed(config, occurrence, outcome)
            log.warning("%s: attempt %d failed; retrying in %d s (%d retr%s left)", program, attempt,
                        settings.retry_delay_seconds, settings.retries - attempt + 1,
                        "y" if settings.retries - attempt + 1 == 1 else "ies")
            if self.stop.wait(settings.retry_delay_seconds):
                log.warning("%s: stopping: the retry is not made", program)
                return RunOutcome(STOPPED, attempt, error=outcome.error)

    @staticmethod
    def _alert_failed(config: StationConfig, occurrence: Occurrence, outcome: RunOutcome) -> RunOutcome:
        """The run gave up: the operator hears of it now, not at broadcast time."""
        alerts.send(config.alerts, [alerts.failed(config, occurrence.program, occurrence.date.isoformat(),
                                                  outcome.error or "unknown error")])
        return outcome

    def _attempt(self, config: StationConfig, occurrence: Occurrence, trigger: str, attempt: int) -> RunOutcome:
        program = occurrence.program
        # A scheduled build waits for a manual one as long as it may; a person waits a bounded time.
        wait = float(config.schedule.build_lock_wait_seconds)
        if trigger != RUN_NOW:
            wait = max(wait, (occurrence.broadcast_at - clock.now(config.tz)).total_seconds())

        def waiting(pid: int | None) -> None:
            log.info("%s: waiting for the build running in PID %s to finish", program, pid or "?")

        try:
            with program_lock(config.station_dir, program, wait, on_wait=waiting):
                if trigger != RUN_NOW:
                    done = self._built(program, occurrence)
                    if done is not None:
                        log.info("%s: build time %s already built at %s: nothing to do", program,
                                 f"{occurrence.build_at:%Y-%m-%d %H:%M:%S}",
                                 f"{done.astimezone(config.tz):%H:%M:%S}")
                        return RunOutcome(SKIPPED, attempt - 1)
                return self._build_recorded(config, occurrence, trigger, attempt)
        except RadioGenError as exc:  # the lock could not be taken in time
            log.error("%s: attempt %d not started: %s", program, attempt, exc)
            return RunOutcome(FAILED, attempt, error=str(exc))

    def _build_recorded(self, config: StationConfig, occurrence: Occurrence, trigger: str,
                        attempt: int) -> RunOutcome:
        program = occurrence.program
        run_id = self.record_start(occurrence, trigger, attempt)
        log.info("%s: build started (%s, attempt %d, program date %s, airs %s)", program, trigger, attempt,
                 occurrence.date, f"{occurrence.broadcast_at:%Y-%m-%d %H:%M}")
        try:
            result = build(config, BuildRequest(program_id=program, date=occurrence.date))
        except RadioGenError as exc:
            log.error("%s: build failed: %s", program, exc)
            self.record_end(run_id, FAILED, error=str(exc))
            return RunOutcome(FAILED, attempt, error=str(exc))
        except (KeyboardInterrupt, SystemExit):
            self.record_end(run_id, ABANDONED, error="interrupted during the build; nothing was published")
            raise
        except Exception as exc:  # a bug must not kill the daemon: record it, keep scheduling
            log.exception("%s: build crashed", program)
            error = f"internal error ({type(exc).__name__}: {exc}); see the log"
            self.record_end(run_id, FAILED, error=error)
            return RunOutcome(FAILED, attempt, error=error)
        output = str(result.paths.mp3)
        log.info("%s: build finished: %s (%.1f min, %d warning(s))%s", program, output, result.duration / 60,
                 len(result.warnings), " DEGRADED: no news item" if result.outcome == DEGRADED else "")
        self.record_end(run_id, result.outcome, output=output, warnings=result.warnings,
                         failed_sources=result.failed_sources)
        alerts.send(config.alerts, alerts_for(config, program, occurrence.date.isoformat(), result, self.history))
        return RunOutcome(result.outcome, attempt, output=output)

    # History problems are logged, never a reason to skip a build: the program airs first.
    def _built(self, program: str, occurrence: Occurrence) -> dt.datetime | None:
        if self.history is None:
            return None
        try:
            run = self.history.built(program, occurrence.build_at)
        except HistoryError as exc:
            log.error("%s: %s", program, exc)
            return None
        return run.ended if run else None

    def _typical_duration(self, program: str) -> float:
        try:
            return self.history.typical_duration(program) if self.history else 0.0
        except HistoryError as exc:
            log.error("%s: %s", program, exc)
            return 0.0

    def record_start(self, occurrence: Occurrence, trigger: str, attempt: int) -> int | None:
        """The history row of a starting build (None without a usable history: the build goes on)."""
        if self.history is None:
            return None
        try:
            return self.history.start(occurrence.program, occurrence.build_at, occurrence.broadcast_at,
                                      trigger, attempt)
        except HistoryError as exc:
            log.error("%s: the run is not recorded: %s", occurrence.program, exc)
            return None

    def record_end(self, run_id: int | None, outcome: Outcome, **details: object) -> None:
        if self.history is None or run_id is None:
            return
        try:
            self.history.finish(run_id, outcome, **details)  # type: ignore[arg-type]
        except HistoryError as exc:
            log.error("run %d is not recorded as %s: %s", run_id, outcome, exc)


def run_now(config: StationConfig, program_id: str, date: dt.date | None = None) -> RunOutcome:
    """`radio-gen run-now`: build at once through the scheduler's path; RunFailed if no attempt succeeded.

    Retries follow the same rule as scheduled runs: only while the program can still be
    ready before its broadcast time on `date` (today by default).
    """
    program = config.program(program_id)
    now = clock.now(config.tz)
    air_date = date or now.date()
    occurrence = Occurrence(program.id, now, dt.datetime.combine(air_date, program.broadcast, tzinfo=config.tz))
    outcome = Runner(lambda: config, History(config.store_path)).run(occurrence, RUN_NOW)
    if outcome.status not in PUBLISHED:
        raise RunFailed(f"program '{program.id}' was not built ({outcome.attempts} attempt(s)): {outcome.error}")
    return outcome


def alerts_for(config: StationConfig, program: str, date: str, result: BuildResult,
               history: History | None) -> list[alerts.Alert]:
    """What a published program must tell the operator: no news, fallback voices only, failing sources."""
    found = []
    if result.outcome == DEGRADED:
        found.append(alerts.degraded(config, program, date, result.latest))
    if result.fallback_only:
        engines = sorted({s.engine for s in result.rundown.segments if s.kind == SegmentKind.SPEECH and s.engine})
        found.append(alerts.fallback_voices(config, program, date, engines))
    for source in result.failed_sources:
        try:
            streak = history.source_failure_streak(source) if history else 0
        except HistoryError as exc:
            log.error("%s: %s", program, exc)
            continue
        if streak >= config.alerts.source_failures:
            found.append(alerts.source_failing(config, program, date, source, streak))
    return found


def build_by_hand(config: StationConfig, request: BuildRequest) -> BuildResult:
    """`radio-gen build`: locked like a scheduled build, recorded in the run history, alerts sent.

    The bundled demo keeps no history. A history that cannot be written is logged; the
    program is built all the same.
    """
    program = config.program(request.program_id)
    date = request.date or config.today()
    request = replace(request, date=date)  # the program keeps the date it started with, across midnight
    history: History | None = None
    run_id: int | None = None
    if config.source is not None:
        try:
            history = History(config.store_path)
        except HistoryError as exc:
            log.error("%s: the build is not recorded: %s", program.id, exc)
    runner = Runner(lambda: config, history)

    def waiting(pid: int | None) -> None:
        log.warning("program '%s' is being built by PID %s; waiting up to %d s", program.id, pid or "?",
                    config.schedule.build_lock_wait_seconds)

    with program_lock(config.station_dir, program.id, config.schedule.build_lock_wait_seconds, on_wait=waiting):
        if history is not None:
            now = clock.now(config.tz)
            occurrence = Occurrence(program.id, now, dt.datetime.combine(date, program.broadcast, tzinfo=config.tz))
            run_id = runner.record_start(occurrence, MANUAL, 1)
        try:
            result = build(config, request)
        except RadioGenError as exc:
            runner.record_end(run_id, FAILED, error=str(exc))
            alerts.send(config.alerts, [alerts.failed(config, program.id, date.isoformat(), str(exc))])
            raise
        except BaseException:
            runner.record_end(run_id, ABANDONED, error="interrupted during the build; nothing was published")
            raise
    runner.record_end(run_id, result.outcome, output=str(result.paths.mp3), warnings=result.warnings,
                       failed_sources=result.failed_sources)
    alerts.send(config.alerts, alerts_for(config, program.id, result.rundown.date.isoformat(), result, history))
    return result


def remove_partials(config: StationConfig, program_id: str) -> list[Path]:
    """Delete what an interrupted build of `program_id` left: its build folder, work folder, partial files."""
    removed = remove_unused(config.output.dir, program_id) + remove_dead_work_folders()
    for partial in config.output.dir.glob(f"*/.{program_id}.*.partial"):
        partial.unlink(missing_ok=True)
        removed.append(partial)
    return removed


def settle_interrupted(history: History, config: StationConfig, runs: list[Run], reason: str,
                       *, clean: bool = True) -> list[tuple[Run, str]]:
    """Close the history rows of builds whose process stopped (or is stopping) mid-build.

    A build publishes its MP3 by one rename: if that file is newer than the run's start,
    the build got that far and the row says `ok`; otherwise `abandoned` (nothing was
    published). With `clean`, the build's hidden temporary files are removed.
    """
    settled = []
    for run in runs:
        date = (run.broadcast or run.scheduled).astimezone(config.tz).date()
        mp3 = program_paths(config.output.dir, date, run.program).mp3
        try:
            published = mp3.stat().st_mtime >= run.started.timestamp()
        except OSError:
            published = False
        if published:
            history.finish(run.id, OK, output=str(mp3),
                           warnings=[f"{reason} right after the MP3 was published: check its rundown and script"])
            settled.append((run, OK))
        else:
            history.finish(run.id, ABANDONED, error=f"{reason} during the build (PID {run.pid}); "
                                                    "nothing was published by this attempt")
            settled.append((run, ABANDONED))
        if clean:
            remove_partials(config, run.program)
    return settled


def clean_after_orphans(history: History, config: StationConfig) -> list[tuple[Run, str]]:
    """At start-up: settle the runs of processes that died mid-build, remove stale temporary files.

    A temporary file of a program nobody is building (its lock is free) is left over
    from a killed build; a program being built by hand keeps its files.
    """
    settled = settle_interrupted(history, config, history.unfinished(mine=False), "the process stopped",
                                 clean=False)
    for program in config.programs:
        try:
            with program_lock(config.station_dir, program.id, 0):
                for partial in remove_partials(config, program.id):
                    log.info("%s: removed %s, left by an interrupted build", program.id, partial)
        except LockError:
            log.info("%s: temporary files not checked: a build of it is running", program.id)
    return settled
