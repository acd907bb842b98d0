"""`radio-gen build` and `radio-gen script`: one program, spoken or only shown."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from radio_gen.build import BuildRequest, prepare, spoken_script
from radio_gen.cli.common import (EXIT_DEGRADED, EXIT_OK, Commands, add_command, config_option, date_option,
                                  program_option)
from radio_gen.config import load_config

BUILD_EXAMPLES = """
  radio-gen build                                  today's program of ./station.toml (else the demo)
  radio-gen build --config /etc/radio-gen/station.toml --program sang
  radio-gen build --date 2026-11-26 --articles ./tin-bai --engine espeak-ng"""

EXIT_STATUS = """exit status:
  0  the program was built and published
  3  degraded: built without a single news item (identification, notices, closing);
     published to latest/ unless [output] publish_degraded = false; alerts are sent
  1  failed: nothing was published, the previous program stays in latest/"""

SCRIPT_EXAMPLES = """
  radio-gen script                                 the script of ./station.toml as it will be spoken
  radio-gen script --config station.toml --program chieu > kich-ban.txt"""


def _engines(value: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in value.split(",") if n.strip())
    if not names:
        raise argparse.ArgumentTypeError("name at least one engine, e.g. espeak-ng or gtts,espeak-ng")
    return names


def _build_options() -> argparse.ArgumentParser:
    """What `build` and `script` both take: which program, from which articles, with which engines."""
    parent = argparse.ArgumentParser(add_help=False, parents=[config_option(), program_option(), date_option()])
    parent.add_argument("--articles", type=Path, action="append",
                        help="read articles from this folder instead of the configured ones (repeatable)")
    parent.add_argument("--out", type=Path, help="output folder (default: from the config)")
    parent.add_argument("--engine", type=_engines, help="engine order, e.g. gtts,espeak-ng (default: from the config)")
    return parent


def add_parser(commands: Commands) -> None:
    options = _build_options()
    add_command(commands, "build", "build one program and publish its MP3, rundown and script", BUILD_EXAMPLES,
                note=EXIT_STATUS, parents=[options]).set_defaults(handler=cmd_build)
    add_command(commands, "script", "print the script as it will be spoken, without synthesizing", SCRIPT_EXAMPLES,
                parents=[options]).set_defaults(handler=cmd_script)


def _request(args: argparse.Namespace) -> BuildRequest:
    return BuildRequest(program_id=args.program, date=args.date,
                        articles_dirs=tuple(args.articles) if args.articles else None,
                        out_dir=args.out, engines=args.engine)


def cmd_build(args: argparse.Namespace) -> int:
    from radio_gen.history import DEGRADED
    from radio_gen.runs import build_by_hand

    result = build_by_hand(load_config(args.config), _request(args))
    rundown = result.rundown
    print(f"program:  {rundown.title} ({rundown.program}, {rundown.date})")
    print(f"duration: {result.duration / 60:.1f} min, {len(rundown.articles)} news items")
    print(f"rundown:  {result.paths.rundown}")
    print(f"script:   {result.paths.script}")
    if result.latest:
        print(f"latest:   {result.paths.latest}")
    elif result.awaits_approval:
        print("latest:   unchanged: waits for approval ([approval])")
    else:
        print("latest:   unchanged (see the warnings)")
    if result.warnings:
        print(f"warnings: {len(result.warnings)} (listed above and in the rundown)")
    if result.outcome == DEGRADED:
        print("radio-gen: DEGRADED: the program has no news item (exit status 3)", file=sys.stderr)
    print(result.paths.mp3)
    return EXIT_DEGRADED if result.outcome == DEGRADED else EXIT_OK


def cmd_script(args: argparse.Namespace) -> int:
    prepared = prepare(load_config(args.config), _request(args))
    for warning in prepared.warnings:
        logging.getLogger("radio_gen").warning(warning)
    sys.stdout.write(spoken_script(prepared))
    return EXIT_OK
