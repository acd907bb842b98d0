"""Argparse plumbing shared by commands with actions (`articles list`, `voices try`)."""

from __future__ import annotations

import argparse
import getpass
from collections.abc import Callable
from pathlib import Path

CONFIG_HELP = ("station TOML file (default: $RADIO_GEN_CONFIG, else ./station.toml, else the bundled demo, "
               "which says so and keeps its files in ~/.local/state/radio-gen/demo)")


def command_group(commands: argparse._SubParsersAction, name: str, help_text: str,  # type: ignore[type-arg]
                  examples: str, dest: str) -> Callable[[str, str], argparse.ArgumentParser]:
    """Add command `name` with sub-actions; returns a factory for its actions.

    Every action shows the group's examples and takes `--config`.
    """
    parser = commands.add_parser(name, help=help_text, description=help_text, epilog=examples,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = parser.add_subparsers(dest=dest, metavar="ACTION", required=True)

    def action(action_name: str, action_help: str) -> argparse.ArgumentParser:
        sub = actions.add_parser(action_name, help=action_help, description=action_help, epilog=examples,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
        sub.add_argument("--config", type=Path, help=CONFIG_HELP)
        return sub

    return action


def who(args: argparse.Namespace) -> str:
    """Who makes a change from the command line, for the journal: --by, else cli:<system user>."""
    if getattr(args, "by", None):
        return str(args.by)
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"
