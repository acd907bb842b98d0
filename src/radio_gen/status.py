"""`radio-gen status`: is the scheduler running, when is each next build, how did the last runs go."""

from __future__ import annotations

import datetime as dt

from radio_gen import clock
from radio_gen.config import StationConfig
from radio_gen.history import MISSED, RUNNING, History, Run, pid_alive
from radio_gen.locks import holder_pid, is_locked, scheduler_lock_path
from radio_gen.timetable import next_occurrence


def _outcome(run: Run) -> str:
    if run.outcome == RUNNING and not pid_alive(run.pid):
        return "abandoned?"  # the daemon marks it at its next start
    return run.outcome


def _run_line(run: Run, config: StationConfig) -> str:
    tz = config.tz
    if run.outcome == MISSED:
        took = "        "
    else:
        took = f"{run.duration:6.1f} s" if run.duration is not None else "      … "
    detail = run.output or run.error or ""
    if run.warnings:
        detail += f"  ({len(run.warnings)} warning{'s' if len(run.warnings) > 1 else ''})"
    attempt = f"#{run.attempt}" if run.attempt > 1 else ""
    return (f"    {run.scheduled.astimezone(tz):%Y-%m-%d %H:%M:%S}  {run.trigger + attempt:<12} "
            f"{_outcome(run):<10} {took}  {detail}")


def status_report(config: StationConfig, runs_per_program: int = 5, now: dt.datetime | None = None) -> str:
    now = now or clock.now(config.tz)
    lock = scheduler_lock_path(config.station_dir)
    locked = is_locked(lock)
    if locked:
        state = f"running (PID {holder_pid(lock) or '?'})"
    elif locked is None:
        state = f"unknown (cannot read {lock}: run status as the scheduler's user)"
    else:
        state = "not running (start it with `radio-gen schedule`)"
    lines = [f"{config.name}", f"  scheduler: {state}", f"  store:     {config.store_path}"]
    history = History(config.store_path) if config.store_path.exists() else None
    for program in config.programs:
        nxt = next_occurrence(program, config.tz, now)
        lines.append("")
        lines.append(f"{program.id}: {program.title}")
        lines.append(f"  next build: {nxt.build_at:%a %Y-%m-%d %H:%M:%S}, airs {nxt.broadcast_at:%a %Y-%m-%d %H:%M} "
                     f"({config.timezone})")
        runs = history.last_runs(program.id, runs_per_program) if history else []
        if not runs:
            lines.append("  no runs recorded yet")
            continue
        lines.append("  last runs (build time, trigger, outcome, duration, output or error):")
        lines.extend(_run_line(run, config) for run in runs)
    return "\n".join(lines) + "\n"
