"""Template validation in the build's own sandbox: `radio-gen templates check` and the newsroom's save.

A template is parsed (a syntax error is reported at its line), then every program is
rendered as the build renders it (`script.compose_script`: sandboxed environment, in a
child process with time, memory and output limits) for a sample article, so an
undefined name or a forbidden attribute is caught before the build meets it. An
editor's unsaved text is checked the same way, passed as a draft that the loader
finds before the station's file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

from radio_gen.config import StationConfig
from radio_gen.errors import RadioGenError
from radio_gen.intake.articles import Article
from radio_gen.script import TemplateError, compose_script, make_environment

SAMPLE = Article(title="Tin mẫu để kiểm tra mẫu chương trình",
                 body="Đoạn thứ nhất của tin mẫu.\n\nĐoạn thứ hai của tin mẫu.",
                 source="kiem-tra", location="", published=None, byline="Phóng viên")

_AT_LINE = re.compile(r"^(?P<where>[^\n]+?), line (?P<line>\d+): (?P<rest>.*)$", re.S)
_NAMED = re.compile(r"^(?P<where>[\w.-]+\.j2)(?: \(with the templates it includes\))?:? (?P<rest>.*)$", re.S)
#: (kind, what the message says): the kind names the problem in the newsroom's language.
_KINDS = (("syntax", "syntax error"), ("undefined", "undefined name"), ("forbidden", "not allowed in a template"),
          ("timeout", "did not finish within"), ("memory", "MB of memory"), ("output", "produced more than"),
          ("length", "would last about"), ("missing", "not found (looked in"), ("directive", "bad directive"))
#: Every kind of problem a template can have (the newsroom names each in its language).
PROBLEM_KINDS = (*(k for k, _ in _KINDS), "encoding", "unreadable", "other")


class TemplatesInvalid(RadioGenError):
    """At least one template of the station would stop the build."""


@dataclass(frozen=True)
class Problem:
    """One reason a template would stop the build; `line` when the sandbox knows it."""

    template: str
    line: int | None
    kind: str
    detail: str
    message: str        # the whole English message, as `templates check` prints it


def problem_of(error: TemplateError | str, program: str | None = None) -> Problem:
    """A `TemplateError` message taken apart: which template, which line, what kind of problem."""
    text = str(error)
    where, line, rest = "", None, text
    found = _AT_LINE.match(text)
    if found:
        where, line, rest = Path(found["where"]).name, int(found["line"]), found["rest"]
    elif (named := _NAMED.match(text)) is not None:
        where, rest = named["where"], named["rest"]
    else:
        quoted = re.match(r"template '([^']+)' not found", text)
        where = quoted.group(1) if quoted else ""
    kind = next((k for k, marker in _KINDS if marker in rest or marker in text), "other")
    detail = rest.removeprefix("syntax error: ").removeprefix("undefined name: ")
    message = f"program {program}: {text}" if program else text
    return Problem(where, line, kind, detail, message)


def parse_problem(config: StationConfig, name: str, source: str) -> Problem | None:
    """A syntax error in `source` (template `name`), at its line; None if it parses."""
    env = make_environment(config.templates_dir, {name: source})
    try:
        env.parse(source, name, name)
    except jinja2.TemplateSyntaxError as exc:
        return Problem(name, exc.lineno, "syntax", exc.message or "",
                       f"{name}, line {exc.lineno}: syntax error: {exc.message}")
    return None


def render_problems(config: StationConfig, date: dt.date, drafts: dict[str, str] | None = None,
                    skip: frozenset[str] | set[str] = frozenset()) -> list[Problem]:
    """Every program rendered as the build would (with `drafts`); problems not in `skip` templates."""
    problems: list[Problem] = []
    for program in config.programs:
        try:
            compose_script(config, program, date, [SAMPLE], drafts)
        except TemplateError as exc:
            problem = problem_of(exc, program.id)
            if problem.template not in skip and all(p.detail != problem.detail for p in problems):
                problems.append(problem)
    return problems


def check(config: StationConfig, date: dt.date) -> tuple[list[str], list[Problem]]:
    """(templates checked, problems) for the station's folder and every program."""
    checked: list[str] = []
    problems: list[Problem] = []
    folder = config.templates_dir
    files = sorted(folder.glob("*.j2")) if folder is not None and folder.is_dir() else []
    for path in files:
        checked.append(path.name)
        try:
            source = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem(path.name, None, "encoding", f"byte {exc.start}",
                                    f"{path.name}: not UTF-8 text (byte {exc.start})"))
            continue
        except OSError as exc:
            problems.append(Problem(path.name, None, "unreadable", str(exc.strerror),
                                    f"{path.name}: cannot be read: {exc.strerror}"))
            continue
        found = parse_problem(config, path.name, source)
        if found is not None:
            problems.append(found)
    problems.extend(render_problems(config, date, skip={p.template for p in problems}))
    return checked, problems


def check_draft(config: StationConfig, name: str, source: str, date: dt.date) -> list[Problem]:
    """What would stop the build if `source` were saved as template `name`; [] when it is safe.

    A problem the saved templates already have (another template broken on disk) is not
    the draft's fault and does not refuse it: only what the draft changes counts.
    """
    found = parse_problem(config, name, source)
    if found is not None:
        return [found]
    problems = render_problems(config, date, {name: source})
    if not problems:
        return []
    before = {p.detail for p in render_problems(config, date)}
    return [blame(p, name) for p in problems if p.detail not in before]


def blame(problem: Problem, name: str) -> Problem:
    """A problem the draft caused but the sandbox reported against the program (a time limit): the draft's."""
    if problem.line is None and problem.template != name:
        return Problem(name, None, problem.kind, problem.detail, problem.message)
    return problem
