"""`radio-gen doctor`: what this machine and station file lack for a build."""

from __future__ import annotations

import argparse

from radio_gen.cli.common import EXIT_FAILED, EXIT_OK, Commands, add_command, config_option

EXAMPLES = """
  radio-gen doctor
  radio-gen doctor --config /etc/radio-gen/station.toml"""


def add_parser(commands: Commands) -> None:
    add_command(commands, "doctor", "check ffmpeg, espeak-ng, the engines and the output folder", EXAMPLES,
                parents=[config_option()]).set_defaults(handler=cmd_doctor)


def cmd_doctor(args: argparse.Namespace) -> int:
    from radio_gen.doctor import check_station

    failed = 0
    for check in check_station(args.config):
        mark = "ok " if check.ok else ("!! " if check.required else "-- ")
        print(f"{mark} {check.name}: {check.detail}")
        failed += (not check.ok) and check.required
    print("all required checks passed" if not failed else f"{failed} required check(s) failed")
    return EXIT_FAILED if failed else EXIT_OK
