"""The newsroom web app: Starlette routes over the library (newsroom, approval, users, listen).

Handlers parse the request, call the library and render a template; they hold no
rules of their own. Every route is declared in `ROUTES` with what it needs, and
`auth.guard` checks it; tests list the routes from the app's router.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import secrets
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.templating import Jinja2Templates

from radio_gen import clock as radio_clock
from radio_gen.approval import ApprovalError, approve, hold
from radio_gen.config import StationConfig
from radio_gen.newsroom_settings import LANGUAGES, WebSettings
from radio_gen.settings_reader import ConfigError
from radio_gen.errors import RadioGenError
from radio_gen.newsroom import Station, episodes, lines, read_rundown, released, sentence
from radio_gen.publish import program_paths
from radio_gen.retention import Housekeeping
from radio_gen.users import Users
from radio_gen.web import clips as web_clips
from radio_gen.web import editing as web_editing
from radio_gen.web import history as web_history
from radio_gen.web import i18n, templates_page
from radio_gen.web.auth import DELIVERY, LOGIN, PUBLIC, LoginLimiter, csrf_token, guard, safe_file

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
DOWNLOADS = {"mp3": "audio/mpeg", "json": "application/json", "txt": "text/plain; charset=utf-8"}
Clock = Callable[[], dt.datetime]


class WebError(RadioGenError):
    """The newsroom cannot start (its session secret cannot be kept)."""


@dataclass
class Newsroom:
    """What the handlers share: the station, its stores, the clock, the login limiter."""

    station: Station
    users: Users
    clock: Clock
    templates: Jinja2Templates
    limiter: LoginLimiter = field(default_factory=LoginLimiter)
    builds: list[threading.Thread] = field(default_factory=list)

    @property
    def config(self) -> StationConfig:
        return self.station.config

    @property
    def web(self) -> WebSettings:
        return self.station.web

    def now(self) -> dt.datetime:
        return self.clock().astimezone(self.config.tz)

    def language(self, request: Request) -> str:
        """The language the page is shown in: the visitor's choice, else the station's [web] language."""
        return str(request.session.get("lang") or self.web.language)

    def translator(self, request: Request) -> Callable[..., str]:
        return i18n.translator(self.language(request))

    def render(self, request: Request, name: str, status: int = 200, **context: Any) -> Response:
        language = self.language(request)
        t = i18n.translator(language)
        user = getattr(request.state, "user", None)
        base = {"t": t, "lang": language, "languages": LANGUAGES, "user": user, "csrf": csrf_token(request),
                "station": self.config, "long_date": lambda d: i18n.long_date(d, language),
                "duration": i18n.duration, "number": lambda value: i18n.number(value, language),
                "flash": request.session.pop("flash", None),
                "local_time": lambda moment: i18n.local_time(moment, self.config.tz)}
        return self.templates.TemplateResponse(request, name, {**base, **context}, status_code=status)

    async def refuse(self, request: Request, status: int, key: str) -> Response:
        return self.render(request, "error.html", status=status, message_key=key)


def _secret(config: StationConfig, web: WebSettings) -> str:
    """[web] secret, else one kept (mode 600) in the station folder so sessions survive a restart."""
    if web.secret:
        return web.secret
    path = config.station_dir / "web-secret"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    secret = secrets.token_urlsafe(48)
    try:
        config.station_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:                   # another process made it first: use theirs
        return path.read_text(encoding="ascii").strip()
    except OSError as exc:
        raise WebError(f"cannot keep the session secret in {path}: {exc.strerror}; "
                       "set [web] secret in the station file") from None
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secret + "\n")
    return secret


# -- helpers ----------------------------------------------------------------------------
def _slot_args(request: Request) -> tuple[str, dt.date] | None:
    """The program id and date named in the path, if both are this station's."""
    newsroom: Newsroom = request.app.state.newsroom
    try:
        day = dt.date.fromisoformat(request.path_params["date"])
        program = newsroom.config.program(request.path_params["program"]).id
    except (ValueError, ConfigError):
        return None
    return program, day


def _back(program: str, day: dt.date) -> str:
    return f"/chuong-trinh/{day.isoformat()}/{program}"


def _serve(newsroom: Newsroom, request: Request, path: Path, media_type: str,
           filename: str | None = None) -> Response:
    """A file inside the output folder (symlinks resolved and checked), with Range, ETag and Last-Modified."""
    safe = safe_file(newsroom.config.output.dir, path)
    if safe is None:
        return Response("not found", status_code=404, media_type="text/plain")
    response = FileResponse(safe, media_type=media_type, filename=filename, stat_result=os.stat(safe),
                            headers={"Cache-Control": "no-cache"},
                            content_disposition_type="attachment" if filename else "inline")
    tags = [tag.strip().removeprefix("W/") for tag in request.headers.get("if-none-match", "").split(",")]
    if response.headers["etag"] in tags:
        return NotModifiedResponse(response.headers)
    return response


def _base_url(newsroom: Newsroom, request: Request) -> str:
    return newsroom.web.public_url or str(request.base_url).rstrip("/")


# -- pages ------------------------------------------------------------------------------
async def login_page(request: Request) -> Response:
    newsroom: Newsroom = request.app.state.newsroom
    return newsroom.render(request, "login.html", next=request.query_params.get("next", "/"))


async def login(request: Request) -> Response:
    newsroom: Newsroom = request.app.state.newsroom
    form = await request.form()
    name, password = str(form.get("user", "")).strip(), str(form.get("password", ""))
    target = str(form.get("next", "/"))
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    address = request.client.host if request.client else "?"
    if newsroom.limiter.blocked(name, address):
        log.warning("login refused for %r from %s: too many wrong passwords", name, address)
        return newsroom.render(request, "login.html", status=429, error="login_limited", next=target)
    user = await run_in_threadpool(newsroom.users.authenticate, name, password)
    if user is None:
        newsroom.limiter.failed(name, address)
        return newsroom.render(request, "login.html", status=401, error="login_failed", next=target)
    request.session.clear()
    request.session.update({"user": user.name, "role": user.role, "csrf": secrets.token_urlsafe(32)})
    await run_in_threadpool(newsroom.users.record, user.name, "login", address=address)
    return RedirectResponse(target, status_code=303)


async def logout(request: Request) -> Response:
    user = request.state.user
    request.session.clear()
    if user is not None:
        await run_in_threadpool(request.app.state.newsroom.users.record, user.name, "logout")
    return RedirectResponse("/dang-nhap", status_code=303)


async def language(request: Request) -> Response:
    chosen = str((await request.form()).get("lang", ""))
    if chosen in LANGUAGES:
        request.session["lang"] = chosen
    back = request.headers.get("referer", "/")
    return RedirectResponse(back if back.startswith(str(request.base_url)) else "/", status_code=303)


async def dashboard(request: Request) -> Response:
    newsroom: Newsroom = request.app.state.newsroom
    now = newsroom.now()
    board = await run_in_threadpool(lambda: newsroom.station.board(now, newsroom.users.journal(10)))
    return newsroom.render(request, "dashboard.html", board=board, today=now.date())


async def program_page(request: Request) -> Response:
    newsroom: Newsroom = request.app.state.newsroom
    args = _slot_args(request)
    if args is None:
        return await newsroom.refuse(request, 404, "not_found")
    program, day = args
    slot = await run_in_threadpool(newsroom.station.slot, newsroom.config.program(program), day)
    base = _base_url(newsroom, request)
    return newsroom.render(request, "program.html", slot=slot, lines=lines(slot.rundown) if slot.rundown else [],
                           now=newsroom.now(), delivery=[f"{base}/phat/{program}.mp3", f"{base}/phat/{program}.m3u",
                                                         f"{base}/phat/{program}.rss"])


async def download(request: Request) -> Response:
    newsroom: Newsroom = request.app.state.newsroom
    args = _slot_args(request)
    kind = request.path_params["kind"]
    if args is None or kind not in DOWNLOADS:
        return Response("not found", status_code=404, media_type="text/plain")
    program, day = args
    paths = program_paths(newsroom.config.output.dir, day, program)
    path = {"mp3": paths.mp3, "json": paths.rundown, "txt": paths.script}[kind]
    inline = request.query_params.get("nghe") == "1"
    return _serve(newsroom, request, path, DOWNLOADS[kind], None if inline else f"{program}-{day.isoformat()}.{kind}")


async def sentence_audio(request: Request) -> Response:
    newsroom: Newsroom = request.app.state.newsroom
    args = _slot_args(request)
    if args is None:
        return Response("not found", status_code=404, media_type="text/plain")
    program, day = args
    rundown = read_rundown(program_paths(newsroom.config.output.dir, day, program).rundown)
    try:
        found = sentence(rundown, int(request.path_params["segment"]), int(request.path_params["number"])) \
            if rundown else None
    except ValueError:
        found = None
    if found is None:
        return Response("not found", status_code=404, media_type="text/plain")
    text, role = found
    return await web_editing.speak(request, text, role)


async def rebuild(request: Request) -> Response:
    from radio_gen.runs import run_now

    newsroom: Newsroom = request.app.state.newsroom
    args = _slot_args(request)
    if args is None:
        return await newsroom.refuse(request, 404, "not_found")
    program, day = args
    user = request.state.user

    def work() -> None:
        try:
            run_now(newsroom.config, program, day)
        except RadioGenError as exc:
            log.error("%s %s: rebuild asked by %s failed: %s", program, day, user.name, exc)

    await run_in_threadpool(newsroom.users.record, user.name, "rebuild", program=program, date=day.isoformat())
    thread = threading.Thread(target=work, name=f"rebuild-{program}", daemon=True)
    newsroom.builds.append(thread)
    thread.start()
    request.session["flash"] = "rebuild_started"
    return RedirectResponse(_back(program, day), status_code=303)


async def approve_program(request: Request) -> Response:
    return await _decide(request, "approve")


async def hold_program(request: Request) -> Response:
    return await _decide(request, "hold")


async def _decide(request: Request, what: str) -> Response:
    newsroom: Newsroom = request.app.state.newsroom
    args = _slot_args(request)
    if args is None:
        return await newsroom.refuse(request, 404, "not_found")
    program, day = args
    form = await request.form()
    expected = str(form.get("hash", "")) or None
    user = request.state.user
    try:
        if what == "approve":
            decision = await run_in_threadpool(approve, newsroom.config, program, day, user.name, expected)
        else:
            decision = await run_in_threadpool(hold, newsroom.config, program, day, user.name,
                                               str(form.get("note", ""))[:500], expected)
    except ApprovalError as exc:
        request.session["flash"] = str(exc)
        return RedirectResponse(_back(program, day), status_code=303)
    await run_in_threadpool(newsroom.users.record, user.name, what, program=program, date=day.isoformat(),
                            build=decision.hash)
    request.session["flash"] = "approved_msg" if what == "approve" else "held_msg"
    return RedirectResponse(_back(program, day), status_code=303)


# -- delivery ---------------------------------------------------------------------------
async def deliver(request: Request) -> Response:
    """/phat/<program>.mp3 (what the loudspeakers play now), .m3u, .rss."""
    newsroom: Newsroom = request.app.state.newsroom
    name = request.path_params["name"]
    program, dot, kind = name.rpartition(".")
    try:
        program = newsroom.config.program(program).id if dot else ""
    except ConfigError:
        program = ""
    if not program or kind not in ("mp3", "m3u", "rss"):
        return Response("not found", status_code=404, media_type="text/plain")
    if kind == "mp3":
        latest = program_paths(newsroom.config.output.dir, newsroom.now().date(), program).latest
        return _serve(newsroom, request, latest, "audio/mpeg")
    base = _base_url(newsroom, request)
    if kind == "m3u":
        title = newsroom.config.program(program).title
        body = f"#EXTM3U\n#EXTINF:-1,{newsroom.config.name} – {title}\n{base}/phat/{program}.mp3\n"
        return Response(body, media_type="audio/x-mpegurl; charset=utf-8", headers={"Cache-Control": "no-cache"})
    items = await run_in_threadpool(episodes, newsroom.station, program, newsroom.now().date(),
                                    newsroom.web.feed_days)
    return Response(_feed(newsroom, program, items, base), media_type="application/rss+xml; charset=utf-8",
                    headers={"Cache-Control": "no-cache"})


async def deliver_dated(request: Request) -> Response:
    """/phat/<program>/<date>.mp3: one released program of the feed."""
    newsroom: Newsroom = request.app.state.newsroom
    args = _slot_args(request)
    if args is None:
        return Response("not found", status_code=404, media_type="text/plain")
    episode = await run_in_threadpool(released, newsroom.station, *args)
    if episode is None:
        return Response("not found", status_code=404, media_type="text/plain")
    return _serve(newsroom, request, episode.mp3, "audio/mpeg")


def _feed(newsroom: Newsroom, program: str, items: list, base: str) -> bytes:
    ET.register_namespace("itunes", ITUNES)
    config = newsroom.config
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    title = f"{config.name} – {config.program(program).title}"
    for tag, text in (("title", title), ("link", f"{base}/phat/{program}.rss"),
                      ("description", f"{config.program(program).title}, {config.name}"), ("language", "vi")):
        ET.SubElement(channel, tag).text = text
    ET.SubElement(channel, f"{{{ITUNES}}}author").text = config.name
    ET.SubElement(channel, f"{{{ITUNES}}}explicit").text = "false"
    ET.SubElement(channel, f"{{{ITUNES}}}category", {"text": "News"})
    for episode in items:
        item = ET.SubElement(channel, "item")
        ET.SubElement(item, "title").text = episode.title
        ET.SubElement(item, "guid", {"isPermaLink": "false"}).text = f"{program}-{episode.date}-{episode.hash[:16]}"
        aired = dt.datetime.combine(episode.date, config.program(program).broadcast, tzinfo=config.tz)
        ET.SubElement(item, "pubDate").text = format_datetime(aired)
        ET.SubElement(item, "enclosure", {"url": f"{base}/phat/{program}/{episode.date}.mp3",
                                          "length": str(episode.size), "type": "audio/mpeg"})
        if episode.duration is not None:
            ET.SubElement(item, f"{{{ITUNES}}}duration").text = str(int(round(episode.duration)))
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True)


#: Every route and what it needs; `auth.guard` enforces it.
ROUTES: tuple[tuple[str, Callable, tuple[str, ...], str], ...] = (
    ("/dang-nhap", login_page, ("GET",), PUBLIC),
    ("/dang-nhap", login, ("POST",), PUBLIC),
    ("/dang-xuat", logout, ("POST",), LOGIN),
    ("/ngon-ngu", language, ("POST",), LOGIN),
    ("/", dashboard, ("GET",), LOGIN),
    ("/chuong-trinh/{date}/{program}", program_page, ("GET",), LOGIN),
    ("/chuong-trinh/{date}/{program}/tai/{kind}", download, ("GET",), LOGIN),
    ("/chuong-trinh/{date}/{program}/cau/{segment}/{number}", sentence_audio, ("GET",), LOGIN),
    ("/chuong-trinh/{date}/{program}/dung-lai", rebuild, ("POST",), "editor"),
    ("/chuong-trinh/{date}/{program}/duyet", approve_program, ("POST",), "approver"),
    ("/chuong-trinh/{date}/{program}/giu", hold_program, ("POST",), "approver"),
    ("/tin-bai/{date}/{program}", web_editing.articles_page, ("GET",), LOGIN),
    ("/tin-bai/{date}/{program}/them", web_editing.add_article, ("POST",), "editor"),
    ("/tin-bai/{date}/{program}/tai-len", web_editing.upload_article, ("POST",), "editor"),
    ("/tin-bai/{date}/{program}/them-url", web_editing.add_url_article, ("POST",), "editor"),
    ("/tin-bai/{date}/{program}/bai/{article}", web_editing.article_page, ("GET",), LOGIN),
    ("/tin-bai/{date}/{program}/bai/{article}/sua", web_editing.edit_article, ("POST",), "editor"),
    ("/tin-bai/{date}/{program}/bai/{article}/bo", web_editing.drop_article, ("POST",), "editor"),
    ("/tin-bai/{date}/{program}/bai/{article}/ghim", web_editing.pin_article, ("POST",), "editor"),
    ("/tin-bai/{date}/{program}/bai/{article}/lap-lai", web_editing.repeat_article, ("POST",), "editor"),
    ("/tin-bai/{date}/{program}/bai/{article}/len", web_editing.move_up, ("POST",), "editor"),
    ("/tin-bai/{date}/{program}/bai/{article}/xuong", web_editing.move_down, ("POST",), "editor"),
    ("/tin-bai/{date}/{program}/bai/{article}/doan/{number}", web_editing.paragraph_audio, ("GET",), LOGIN),
    ("/phat-am", web_editing.lexicon_page, ("GET",), LOGIN),
    ("/phat-am/luu", web_editing.lexicon_save, ("POST",), "editor"),
    ("/phat-am/xoa", web_editing.lexicon_delete, ("POST",), "editor"),
    ("/phat-am/nghe", web_editing.lexicon_listen, ("GET",), LOGIN),
    ("/mau", templates_page.listing, ("GET",), LOGIN),
    ("/mau/{name}", templates_page.template_page, ("GET",), LOGIN),
    ("/mau/{name}/so-sanh", templates_page.compare, ("GET",), LOGIN),
    ("/mau/{name}/xem-truoc", templates_page.preview, ("POST",), "editor"),
    ("/mau/{name}/luu", templates_page.save, ("POST",), "editor"),
    ("/mau/{name}/tuy-chinh", templates_page.customise, ("POST",), "editor"),
    ("/mau/{name}/khoi-phuc", templates_page.restore, ("POST",), "editor"),
    ("/lich-su", web_history.history_page, ("GET",), LOGIN),
    ("/nhac-hieu", web_clips.clips_page, ("GET",), LOGIN),
    ("/nhac-hieu/{kind}/tai-len", web_clips.clip_upload_post, ("POST",), "editor"),
    ("/nhac-hieu/{kind}/nghe", web_clips.clip_audio, ("GET",), LOGIN),
    ("/phat/{program}/{date}.mp3", deliver_dated, ("GET",), DELIVERY),
    ("/phat/{name}", deliver, ("GET",), DELIVERY),
)


def create_app(config: StationConfig, *, clock: Clock | None = None, housekeeping: bool = False,
               housekeeping_every: float = 15.0) -> Starlette:
    """The newsroom for `config`; `clock` gives "now" (tests set it).

    With `housekeeping`, approval deadlines and retention run every `housekeeping_every`
    seconds, so a station that approves programs is safe even without the scheduler.
    """
    station = Station(config)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    newsroom = Newsroom(station, Users(config.store_path), clock or (lambda: radio_clock.now(config.tz)), templates)
    routes: list[Route | Mount] = [Route(path, guard(endpoint, need), methods=list(methods), name=endpoint.__name__)
                                   for path, endpoint, methods, need in ROUTES]
    routes.append(Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"))
    web = station.web
    middleware = [Middleware(SessionMiddleware, secret_key=_secret(config, web), session_cookie="radio_gen_session",
                             max_age=web.session_hours * 3600, same_site="lax", https_only=web.secure_cookies)]
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        stop = threading.Event()
        if housekeeping:
            care = Housekeeping()

            def loop() -> None:
                while not stop.wait(housekeeping_every):
                    care.tick(config, newsroom.now())

            threading.Thread(target=loop, name="housekeeping", daemon=True).start()
        try:
            yield
        finally:
            stop.set()

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.newsroom = newsroom
    return app

