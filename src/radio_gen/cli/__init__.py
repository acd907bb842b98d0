"""The `radio-gen` command: a thin layer over the library.

One module per command group (build.py: build, script; runs.py: schedule, run-now, status;
articles.py, templates.py, voices.py, clips.py, web.py: serve, users; doctor.py; normalize.py); each
parses its arguments, calls the library and prints. Errors from any domain (RadioGenError)
become one line on stderr and a non-zero exit status here, and only here.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Iterator

from radio_gen import __version__
from radio_gen.cli import articles, build, clips, doctor, normalize, runs, templates, voices, web
from radio_gen.cli.common import EXIT_DEGRADED, EXIT_FAILED, EXIT_OK
from radio_gen.errors import RadioGenError

__all__ = ["EXIT_DEGRADED", "EXIT_FAILED", "EXIT_OK", "main", "make_parser"]

#: Command groups, in the order `radio-gen --help` lists them.
GROUPS = (build, doctor, articles, runs, normalize, voices, web, templates, clips)


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
    for group in GROUPS:
        group.add_parser(commands)
    return parser


#: Loggers whose set-up a command may change (the daemon logs to stdout and a file).
_LOGGERS = ("", "radio_gen", "apscheduler")


@contextlib.contextmanager
def _logging(verbose: bool) -> Iterator[None]:
    """Library warnings on stderr as `radio-gen: LEVEL: message` for one call, then logging as before.

    The handler is made per call (on the stderr of the moment) and removed after, and any
    logger set-up the command made (the daemon's) is undone, so that `main()` can be called
    many times in one process.
    """
    saved = [(logger, logger.level, logger.handlers[:], logger.propagate)
             for logger in map(logging.getLogger, _LOGGERS)]
    raise_exceptions = logging.raiseExceptions
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("radio-gen: %(levelname)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO if verbose else logging.WARNING)
    try:
        yield
    finally:
        for logger, level, handlers, propagate in saved:
            logger.setLevel(level)
            logger.handlers[:] = handlers
            logger.propagate = propagate
        logging.raiseExceptions = raise_exceptions
        handler.close()


def main(argv: list[str] | None = None) -> int:
    """Run one `radio-gen` command line; returns its exit status (also for --help and usage errors)."""
    try:
        args = make_parser().parse_args(argv)
    except SystemExit as exit_:  # --help, --version, a usage error: argparse has printed what to say
        return exit_.code if isinstance(exit_.code, int) else EXIT_FAILED if exit_.code else EXIT_OK
    with _logging(args.verbose):
        try:
            return int(args.handler(args))
        except RadioGenError as exc:
            print(f"radio-gen: error: {exc}", file=sys.stderr)
            return EXIT_FAILED
        except KeyboardInterrupt:
            print("radio-gen: interrupted", file=sys.stderr)
            return 130
