"""The cli/ package: shared options written once, each action's help with its own examples,
and `main()` callable many times in one process (it returns the status and leaves logging as it was)."""

from __future__ import annotations

import argparse
import logging
import re
from pathlib import Path

import pytest

from radio_gen.cli import main, make_parser
from radio_gen.cli.common import CONFIG_HELP, EXIT_FAILED, EXIT_OK


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _actions() -> list[tuple[str, str]]:
    return [(group, name) for group, parser in _subcommands(make_parser()).items()
            for name in _subcommands(parser)]


def _examples(help_text: str) -> list[str]:
    """The example command lines of a --help text (without their comments)."""
    block = help_text.split("examples:\n", 1)[1]
    return [re.split(r"\s{3,}", line.strip())[0] for line in block.splitlines() if "radio-gen " in line]


def _option(parser: argparse.ArgumentParser, flag: str) -> argparse.Action | None:
    return next((a for a in parser._actions if flag in a.option_strings), None)


def test_the_groups_have_actions() -> None:
    groups = {group for group, _ in _actions()}
    assert {"articles", "voices", "users", "templates"} <= groups


@pytest.mark.parametrize(("group", "name"), _actions())
def test_each_action_shows_its_own_examples_only(group: str, name: str) -> None:
    group_parser = _subcommands(make_parser())[group]
    own = _examples(_subcommands(group_parser)[name].format_help())
    assert own, f"`radio-gen {group} {name} --help` has no example"
    assert all(re.search(rf"radio-gen {group} {name}\b", line) for line in own), own
    assert set(own) <= set(_examples(group_parser.format_help())), "the group's help lists every action's examples"


def test_every_config_option_is_the_shared_one() -> None:
    """`--config` means one thing with one help text everywhere; only `normalize` reads no station file."""
    without = []
    for command, parser in _subcommands(make_parser()).items():
        for leaf in _subcommands(parser).values() or [parser]:
            option = _option(leaf, "--config")
            if option is None:
                without.append(command)
            else:
                assert option.help == CONFIG_HELP and option.type is Path
    assert without == ["normalize"]


def test_program_dates_are_parsed_alike_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["build", "--date", "26/11/2026"], ["run-now", "sang", "--date", "2026-13-01"],
                 ["articles", "list", "--date", "hôm nay"]):
        assert main(argv) == 2
        assert "expected a date like 2026-11-26" in capsys.readouterr().err


def test_main_returns_the_status_for_help_usage_errors_and_failures(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == EXIT_OK and "COMMAND" in capsys.readouterr().out
    assert main(["no-such-command"]) == 2 and "invalid choice" in capsys.readouterr().err
    missing = tmp_path / "missing.toml"
    assert main(["status", "--config", str(missing)]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert err.startswith("radio-gen: error: ") and str(missing) in err and "Traceback" not in err


def test_main_logs_to_the_stderr_of_each_call_and_leaves_logging_as_it_was(
        station: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (station.parent / "articles" / "rong.txt").write_text("", encoding="utf-8")
    root, package = logging.getLogger(), logging.getLogger("radio_gen")
    before = (root.handlers[:], root.level, package.handlers[:], package.level, package.propagate)
    for _ in range(2):  # the second call must not print each warning twice
        assert main(["script", "--config", str(station)]) == EXIT_OK
        captured = capsys.readouterr()
        warnings = [line for line in captured.err.splitlines() if line.startswith("radio-gen: WARNING: ")]
        assert len(warnings) == 1 and "rong.txt" in warnings[0], captured.err
        assert "Huyện ra quân làm thủy lợi" in captured.out
    assert (root.handlers[:], root.level, package.handlers[:], package.level, package.propagate) == before
