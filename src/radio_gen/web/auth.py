"""Who may do what: sessions, the role table, CSRF, login rate limits and safe file paths.

Every route is declared with what it needs (`PUBLIC`, `DELIVERY`, `LOGIN` or a role),
and `guard` is the one place that checks it, so a new page cannot forget to.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from radio_gen.users import ROLES, User
from radio_gen.web.forms import MAX_FORM_BYTES, read_form

PUBLIC, DELIVERY, LOGIN = "public", "delivery", "login"
NEEDS = (PUBLIC, DELIVERY, LOGIN, *ROLES)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"

Endpoint = Callable[[Request], Awaitable[Response]]


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def csrf_ok(request: Request) -> bool:
    expected = request.session.get("csrf")
    if not expected:
        return False
    given: object = request.headers.get(CSRF_HEADER)
    if given is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            given = (await request.form()).get(CSRF_FIELD)
    return isinstance(given, str) and hmac.compare_digest(given, expected)


def current_user(request: Request) -> User | None:
    """The logged-in user, looked up again on every request: a removed user is out at once."""
    name = request.session.get("user")
    if not name:
        return None
    user = request.app.state.newsroom.users.get(name)
    if user is None or request.session.get("role") != user.role:
        request.session.clear()    # removed, or the role changed: log in again
        return None
    return user


def guard(endpoint: Endpoint, need: str) -> Endpoint:
    """`endpoint` behind the check for `need`, and CSRF for any state-changing method, whose form
    is read within the endpoint's `max_body` (see `forms`)."""
    if need not in NEEDS:
        raise ValueError(f"unknown need {need!r}")

    async def guarded(request: Request) -> Response:
        state = request.app.state.newsroom
        open_route = need == PUBLIC or (need == DELIVERY and state.web.public_delivery)
        request.state.user = current_user(request)
        if not open_route:
            user = request.state.user
            if user is None:
                if request.method == "GET" and need != DELIVERY and "text/html" in request.headers.get("accept", ""):
                    return RedirectResponse(f"/dang-nhap?next={quote(request.url.path)}", status_code=303)
                return PlainTextResponse("login required", status_code=401,
                                         headers={"WWW-Authenticate": 'Cookie realm="radio-gen"'})
            if need in ROLES and not user.may(need):
                return await state.refuse(request, 403, "forbidden")
        if request.method not in SAFE_METHODS:
            refused = await read_form(request, getattr(endpoint, "max_body", MAX_FORM_BYTES))
            if refused is not None:
                return await state.refuse(request, *refused)
            if not await csrf_ok(request):
                return await state.refuse(request, 403, "csrf_failed")
        return await endpoint(request)

    guarded.need = need  # type: ignore[attr-defined]
    guarded.__name__ = endpoint.__name__
    return guarded


class LoginLimiter:
    """At most `limit` wrong passwords per user name and per address in `window` seconds."""

    def __init__(self, limit: int = 5, window: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        cutoff = self.clock() - self.window
        while times and times[0] <= cutoff:
            times.popleft()
        return times

    def blocked(self, user: str, address: str) -> bool:
        with self._lock:
            return any(len(self._recent(k)) >= self.limit for k in (("user", user), ("addr", address)))

    def failed(self, user: str, address: str) -> None:
        with self._lock:
            now = self.clock()
            for key in (("user", user), ("addr", address)):
                self._recent(key).append(now)
            if len(self._failures) > 10_000:        # forget idle keys rather than grow without end
                for key in [k for k, v in self._failures.items() if not v]:
                    del self._failures[key]


def safe_file(root: Path, candidate: Path) -> Path | None:
    """`candidate` resolved (symlinks followed) if it is a file inside `root`; else None."""
    try:
        base = root.resolve(strict=True)
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not resolved.is_relative_to(base) or not resolved.is_file():
        return None
    return resolved
