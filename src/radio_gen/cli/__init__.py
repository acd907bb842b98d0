"""The `radio-gen` command: a thin layer over the library.

Errors from any domain (RadioGenError) become one line on stderr and a non-zero exit
status here, and only here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from pathlib import Path

from radio_gen import __version__
from radio_gen.build import BuildRequest, prepare, spoken_script
from radio_gen.cli_groups import CONFIG_HELP
from radio_gen.cli_voices import add_voices_command
from radio_gen.config import load_config
from radio_gen.errors import RadioGenError

#: Exit statuses: success, failure, and a program published without news (see `build --help`).
EXIT_OK, EXIT_FAILED, EXIT_DEGRADED = 0, 1, 3

EXAMPLES = {
    "build": """examples:
  radio-gen build                                  today's program of ./station.toml (else the demo)
  radio-gen build --config /etc/radio-gen/station.toml --program sang
  radio-gen build --date 2026-11-26 --articles ./tin-bai --engine espeak-ng

exit status:
  0  the program was built and published
  3  degraded: built without a single news item (identification, notices, closing);
     published to latest/ unless [output] publish_degraded = false; alerts are sent
  1  failed: nothing was published, the previous program stays in latest/""",
    "script": """examples:
  radio-gen script                                 the script of ./station.toml as it will be spoken
  radio-gen script --config station.toml --program chieu > kich-ban.txt""",
    "doctor": """examples:
  radio-gen doctor
  radio-gen doctor --config /etc/radio-gen/station.toml""",
    "schedule": """examples:
  radio-gen schedule --config /etc/radio-gen/station.toml      run until stopped (systemd, console)
  systemctl reload radio-gen                                   reload the station file (SIGHUP)
  see docs/scheduling.md and deploy/radio-gen.service""",
    "status": """examples:
  radio-gen status --config /etc/radio-gen/station.toml
  radio-gen status --config station.toml --runs 10""",
    "run-now": """examples:
  radio-gen run-now sang --config /etc/radio-gen/station.toml   build the morning program now
  radio-gen run-now chieu --config station.toml --date 2026-11-27

exit status: 0 built, 3 degraded (no news item), 1 failed (as for `radio-gen build`)""",
    "normalize": """examples:
  echo "Sáng 24/4, UBND huyện họp." | radio-gen normalize
  radio-gen normalize --dialect south --lexicon tu-viet-tat.txt < bai.txt""",
}


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-11-26, got {value!r}") from None


def _engines(value: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in value.split(",") if n.strip())
    if not names:
        raise argparse.ArgumentTypeError("name at least one engine, e.g. espeak-ng or gtts,espeak-ng")
    return names


def _add_build_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, help=CONFIG_HELP)
    parser.add_argument("--program", help="program id from the config, e.g. sang (default: the first)")
    parser.add_argument("--date", type=_date, help="program date YYYY-MM-DD (default: today in the station's timezone)")
    parser.add_argument("--articles", type=Path, action="append",
                        help="read articles from this folder instead of the configured ones (repeatable)")
    parser.add_argument("--out", type=Path, help="output folder (default: from the config)")
    parser.add_argument("--engine", type=_engines, help="engine order, e.g. gtts,espeak-ng (default: from the config)")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="radio-gen",
        description="Builds the daily program of a Vietnamese district or commune radio station: "
                    "articles → script → speech → one MP3.",
        epilog="Run `radio-gen COMMAND --help` for a command's options and examples.",
    )
    parser.add_argument("--version", action="version", version=f"radio-gen {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="show progress details")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=help_text, description=help_text, epilog=EXAMPLES[name],
                                   formatter_class=argparse.RawDescriptionHelpFormatter)

    build_parser = command("build", "build one program and publish its MP3, rundown and script")
    _add_build_options(build_parser)
    build_parser.set_defaults(handler=cmd_build)

    script_parser = command("script", "print the script as it will be spoken, without synthesizing")
    _add_build_options(script_parser)
    script_parser.set_defaults(handler=cmd_script)

    doctor_parser = command("doctor", "check ffmpeg, espeak-ng, the engines and the output folder")
    doctor_parser.add_argument("--config", type=Path, help=CONFIG_HELP)
    doctor_parser.set_defaults(handler=cmd_doctor)

    from radio_gen.cli_articles import add_parser as add_articles_parser

    add_articles_parser(commands, _date)
    schedule_parser = command("schedule", "run the scheduler: build every program at its build time, until stopped")
    schedule_parser.add_argument("--config", type=Path, help=CONFIG_HELP)
    schedule_parser.set_defaults(handler=cmd_schedule)

    status_parser = command("status", "show whether the scheduler runs, the next builds and the last runs")
    status_parser.add_argument("--config", type=Path, help=CONFIG_HELP)
    status_parser.add_argument("--runs", type=int, default=5, help="runs to show per program (default: 5)")
    status_parser.set_defaults(handler=cmd_status)

    run_now_parser = command("run-now", "build one program now as the scheduler would: locked, retried, recorded")
    run_now_parser.add_argument("program", help="program id from the config, e.g. sang")
    run_now_parser.add_argument("--config", type=Path, help=CONFIG_HELP)
    run_now_parser.add_argument("--date", type=_date,
                                help="program date YYYY-MM-DD (default: today in the station's timezone)")
    run_now_parser.set_defaults(handler=cmd_run_now)

    normalize_parser = command("normalize", "read text on stdin, print each line as it will be spoken")
    normalize_parser.add_argument("--dialect", choices=("north", "south"), default="north")
    normalize_parser.add_argument("--lexicon", type=Path, help="a station lexicon file to use over the default")
    normalize_parser.set_defaults(handler=cmd_normalize)

    add_voices_command(commands)
    from radio_gen.cli_web import add_web_commands

    add_web_commands(commands)
    from radio_gen.cli_templates import add_parser as add_templates_parser

    add_templates_parser(commands)
    return parser


def _request(args: argparse.Namespace) -> BuildRequest:
    return BuildRequest(program_id=args.program, date=args.date,
                        articles_dirs=tuple(args.articles) if args.articles else None,
                        out_dir=args.out, engines=args.engine)


def cmd_build(args: argparse.Namespace) -> int:
    from radio_gen.history import DEGRADED
    from radio_gen.runs import build_by_hand

    result = build_by_hand(load_config(args.config), _request(args))
    print(f"program:  {result.rundown['title']} ({result.rundown['program']}, {result.rundown['date']})")
    print(f"duration: {result.duration / 60:.1f} min, {len(result.rundown['articles'])} news items")
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
    config = load_config(args.config)
    prepared = prepare(config, _request(args))
    for warning in prepared.warnings:
        logging.getLogger("radio_gen").warning(warning)
    sys.stdout.write(spoken_script(prepared))
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from radio_gen.config import ConfigError
    from radio_gen.doctor import Check, machine_checks, run_checks

    try:
        checks = run_checks(load_config(args.config))
    except ConfigError as exc:  # a broken station file is one finding; the machine is still checked
        checks = [Check("station file", False, str(exc)), *machine_checks()]
    failed = 0
    for check in checks:
        mark = "ok " if check.ok else ("!! " if check.required else "-- ")
        print(f"{mark} {check.name}: {check.detail}")
        failed += (not check.ok) and check.required
    print("all required checks passed" if not failed else f"{failed} required check(s) failed")
    return 1 if failed else 0


def cmd_schedule(args: argparse.Namespace) -> int:
    from radio_gen.scheduler import run_daemon

    return run_daemon(args.config)


def cmd_status(args: argparse.Namespace) -> int:
    from radio_gen.status import render_status

    sys.stdout.write(render_status(load_config(args.config), max(1, args.runs)))
    return 0


def cmd_run_now(args: argparse.Namespace) -> int:
    from radio_gen.runs import run_now

    from radio_gen.history import DEGRADED

    outcome = run_now(load_config(args.config), args.program, args.date)
    print(outcome.output)
    return EXIT_DEGRADED if outcome.status == DEGRADED else EXIT_OK


def cmd_normalize(args: argparse.Namespace) -> int:
    from radio_gen.text import Lexicon, normalize

    lexicon = Lexicon.default()
    if args.lexicon:
        lexicon = Lexicon.from_file(args.lexicon)
        for problem in lexicon.problems:
            print(f"radio-gen: warning: {problem}", file=sys.stderr)
    for line in sys.stdin:
        print(normalize(line.rstrip("\n"), dialect=args.dialect, lexicon=lexicon))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="radio-gen: %(levelname)s: %(message)s", stream=sys.stderr)
    try:
        return args.handler(args)
    except RadioGenError as exc:
        print(f"radio-gen: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("radio-gen: interrupted", file=sys.stderr)
        return 130
