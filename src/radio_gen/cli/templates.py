"""`radio-gen templates check`: the station's templates validated in the build's own sandbox
(template_check.py does the checking)."""

from __future__ import annotations

import argparse
from pathlib import Path

from radio_gen.cli.common import Commands, command_group
from radio_gen.config import load_config
from radio_gen.template_check import TemplatesInvalid, check


def add_parser(commands: Commands) -> None:
    action = command_group(commands, "templates", "check the station's program templates")
    sub = action("check", "parse and render every template in the build's sandbox; errors at their line", """
  radio-gen templates check --config station.toml      parse and render every template as the build does""")
    sub.set_defaults(handler=cmd_check)


def cmd_check(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    checked, problems = check(config, config.today())
    where: Path | None = config.templates_dir
    print(f"templates in {where}: {', '.join(checked) if checked else 'none (the built-in templates are used)'}")
    for problem in problems:
        print(f"!! {problem.message}")
    if problems:
        raise TemplatesInvalid(f"{len(problems)} template problem(s): the build would fail; fix the line shown")
    print(f"ok: {len(config.programs)} program(s) render")
    return 0
