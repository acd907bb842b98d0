"""Argparse plumbing shared by every command: the common options, written once, and the
factories for commands and their sub-actions (`articles list`, `voices try`), each with its
own examples."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
from collections.abc import Callable, Sequence
from pathlib import Path

#: Exit statuses: success, failure, and a program published without news (see `build --help`).
EXIT_OK, EXIT_FAILED, EXIT_DEGRADED = 0, 1, 3

CONFIG_HELP = ("station TOML file (default: $RADIO_GEN_CONFIG, else ./station.toml, else the bundled demo, "
               "which says so and keeps its files in ~/.local/state/radio-gen/demo)")

Commands = argparse._SubParsersAction


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-11-26, got {value!r}") from None


def _parent(*names: str, **options: object) -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(*names, **options)  # type: ignore[arg-type]
    return parent


def config_option() -> argparse.ArgumentParser:
    """Parent parser of every command that reads the station file: `--config`."""
    return _parent("--config", type=Path, help=CONFIG_HELP)


def program_option() -> argparse.ArgumentParser:
    """Parent parser: `--program`, one program of the station."""
    return _parent("--program", help="program id from the config, e.g. sang (default: the first)")


def date_option() -> argparse.ArgumentParser:
    """Parent parser: `--date`, the program's date."""
    return _parent("--date", type=iso_date,
                   help="program date YYYY-MM-DD (default: today in the station's timezone)")


def epilog(examples: str, note: str = "") -> str:
    """The `--help` tail: example lines (indented, one command each), then a note."""
    lines = examples.strip("\n")
    text = lines if not lines or lines.startswith("examples:") else "examples:\n" + lines
    return "\n\n".join(part for part in (text, note.strip("\n")) if part)


def add_command(commands: Commands, name: str, help_text: str, examples: str, *, note: str = "",
                parents: Sequence[argparse.ArgumentParser] = ()) -> argparse.ArgumentParser:
    """Add command `name`, its `--help` ending with its examples (and `note`)."""
    return commands.add_parser(name, help=help_text, description=help_text, epilog=epilog(examples, note),
                               parents=list(parents), formatter_class=argparse.RawDescriptionHelpFormatter)


def command_group(commands: Commands, name: str, help_text: str, examples: str = "",
                  dest: str = "action") -> Callable[..., argparse.ArgumentParser]:
    """Add command `name` with sub-actions; returns a factory for its actions.

    Each action's `--help` shows its own examples; the group's shows all of them, in the order
    the actions were added (after `examples`, the group's own, if given). An action takes
    `--config` unless other `parents` are given.
    """
    parser = add_command(commands, name, help_text, examples)
    actions = parser.add_subparsers(dest=dest, metavar="ACTION", required=True)
    every: list[str] = [examples.strip("\n")] if examples.strip() else []

    def action(action_name: str, action_help: str, action_examples: str = "", *,
               parents: Sequence[argparse.ArgumentParser] | None = None) -> argparse.ArgumentParser:
        if action_examples.strip():
            every.append(action_examples.strip("\n"))
            parser.epilog = epilog("\n".join(every))
        return add_command(actions, action_name, action_help, action_examples or examples,
                           parents=[config_option()] if parents is None else parents)

    return action


def who(args: argparse.Namespace) -> str:
    """Who makes a change from the command line, for the journal: --by, else cli:<system user>."""
    if getattr(args, "by", None):
        return str(args.by)
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"
