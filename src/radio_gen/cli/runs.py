"""`radio-gen schedule`, `run-now` and `status`: the unattended runs, their lock, record and timetable."""

from __future__ import annotations

import argparse
import sys

from radio_gen.cli.common import EXIT_DEGRADED, EXIT_OK, Commands, add_command, config_option, date_option
from radio_gen.config import load_config

SCHEDULE_EXAMPLES = """
  radio-gen schedule --config /etc/radio-gen/station.toml      run until stopped (systemd, console)
  systemctl reload radio-gen                                   reload the station file (SIGHUP)
  see docs/scheduling.md and deploy/radio-gen.service"""

STATUS_EXAMPLES = """
  radio-gen status --config /etc/radio-gen/station.toml
  radio-gen status --config station.toml --runs 10"""

RUN_NOW_EXAMPLES = """
  radio-gen run-now sang --config /etc/radio-gen/station.toml   build the morning program now
  radio-gen run-now chieu --config station.toml --date 2026-11-27"""


def add_parser(commands: Commands) -> None:
    add_command(commands, "schedule", "run the scheduler: build every program at its build time, until stopped",
                SCHEDULE_EXAMPLES, parents=[config_option()]).set_defaults(handler=cmd_schedule)

    status = add_command(commands, "status", "show whether the scheduler runs, the next builds and the last runs",
                         STATUS_EXAMPLES, parents=[config_option()])
    status.add_argument("--runs", type=int, default=5, help="runs to show per program (default: 5)")
    status.set_defaults(handler=cmd_status)

    run_now = add_command(commands, "run-now",
                          "build one program now as the scheduler would: locked, retried, recorded", RUN_NOW_EXAMPLES,
                          note="exit status: 0 built, 3 degraded (no news item), 1 failed (as for `radio-gen build`)",
                          parents=[config_option(), date_option()])
    run_now.add_argument("program", help="program id from the config, e.g. sang")
    run_now.set_defaults(handler=cmd_run_now)


def cmd_schedule(args: argparse.Namespace) -> int:
    from radio_gen.scheduler import run_daemon

    return run_daemon(args.config)


def cmd_status(args: argparse.Namespace) -> int:
    from radio_gen.status import status_report

    sys.stdout.write(status_report(load_config(args.config), max(1, args.runs)))
    return EXIT_OK


def cmd_run_now(args: argparse.Namespace) -> int:
    from radio_gen.history import DEGRADED
    from radio_gen.runs import run_now

    outcome = run_now(load_config(args.config), args.program, args.date)
    print(outcome.output)
    return EXIT_DEGRADED if outcome.status == DEGRADED else EXIT_OK
