"""The station's templates checked in the build's own sandbox, before a build meets them.

Each template file of the station folder is parsed (a syntax error is reported at its
line), then every program is rendered as the build would (sandboxed environment, in a
child process with time, memory and output limits) for a sample article, so an
undefined name or a forbidden attribute is caught before the build meets it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import jinja2

from radio_gen.config import StationConfig
from radio_gen.errors import RadioGenError
from radio_gen.intake.articles import Article
from radio_gen.script import TemplateError, make_environment, compose_script

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
            compose_script(config, program, date, [SAMPLE])
        except TemplateError as exc:
            message = str(exc)
            if not any(message.startswith(name) or f"/{name}," in message for name in broken):
                problems.append(Problem(program.template, f"program {program.id}: {message}"))
    return checked, problems
