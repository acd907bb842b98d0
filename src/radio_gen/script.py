"""The program script: editable Jinja2 templates composed into ordered segments.

("Render" in radio-gen means making the audio, `render.Renderer`; a script is composed.)

Templates are editor territory, so they run in Jinja2's sandbox with strict undefined
names. They place audio with `{{ clip("nhac-hieu") }}` and silence with
`{{ pause(1.5) }}`, and hand the microphone to an announcer with `{{ voice("B") }}`
(a role from the station's `[voices]`; inside a news item it lasts to the item's end);
`{{ news_item(item) }}` fills `item.j2` for one article and ties
its speech to that article in the rundown. Everything else they print is speech:
paragraphs (separated by a blank line) become speech segments.
"""

from __future__ import annotations

import datetime as dt
import math
import multiprocessing
import re
import resource
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Callable, Mapping

import jinja2
from jinja2.ext import Extension
from jinja2.sandbox import SandboxedEnvironment

from radio_gen.config import StationConfig
from radio_gen.programs import ProgramConfig
from radio_gen.errors import RadioGenError
from radio_gen.intake.articles import Article
from radio_gen.intake.sources.names import UNSAFE
from radio_gen.text import spoken_date

_MARK = "\x1e"
_DIRECTIVE = re.compile(_MARK + r"(\w+):([^" + _MARK + r"]*)" + _MARK)
_CLIP_NAME = re.compile(r"^[\w.-]{1,64}$")
MAX_PAUSE_SECONDS = 30.0
#: An editor's template is untrusted: it gets this long, this much memory and output.
COMPOSE_TIMEOUT_SECONDS = 10.0
COMPOSE_MEMORY_BYTES = 1 << 30
MAX_SCRIPT_CHARS = 2_000_000


class TemplateError(RadioGenError):
    """A template could not be filled; the message names file, line and problem."""


@dataclass(frozen=True)
class Speech:
    """Text an engine speaks; `article_id` ties it to a news item, `role` names its announcer."""

    text: str
    article_id: str | None = None
    role: str | None = None
    #: The text as the engine will get it (normalized); None until the build prepares the script.
    spoken: str | None = None


@dataclass(frozen=True)
class Clip:
    """A named audio file (signature tune, stinger) from the station's clips folder."""

    name: str


@dataclass(frozen=True)
class Pause:
    """Silence, in seconds."""

    seconds: float


Segment = Speech | Clip | Pause


@dataclass
class Script:
    """What a program will say and play, in order."""

    station: str
    program: ProgramConfig
    date: dt.date
    segments: list[Segment] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)

    def speech(self) -> list[Speech]:
        return [s for s in self.segments if isinstance(s, Speech)]


class _Directive(str):
    """Marker text produced by clip()/pause()/news_item(): passes `finalize` untouched."""


class _NoMarkers(Extension):
    """Template source is editor territory too: the marker character typed (or pasted) into
    a template's literal text is removed before Jinja compiles it, so only clip(), pause(),
    voice() and news_item() make directives."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return source.replace(_MARK, "")


def _finalize(value: Any) -> Any:
    # Whatever a template prints from data must not smuggle in directive markers.
    if isinstance(value, _Directive):
        return value
    return str(value).replace(_MARK, "") if value is not None else ""


def _clip(name: str) -> _Directive:
    if not isinstance(name, str) or not _CLIP_NAME.match(name):
        raise ValueError(f"clip name must be a short file name without folders, got {name!r}")
    return _Directive(f"{_MARK}clip:{name}{_MARK}")


def _pause(seconds: float) -> _Directive:
    try:
        value = float(seconds)
    except (TypeError, ValueError):
        raise ValueError(f"pause() takes seconds as a number, got {seconds!r}") from None
    if not 0 <= value <= MAX_PAUSE_SECONDS:
        raise ValueError(f"pause() must be between 0 and {MAX_PAUSE_SECONDS:g} seconds, got {value:g}")
    return _Directive(f"{_MARK}pause:{value:g}{_MARK}")


def _voice_directive(roles: tuple[str, ...]) -> Callable[[str], _Directive]:
    def voice(role: str) -> _Directive:
        if role not in roles:
            known = ", ".join(roles) if roles else "none: add [voices.A] tables to the station file"
            raise ValueError(f"voice({role!r}): no such announcer (announcers: {known})")
        return _Directive(f"{_MARK}voice:{role}{_MARK}")
    return voice


def _sentence(text: Any) -> str:
    """End a title with a full stop so the engine pauses after it."""
    text = str(text).strip()
    return text if not text or text[-1] in ".!?…:;" else text + "."


def make_environment(templates_dir: Path | None, drafts: Mapping[str, str] | None = None) -> SandboxedEnvironment:
    """A sandboxed environment that looks in the station's folder, then the package.

    `drafts` (name -> source) come first: an editor's unsaved text, previewed and
    validated exactly as the build would compose it once saved.
    """
    loaders: list[jinja2.BaseLoader] = []
    if drafts:
        found = dict(drafts)
        loaders.append(jinja2.FunctionLoader(lambda name: (found[name], name, lambda: True) if name in found else None))
    if templates_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(templates_dir)))
    loaders.append(jinja2.PackageLoader("radio_gen", "templates"))
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=[_NoMarkers],
    )
    env.filters["sentence"] = _sentence
    env.globals.update(clip=_clip, pause=_pause, voice=_voice_directive(()))
    return env


def compose_script(config: StationConfig, program: ProgramConfig, date: dt.date,
                  articles: list[Article], drafts: Mapping[str, str] | None = None) -> Script:
    """Fill the program template in a child process, or raise TemplateError.

    A template that loops forever, or builds a string of hundreds of megabytes, is
    stopped there (time limit, memory limit, output limit) instead of hanging or
    exhausting the station PC.
    """
    context = multiprocessing.get_context("forkserver")
    # The fork server imports this module once; each template's child is then a plain
    # fork of it (~10 ms) instead of a fresh interpreter importing Jinja2 and radio_gen.
    context.set_forkserver_preload([__name__])
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_compose_in_child, name="radio-gen-template", daemon=True,
                            args=(sender, config, program, date, articles, dict(drafts or {})))
    child.start()
    sender.close()
    try:
        if not receiver.poll(COMPOSE_TIMEOUT_SECONDS):
            raise TemplateError(f"{program.template}: the template did not finish within "
                                f"{COMPOSE_TIMEOUT_SECONDS:g} s (a loop that never ends?)")
        try:
            outcome, value = receiver.recv()
        except EOFError:
            child.join(5)
            raise TemplateError(f"{program.template}: the template stopped unexpectedly "
                                f"(exit status {child.exitcode})") from None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if outcome == "error":
        raise TemplateError(value)
    return value


def _compose_in_child(sender, config: StationConfig, program: ProgramConfig,  # type: ignore[no-untyped-def]
                     date: dt.date, articles: list[Article], drafts: dict[str, str]) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (COMPOSE_MEMORY_BYTES, COMPOSE_MEMORY_BYTES))
    try:
        result: tuple[str, object] = ("ok", compose_script_here(config, program, date, articles, drafts))
    except TemplateError as exc:
        result = ("error", str(exc))
    except MemoryError:
        result = ("error", f"{program.template}: the template used more than "
                           f"{COMPOSE_MEMORY_BYTES >> 20} MB of memory")
    sender.send(result)
    sender.close()


def compose_script_here(config: StationConfig, program: ProgramConfig, date: dt.date,
                       articles: list[Article], drafts: Mapping[str, str] | None = None) -> Script:
    """Compose in this process (no limits): for callers that already isolate it."""
    env = make_environment(config.templates_dir, drafts)
    voices = [r.name for r in config.voices.roles]
    context = {
        "station": {"name": config.name, "district": config.district, "province": config.province},
        "program": {"id": program.id, "title": program.title,
                    "broadcast": program.broadcast.strftime("%H:%M")},
        "date": date,
        "spoken_date": spoken_date(date, config.speech.dialect),
        "items": [_item_view(a, i) for i, a in enumerate(articles, 1)],
        "voices": voices,
    }
    env.globals["voice"] = _voice_directive(tuple(voices))

    known_ids = frozenset(a.id for a in articles)

    def news_item(item: dict[str, Any]) -> _Directive:
        item_id = item.get("id") if isinstance(item, dict) else None
        if item_id not in known_ids:
            raise ValueError("news_item() takes one of the program's items (for item in items), "
                             f"got {str(item)[:60]!r}")
        body = _fill(env, "item.j2", {**context, "item": item})
        return _Directive(f"{_MARK}item:{item_id}{_MARK}{body}{_MARK}item:{_MARK}")

    env.globals["news_item"] = news_item
    filled = _fill(env, program.template, context)
    try:
        segments = parse_segments(filled, roles=frozenset(voices), item_ids=known_ids)
    except TemplateError as exc:
        raise TemplateError(f"{program.template}: {exc}") from None
    _check_length(segments, config, program)
    return Script(station=config.name, program=program, date=date, segments=segments, articles=list(articles))


def _check_length(segments: list[Segment], config: StationConfig, program: ProgramConfig) -> None:
    """Refuse a program far longer than the station airs (a loop of pause(30) made ten hours).

    Speech is estimated at the station's reading rate, a syllable a word; clips are not
    counted (their files are bounded on their own).
    """
    words = sum(len(s.text.split()) for s in segments if isinstance(s, Speech))
    seconds = sum(s.seconds for s in segments if isinstance(s, Pause))
    seconds += words * 60 / config.articles.syllables_per_minute
    limit = config.output.max_minutes
    if seconds > limit * 60:
        raise TemplateError(f"{program.template}: the program would last about {seconds / 60:,.0f} minutes, "
                            f"more than the station's limit of {limit:g} ([output] max_minutes): "
                            "a loop that repeats pause() or news_item()?")


def _item_view(article: Article, number: int) -> dict[str, Any]:
    return {"id": article.id, "number": number, "title": article.title, "paragraphs": article.paragraphs,
            "byline": article.byline or "", "source": article.source,
            "published": article.published}


def _fill(env: SandboxedEnvironment, name: str, context: dict[str, Any]) -> str:
    try:
        return _bounded(env.get_template(name).generate(context), name)
    except TemplateError:
        raise
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template '{exc.name}' not found (looked in the station's templates "
                            "folder and the built-in templates)") from None
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise TemplateError(f"{where}, line {exc.lineno}: syntax error: {exc.message}") from None
    except (jinja2.TemplateError, ValueError, TypeError, ArithmeticError, LookupError, RecursionError) as exc:
        where, line = _template_frame(exc.__traceback__, name)
        problem = _describe(exc)
        raise TemplateError(f"{where}, line {line}: {problem}" if line else f"{where}: {problem}") from None


def _bounded(pieces: Any, name: str) -> str:
    """Join streamed template output, refusing more than MAX_SCRIPT_CHARS."""
    out, size = [], 0
    for piece in pieces:
        size += len(piece)
        if size > MAX_SCRIPT_CHARS:
            raise TemplateError(f"{name} (with the templates it includes) produced more than "
                                f"{MAX_SCRIPT_CHARS:,} characters (a runaway loop or a huge string?)")
        out.append(piece)
    return "".join(out)


def _template_frame(tb: TracebackType | None, name: str) -> tuple[str, int | None]:
    """The innermost template file and line in a traceback (Jinja maps frames to them)."""
    where, line = name, None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not filename.endswith(".py") and not filename.startswith("<frozen"):
            where, line = filename, tb.tb_lineno
        tb = tb.tb_next
    return where, line


def _describe(exc: BaseException) -> str:
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return f"not allowed in a template: {exc}"
    if isinstance(exc, jinja2.UndefinedError):
        return f"undefined name: {exc.message}"
    return f"{type(exc).__name__}: {exc}"


def parse_segments(filled: str, *, roles: frozenset[str] | None = None,
                   item_ids: frozenset[str] | None = None) -> list[Segment]:
    """Split filled template output into speech, clip and pause segments.

    Every directive's value is checked here too, whatever made it (a filter block can
    rewrite the text of a pause()): a pause is a finite number of seconds in range, a
    clip a plain name, a voice one of `roles`, an item one of `item_ids` (None: not checked).
    TemplateError names the first bad one.
    """
    segments: list[Segment] = []
    article_id: str | None = None
    role: str | None = None
    role_before_item: str | None = None
    position = 0
    for match in _DIRECTIVE.finditer(filled):
        _add_speech(segments, filled[position:match.start()], article_id, role)
        kind, value = match.group(1), match.group(2)
        _check_directive(kind, value, roles, item_ids)
        if kind == "clip":
            segments.append(Clip(value))
        elif kind == "pause":
            segments.append(Pause(float(value)))
        elif kind == "voice":
            role = value
        elif kind == "item":
            article_id = value or None
            # A voice chosen inside a news item lasts until the item ends.
            if article_id is not None:
                role_before_item = role
            else:
                role = role_before_item
        position = match.end()
    _add_speech(segments, filled[position:], article_id, role)
    return segments


def _check_directive(kind: str, value: str, roles: frozenset[str] | None,
                     item_ids: frozenset[str] | None) -> None:
    problem = None
    if kind == "pause":
        try:
            seconds = float(value)
        except ValueError:
            seconds = math.nan
        if not 0 <= seconds <= MAX_PAUSE_SECONDS:  # also false for nan
            problem = f"a pause must be 0 to {MAX_PAUSE_SECONDS:g} seconds"
    elif kind == "clip":
        if not _CLIP_NAME.match(value) or value.strip(".") == "":
            problem = "a clip is named by a short file name without folders"
    elif kind == "voice":
        if roles is not None and value not in roles:
            problem = "no such announcer"
    elif kind == "item":
        if item_ids is not None and value and value not in item_ids:
            problem = "not one of the program's items"
    else:
        problem = "unknown directive"
    if problem:
        raise TemplateError(f"the output holds a bad directive {kind}:{value[:40]!r} ({problem}); "
                            "make audio only with clip(), pause(), voice() and news_item()")


def _add_speech(segments: list[Segment], text: str, article_id: str | None, role: str | None) -> None:
    for paragraph in re.split(r"\n\s*\n", text.replace(_MARK, "")):
        # Control and bidi characters (from a station name, a title, a template) are noise to an engine.
        spoken = " ".join(UNSAFE.sub("", " ".join(paragraph.split())).split())
        if spoken:
            segments.append(Speech(spoken, article_id, role))
