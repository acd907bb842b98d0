"""The newsroom's editing pages: "Tin bài" (the reading queue and each article) and "Phát âm" (the lexicon).

Handlers only parse the request and call the library (radio_gen.editing,
radio_gen.pronunciation, radio_gen.listen); the rules live there, shared with the CLI.
Article text is rendered by Jinja with autoescape, so HTML pasted into an article is
shown as text, never run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from radio_gen import editing, pronunciation
from radio_gen.config import ConfigError
from radio_gen.errors import RadioGenError
from radio_gen.intake.store import Store, StoreError, VersionConflict
from radio_gen.listen import ListenError, samples_dir, speak_sentence
from radio_gen.web import i18n
from radio_gen.web.auth import safe_file
from radio_gen.web.forms import limit
from radio_gen.web.messages import error_flash

MAX_TRY_CHARS = 500


def _slot(request: Request) -> tuple[Any, dt.date] | None:
    newsroom = request.app.state.newsroom
    try:
        day = dt.date.fromisoformat(request.path_params["date"])
        program = newsroom.config.program(request.path_params["program"])
    except (ValueError, ConfigError):
        return None
    return program, day


def _queue_url(program: str, day: dt.date) -> str:
    return f"/tin-bai/{day.isoformat()}/{program}"


def _article_url(program: str, day: dt.date, article_id: str) -> str:
    return f"{_queue_url(program, day)}/bai/{article_id}"


def _store(request: Request) -> Store:
    return Store.open(request.app.state.newsroom.config.store_path)


def _find(store: Store, article_id: str) -> Any:
    try:
        return editing.find(store, article_id)
    except StoreError:
        return None


async def articles_page(request: Request) -> Response:
    newsroom = request.app.state.newsroom
    slot = _slot(request)
    if slot is None:
        return await newsroom.refuse(request, 404, "not_found")
    program, day = slot

    def work() -> editing.Queue:
        with _store(request) as store:
            return editing.queue(newsroom.config, store, program, day)

    return newsroom.render(request, "articles.html", queue=await run_in_threadpool(work),
                           base=_queue_url(program.id, day))


async def article_page(request: Request) -> Response:
    newsroom = request.app.state.newsroom
    slot = _slot(request)
    if slot is None:
        return await newsroom.refuse(request, 404, "not_found")
    program, day = slot

    def work() -> dict[str, Any] | None:
        with _store(request) as store:
            item = _find(store, request.path_params["article"])
            if item is None:
                return None
            revision = editing.revision(store, item)
        return {"item": item, "paragraphs": editing.spoken_form(newsroom.config, item.article),
                "version": revision.version, "edited_by": revision.edited_by, "edited_at": revision.edited_at,
                "changes": revision.changes}

    found = await run_in_threadpool(work)
    if found is None:
        return await newsroom.refuse(request, 404, "not_found")
    return newsroom.render(request, "article.html", base=_article_url(program.id, day, found["item"].id),
                           queue_url=_queue_url(program.id, day), conflict=request.session.pop("conflict", None),
                           **found)


async def _change(request: Request, action: str) -> Response:
    """One article action (edit, drop, pin, up, down), journaled, then back to where it was asked."""
    newsroom = request.app.state.newsroom
    slot = _slot(request)
    if slot is None:
        return await newsroom.refuse(request, 404, "not_found")
    program, day = slot
    form = await request.form()
    user = request.state.user.name
    back = _queue_url(program.id, day)

    def work() -> str:
        with _store(request) as store:
            item = _find(store, request.path_params["article"])
            if item is None:
                raise editing.EditError("no such article", "edit.not_found")
            if action == "edit":
                try:
                    version = int(str(form.get("version", "")))
                except ValueError:
                    raise editing.EditError("the form has no version number", "edit.version") from None
                editing.edit(newsroom.config, store, item.id, str(form.get("title", "")),
                             str(form.get("body", "")), version=version, by=user)
                return "saved_msg"
            if action in ("dropped", "pinned", "repeat"):
                on = str(form.get("on", "1")) == "1"
                editing.set_flag(newsroom.config, store, item.id, action, on, by=user)
                return {("dropped", True): "dropped_msg", ("dropped", False): "undropped_msg",
                        ("pinned", True): "pinned_msg", ("pinned", False): "unpinned_msg",
                        ("repeat", True): "repeat_msg", ("repeat", False): "unrepeat_msg"}[(action, on)]
            editing.move(newsroom.config, store, program, day, item.id, -1 if action == "up" else 1, by=user)
            return "moved_msg"

    try:
        request.session["flash"] = await run_in_threadpool(work)
    except VersionConflict:
        request.session["flash"] = "edit_conflict"
        request.session["conflict"] = await run_in_threadpool(_conflict, request)
        return RedirectResponse(_article_url(program.id, day, request.path_params["article"]), status_code=303)
    except (editing.EditError, RadioGenError) as exc:
        request.session["flash"] = error_flash(exc)
    if action == "edit":
        return RedirectResponse(_article_url(program.id, day, request.path_params["article"]), status_code=303)
    return RedirectResponse(back, status_code=303)


def _conflict(request: Request) -> list[Any]:
    """What the refused editor is told about the version that is saved (who, when, which)."""
    with _store(request) as store:
        version, who, when = store.edit_info(editing.find(store, request.path_params["article"]).id)
    tz = request.app.state.newsroom.config.tz
    return ["conflict_detail", {"version": version, "who": who or "?", "when": i18n.local_time(when, tz)}]


async def edit_article(request: Request) -> Response:
    return await _change(request, "edit")


async def drop_article(request: Request) -> Response:
    return await _change(request, "dropped")


async def pin_article(request: Request) -> Response:
    return await _change(request, "pinned")


async def repeat_article(request: Request) -> Response:
    return await _change(request, "repeat")


async def move_up(request: Request) -> Response:
    return await _change(request, "up")


async def move_down(request: Request) -> Response:
    return await _change(request, "down")


async def _add(request: Request, add: Callable[[Store, Any, str, dt.date], list[Any] | str]) -> Response:
    """One way of adding an article (`add` returns the flash), then back to the queue with what happened."""
    newsroom = request.app.state.newsroom
    slot = _slot(request)
    if slot is None:
        return await newsroom.refuse(request, 404, "not_found")
    program, day = slot
    form = await request.form()
    user, today = request.state.user.name, newsroom.now().date()

    def work() -> list[Any] | str:
        with _store(request) as store:
            return add(store, form, user, today)

    try:
        request.session["flash"] = await run_in_threadpool(work)
    except RadioGenError as exc:
        request.session["flash"] = error_flash(exc)
    return RedirectResponse(_queue_url(program.id, day), status_code=303)


def _added(added: editing.Added) -> list[Any]:
    return ["known_title_msg" if added.status == "known" else "added_title_msg", {"title": added.title}]


async def add_article(request: Request) -> Response:
    """An article pasted as a title and a text."""
    config = request.app.state.newsroom.config

    def add(store: Store, form: Any, user: str, today: dt.date) -> str:
        editing.add(config, store, str(form.get("title", "")), str(form.get("body", "")), by=user, day=today)
        return "added_msg"

    return await _add(request, add)


@limit(editing.MAX_UPLOAD_BYTES + 64 * 1024)
async def upload_article(request: Request) -> Response:
    """An article from an uploaded .txt/.docx/.html file (the guard read the form within the limit)."""
    config = request.app.state.newsroom.config

    def add(store: Store, form: Any, user: str, today: dt.date) -> list[Any]:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise editing.EditError("no file was sent", "add.no_file")
        data = upload.file.read(editing.MAX_UPLOAD_BYTES + 1)
        return _added(editing.add_file(config, store, upload.filename or "", data, by=user, day=today))

    return await _add(request, add)


async def add_url_article(request: Request) -> Response:
    """An article from a web page, fetched within the station's limits and network policy."""
    config = request.app.state.newsroom.config

    def add(store: Store, form: Any, user: str, today: dt.date) -> list[Any]:
        return _added(editing.add_url(config, store, str(form.get("url", "")), by=user, day=today))

    return await _add(request, add)


async def speak(request: Request, spoken: str, role: str | None = None) -> Response:
    """`spoken` (normalized text) as a leveled WAV in the announcer's voice, as on air."""
    newsroom = request.app.state.newsroom
    try:
        sample = await run_in_threadpool(speak_sentence, newsroom.config, spoken, role)
    except (ListenError, RadioGenError) as exc:
        return Response(str(exc), status_code=503, media_type="text/plain; charset=utf-8")
    safe = safe_file(samples_dir(newsroom.config), sample.path)
    if safe is None:
        return Response("not found", status_code=404, media_type="text/plain")
    return FileResponse(safe, media_type="audio/wav", headers={"Cache-Control": "private, max-age=3600"})


async def paragraph_audio(request: Request) -> Response:
    """Paragraph N of an article (0: its title) spoken as the next build will say it."""
    newsroom = request.app.state.newsroom

    def text() -> str | None:
        with _store(request) as store:
            item = _find(store, request.path_params["article"])
        if item is None:
            return None
        pieces = [item.article.title, *item.article.paragraphs]
        try:
            number = int(request.path_params["number"])
        except ValueError:
            return None
        return pieces[number] if 0 <= number < len(pieces) else None

    written = await run_in_threadpool(text)
    if written is None or _slot(request) is None:
        return Response("not found", status_code=404, media_type="text/plain")
    spoken = await run_in_threadpool(editing.speech_text, newsroom.config, written)
    return await speak(request, spoken)


# -- Phát âm -------------------------------------------------------------------------------
async def lexicon_page(request: Request) -> Response:
    newsroom = request.app.state.newsroom
    config = newsroom.config
    path = pronunciation.lexicon_path(config)
    query = request.query_params.get("q", "").strip()[:100]
    trial = request.query_params.get("thu", "").strip()[:MAX_TRY_CHARS]

    def work() -> tuple[list[pronunciation.Entry], str, Any]:
        entries = pronunciation.entries(path)
        if query:
            folded = query.casefold()
            entries = [e for e in entries if folded in e.key.casefold() or folded in e.reading.casefold()]
        said, parts = editing.spoken_spans(config, trial) if trial else ("", ())
        return entries, said, parts

    try:
        entries, said, trial_spans = await run_in_threadpool(work)
    except RadioGenError as exc:
        entries, said, trial_spans = [], "", ()
        request.session["flash"] = error_flash(exc)
    return newsroom.render(request, "lexicon.html", entries=entries, q=query, trial=trial, said=said,
                           trial_spans=trial_spans, path=path,
                           listen=f"/phat-am/nghe?thu={quote(trial)}" if trial else "",
                           editing_key=request.query_params.get("sua", ""))


async def lexicon_save(request: Request) -> Response:
    newsroom = request.app.state.newsroom
    form = await request.form()
    key, reading = str(form.get("key", "")), str(form.get("reading", ""))
    replaces = str(form.get("replaces", "")) or None
    path = pronunciation.lexicon_path(newsroom.config)
    try:
        entry = await run_in_threadpool(pronunciation.save, path, key, reading, replaces=replaces)
    except RadioGenError as exc:
        request.session["flash"] = error_flash(exc)
        return RedirectResponse("/phat-am", status_code=303)
    await run_in_threadpool(newsroom.users.record, request.state.user.name, "lexicon.save", key=entry.key,
                            reading=entry.reading, replaces=replaces, overrides=entry.overrides)
    request.session["flash"] = "lexicon_saved_overrides" if entry.overrides else "lexicon_saved"
    return RedirectResponse(f"/phat-am?q={quote(entry.key)}", status_code=303)


async def lexicon_delete(request: Request) -> Response:
    newsroom = request.app.state.newsroom
    key = str((await request.form()).get("key", ""))
    path = pronunciation.lexicon_path(newsroom.config)
    try:
        removed = await run_in_threadpool(pronunciation.delete, path, key)
    except RadioGenError as exc:
        request.session["flash"] = error_flash(exc)
        return RedirectResponse("/phat-am", status_code=303)
    if removed:
        await run_in_threadpool(newsroom.users.record, request.state.user.name, "lexicon.delete", key=key)
    request.session["flash"] = "lexicon_deleted" if removed else "not_found"
    return RedirectResponse("/phat-am", status_code=303)


async def lexicon_listen(request: Request) -> Response:
    """The "thử" text spoken with the station's lexicon, as a build would say it."""
    newsroom = request.app.state.newsroom
    trial = request.query_params.get("thu", "").strip()[:MAX_TRY_CHARS]
    if not trial:
        return Response("not found", status_code=404, media_type="text/plain")
    spoken = await run_in_threadpool(editing.speech_text, newsroom.config, trial)
    return await speak(request, spoken)
