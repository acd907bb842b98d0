"""Every command is documented: in --help with examples, and in the README (or docs/)."""

from __future__ import annotations

import re

import pytest

from conftest import REPO, run_cli
from radio_gen.cli import make_parser


def _commands() -> list[str]:
    parser = make_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return sorted(sub.choices)


@pytest.mark.parametrize("command", _commands())
def test_command_help_has_examples_and_readme_mentions_it(command: str) -> None:
    done = run_cli(command, "--help")
    assert done.returncode == 0
    assert "examples:" in done.stdout and f"radio-gen {command}" in done.stdout
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"`radio-gen {command}" in readme, "the operator's README lists every command"


def test_readme_opens_with_exactly_two_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```sh\n(.*?)```", readme, re.S).group(1)
    commands = [line for line in first_block.splitlines() if line.strip()]
    assert len(commands) == 2
    assert "radio-gen build" in commands[0] and "pytest" in commands[1]
    assert commands[1].split("#")[0].strip() in (REPO / ".ci" / "run").read_text()


def test_console_script_points_at_main() -> None:
    from importlib.metadata import entry_points

    [script] = [e for e in entry_points(group="console_scripts") if e.name == "radio-gen"]
    assert script.value == "radio_gen.cli:main"
