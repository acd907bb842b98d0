"""The newsroom's "Mẫu chương trình" page: the station's templates, an editor, a live preview, versions.

Handlers only parse the request and call the library (radio_gen.template_versions,
radio_gen.template_check, radio_gen.script), shared with `radio-gen templates …`.
The preview renders today's articles with the editor's unsaved text through
`script.compose_script`, the path the build takes (sandbox, child process, limits).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from radio_gen import editing
from radio_gen import template_versions as tv
from radio_gen.config import ConfigError
from radio_gen.errors import RadioGenError
from radio_gen.intake.pipeline import select_for
from radio_gen.intake.store import Store
from radio_gen.script import Clip, Pause, Speech, TemplateError, compose_script
from radio_gen.template_check import Problem, blame, parse_problem, problem_of
from radio_gen.web import i18n


def _name(request: Request) -> str | None:
    name = request.path_params["name"]
    return name if tv.NAME.match(name) else None


def _url(name: str) -> str:
    return f"/mau/{name}"


_LOOKING_FOR = r"\. Jinja was looking for the following tags: (?P<tags>.+?)\. The innermost block that needs to be " \
               r"closed is '(?P<block>[^']+)'\."
#: Jinja's own messages (English), recognised so that an editor reads them in the page's language.
_JINJA = tuple((re.compile(pattern), key) for pattern, key in (
    (r"Unexpected end of template" + _LOOKING_FOR, "jinja.unclosed"),
    (r"Encountered unknown tag '(?P<tag>[^']+)'" + _LOOKING_FOR, "jinja.misplaced"),
    (r"Encountered unknown tag '(?P<tag>[^']+)'\.", "jinja.unknown_tag"),
    (r"unexpected char '(?P<char>.+)' at \d+", "jinja.bad_char"),
    (r"unexpected '(?P<what>[^']+)'", "jinja.unexpected"),
    (r"unexpected '(?P<got>[^']+)', expected '(?P<want>[^']+)'", "jinja.expected"),
    (r"expected token '(?P<want>[^']+)', got '(?P<got>[^']+)'", "jinja.expected"),
    (r"Expected an expression, got '(?P<got>[^']+)'", "jinja.no_expression"),
    (r"No filter named '(?P<name>[^']+)'\.?", "jinja.no_filter"),
    (r"No test named '(?P<name>[^']+)'\.?", "jinja.no_test"),
    (r"'(?P<name>[^']+)' is undefined", "jinja.undefined"),
    (r"'(?P<owner>[^']+)' has no attribute '(?P<name>[^']+)'", "jinja.no_attribute"),
))
#: Values that are a token or a list of tags, not a name from the template.
_TOKENS = ("want", "got", "what", "tags")


def jinja_detail(t: Any, detail: str) -> str:
    """Jinja's message in the page's language when it is one of the usual ones, else as Jinja wrote it."""
    for pattern, key in _JINJA:
        found = pattern.fullmatch(detail.strip())
        if found:
            values = {name: _token(t, value) if name in _TOKENS else value
                      for name, value in found.groupdict().items()}
            return t(key, **values)
    return detail


def _token(t: Any, text: str) -> str:
    """'end of print statement' → its words in the page's language; "'endfor' or 'else'" → «endfor» or «else»."""
    if t(f"jinja.tok.{text}") != f"jinja.tok.{text}":
        return str(t(f"jinja.tok.{text}"))
    parts = re.findall(r"'([^']+)'", text)
    return t("jinja.or").join(f"«{part}»" for part in parts) if parts else f"«{text}»"


def problem_text(t: Any, problem: Problem) -> str:
    """'Mẫu item.j2, dòng 3: lỗi cú pháp: thừa «}» ở đây' in the page's language."""
    what = t(f"tpl_kind.{problem.kind}")
    if problem.detail:
        what = f"{what}: {jinja_detail(t, problem.detail)}"
    if problem.line:
        return t("tpl_at_line", template=problem.template or "?", line=problem.line, what=what)
    return t("tpl_no_line", template=problem.template or "?", what=what)


def local(newsroom: Any, moment: dt.datetime) -> str:
    """dd/mm/yyyy hh:mm in the station's time zone, as every page shows times."""
    return i18n.local_time(moment, newsroom.config.tz)


async def listing(request: Request) -> Response:
    newsroom = request.app.state.newsroom
    try:
        templates = await run_in_threadpool(tv.listing, newsroom.config)
    except RadioGenError as exc:
        templates = []
        request.session["flash"] = str(exc)
    return newsroom.render(request, "templates.html", templates=templates, local=lambda m: local(newsroom, m))


async def template_page(request: Request) -> Response:
    return await _editor(request)


async def _editor(request: Request, status: int = 200, source: str | None = None, version: int | None = None,
                  problems: list[Problem] | None = None, conflict: str | None = None) -> Response:
    newsroom = request.app.state.newsroom
    name = _name(request)
    if name is None:
        return await newsroom.refuse(request, 404, "not_found")

    def work() -> tuple[tv.Template, list[tv.Version]]:
        return tv.current(newsroom.config, name), tv.versions(newsroom.config, name)

    try:
        template, versions = await run_in_threadpool(work)
    except tv.TemplateNameError:
        return await newsroom.refuse(request, 404, "not_found")
    except tv.TemplateVersionError as exc:
        request.session["flash"] = str(exc)
        return RedirectResponse("/mau", status_code=303)
    t = newsroom.translator(request)
    problems = problems or []
    return newsroom.render(
        request, "template.html", status=status, template=template, versions=versions,
        source=template.source if source is None else source,
        version=template.version if version is None else version,
        problems=[problem_text(t, p) for p in problems], error_line=_error_line(name, problems) or "",
        conflict=conflict,
        programs=newsroom.config.programs, preview_program=_program_of(newsroom.config, name).id, base=_url(name),
        local=lambda m: local(newsroom, m))


async def save(request: Request) -> Response:
    newsroom = request.app.state.newsroom
    name = _name(request)
    if name is None:
        return await newsroom.refuse(request, 404, "not_found")
    form = await request.form()
    source = str(form.get("source", ""))
    try:
        version = int(str(form.get("version", "")))
    except ValueError:
        return await newsroom.refuse(request, 400, "csrf_failed")
    try:
        saved = await run_in_threadpool(lambda: tv.save(newsroom.config, name, source, expected_version=version,
                                                        by=request.state.user.name, date=newsroom.now().date()))
    except tv.TemplateInvalid as exc:
        request.session["flash"] = "template_invalid"
        return await _editor(request, 422, source, version, problems=exc.problems)
    except tv.TemplateConflict as exc:
        request.session["flash"] = "template_conflict"
        return await _editor(request, 409, source, version, conflict=str(exc))
    except tv.TemplateVersionError as exc:
        request.session["flash"] = str(exc)
        return RedirectResponse(_url(name), status_code=303)
    request.session["flash"] = "template_unchanged" if saved.version == version else "template_saved"
    return RedirectResponse(_url(name), status_code=303)


async def customise(request: Request) -> Response:
    newsroom = request.app.state.newsroom
    name = _name(request)
    if name is None:
        return await newsroom.refuse(request, 404, "not_found")
    return await _change(request, name, "template_customised", lambda: tv.customise(
        newsroom.config, name, by=request.state.user.name, date=newsroom.now().date()))


async def restore(request: Request) -> Response:
    newsroom = request.app.state.newsroom
    name = _name(request)
    form = await request.form()
    try:
        number, current = int(str(form.get("version", ""))), int(str(form.get("current", "")))
    except ValueError:
        name = None
    if name is None:
        return await newsroom.refuse(request, 404, "not_found")
    return await _change(request, name, "template_restored", lambda: tv.restore(
        newsroom.config, name, number, expected_version=current, by=request.state.user.name,
        date=newsroom.now().date()))


async def _change(request: Request, name: str, done: str, work: Callable[[], object]) -> Response:
    """A customise or restore: its outcome flashed, back to the template (a refused one at its line)."""
    try:
        await run_in_threadpool(work)
        request.session["flash"] = done
    except tv.TemplateConflict:
        request.session["flash"] = "template_conflict"
    except tv.TemplateInvalid as exc:
        request.session["flash"] = "template_invalid"
        return await _editor(request, 422, problems=exc.problems)
    except tv.TemplateVersionError as exc:
        request.session["flash"] = str(exc)
    return RedirectResponse(_url(name), status_code=303)


async def compare(request: Request) -> Response:
    newsroom = request.app.state.newsroom
    name = _name(request)
    try:
        old = int(request.query_params.get("a", ""))
        new = int(request.query_params["b"]) if request.query_params.get("b") else None
    except ValueError:
        name = None
    if name is None:
        return await newsroom.refuse(request, 404, "not_found")
    try:
        lines = await run_in_threadpool(tv.compare, newsroom.config, name, old, new)
    except tv.TemplateVersionError:
        return await newsroom.refuse(request, 404, "not_found")
    return newsroom.render(request, "template_diff.html", template_name=name, old=old, new=new, lines=lines,
                           changed=any(m != " " for m, _ in lines), base=_url(name))


async def preview(request: Request) -> Response:
    """JSON: today's program rendered with the editor's unsaved text, as the build would say it."""
    newsroom = request.app.state.newsroom
    name = _name(request)
    if name is None:
        return JSONResponse({"ok": False, "problems": []}, status_code=404)
    try:
        data = await request.json()
        source = str(data.get("source", ""))
        wanted = str(data.get("program", ""))
    except (ValueError, AttributeError):
        return JSONResponse({"ok": False, "problems": []}, status_code=400)
    if len(source) > tv.MAX_TEMPLATE_CHARS:
        return JSONResponse({"ok": False, "problems": [f"> {tv.MAX_TEMPLATE_CHARS:,}"]}, status_code=413)
    config = newsroom.config
    t = newsroom.translator(request)
    day = newsroom.now().date()

    def work() -> dict[str, Any]:
        try:
            program = config.program(wanted) if wanted else _program_of(config, name)
        except ConfigError:
            program = _program_of(config, name)
        syntax = parse_problem(config, name, source)
        if syntax is not None:
            return _problems(t, name, [syntax])
        try:
            with Store.open(config.store_path) as store:
                articles = select_for(config, store, program, day).chosen
        except RadioGenError:
            articles = []
        try:
            script = compose_script(config, program, day, articles, {name: source})
        except TemplateError as exc:
            return _problems(t, name, [blame(problem_of(exc), name)])
        say = editing.sayer(config)
        segments = []
        for segment in script.segments:
            if isinstance(segment, Speech):
                segments.append({"kind": "speech", "text": say(segment.text), "item": bool(segment.article_id)})
            elif isinstance(segment, Clip):
                segments.append({"kind": "clip", "text": f"♪ {t('music')}: {segment.name}"})
            elif isinstance(segment, Pause):
                segments.append({"kind": "pause", "text": f"{t('pause')} {t('n_seconds', seconds=segment.seconds)}"})
        return {"ok": True, "program": program.id, "items": len(articles), "segments": segments, "problems": []}

    return JSONResponse(await run_in_threadpool(work))


def _program_of(config: Any, name: str) -> Any:
    """The program to preview `name` with: the first whose template it is, else the first."""
    return next((p for p in config.programs if p.template == name), config.programs[0])


def _error_line(name: str, problems: list[Problem]) -> int | None:
    """The line of `name` the editor marks: the first problem found in it."""
    return next((p.line for p in problems if p.template == name and p.line), None)


def _problems(t: Any, name: str, problems: list[Problem]) -> dict[str, Any]:
    return {"ok": False, "line": _error_line(name, problems), "problems": [problem_text(t, p) for p in problems],
            "segments": []}
