"""`radio-gen templates check`: the station's templates validated in the build's own sandbox.

Each template file of the station folder is parsed (a syntax error is reported at its
line), then every program is rendered as the build would (sandboxed environment, in a
child process with time, memory and output limits) for a sample article, so an
undefined name or a forbidden attribute is caught before the build meets it.
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import jinja2

from radio_gen.articles import Article
from radio_gen.cli_groups import command_group
from radio_gen.config import StationConfig, load_config
from radio_gen.errors import RadioGenError
from radio_gen.script import TemplateError, make_environment, render_script

EXAMPLES = """examples:
  radio-gen templates check --config station.toml      parse and render every template as the build does"""

SAMPLE = Article(title="Tin mẫu để kiểm tra mẫu chương trình",
                 body="Đoạn thứ nhất của tin mẫu.\n\nĐoạn thứ hai của tin mẫu.",
                 source="kiem-tra", location="", published=None, byline="Phóng viên")


class TemplatesInvalid(RadioGenError):
    """At least one template of the station would stop the build."""


@dataclass(frozen=True)
class Problem:
    template: str
    message: str


def check(config: StationConfig, date: dt.date) -> tuple[list[str], list[Problem]]:
    """(templates checked, problems) for the station's folder and every program."""
    env = make_environment(config.templates_dir)
    checked: list[str] = []
    problems: list[Problem] = []
    folder = config.templates_dir
    files = sorted(folder.glob("*.j2")) if folder is not None and folder.is_dir() else []
    for path in files:
        checked.append(path.name)
        try:
            source = path.read_text(encoding="utf-8")
            env.parse(source, path.name, str(path))
        except UnicodeDecodeError as exc:
            problems.append(Problem(path.name, f"{path.name}: not UTF-8 text (byte {exc.start})"))
        except OSError as exc:
            problems.append(Problem(path.name, f"{path.name}: cannot be read: {exc.strerror}"))
        except jinja2.TemplateSyntaxError as exc:
            problems.append(Problem(path.name, f"{path.name}, line {exc.lineno}: syntax error: {exc.message}"))
    broken = {p.template for p in problems}
    for program in config.programs:
        try:
            render_script(config, program, date, [SAMPLE])
        except TemplateError as exc:
            message = str(exc)
            if not any(message.startswith(name) or f"/{name}," in message for name in broken):
                problems.append(Problem(program.template, f"program {program.id}: {message}"))
    return checked, problems


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    action = command_group(commands, "templates", "check the station's program templates", EXAMPLES, "action")
    sub = action("check", "parse and render every template in the build's sandbox; errors at their line")
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
