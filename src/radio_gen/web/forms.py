"""Form bodies read with a size limit, counted while they stream in.

Starlette's `request.form()` spools any file part to disk without a bound. `guard`
reads every state-changing request's form here first: a body over the route's limit
(`endpoint.max_body`, else `MAX_FORM_BYTES`) is refused as soon as the count passes it,
or at once when Content-Length already says so, so an upload is never taken whole
before it is judged. The parsed form is kept on the request, where `request.form()`
(the CSRF check, the handler) finds it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

from starlette.formparsers import FormParser, MultiPartException, MultiPartParser
from starlette.requests import Request

#: A form without an upload (a pasted article of 60,000 characters is ~200 kB).
MAX_FORM_BYTES = 1_000_000
#: Fields a form may carry; files per form.
MAX_FIELDS, MAX_FILES = 30, 1
TOO_LARGE = (413, "upload_too_large")


class BodyTooLarge(Exception):
    """The request body passed its limit while it was read."""


Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


def limit(max_body: int) -> Callable[[Endpoint], Endpoint]:
    """Decorator: the route takes bodies up to `max_body` bytes (the guard reads it)."""
    def mark(endpoint: Endpoint) -> Endpoint:
        endpoint.max_body = max_body  # type: ignore[attr-defined]
        return endpoint
    return mark


async def read_form(request: Request, max_body: int) -> tuple[int, str] | None:
    """Parse the form of `request` within `max_body` bytes; else (status, message key) to refuse it with."""
    content_type = request.headers.get("content-type", "")
    multipart = content_type.startswith("multipart/form-data")
    if not multipart and not content_type.startswith("application/x-www-form-urlencoded"):
        return None
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_body:
        return TOO_LARGE

    async def counted() -> AsyncIterator[bytes]:
        total = 0
        async for chunk in request.stream():
            total += len(chunk)
            if total > max_body:
                raise BodyTooLarge()
            yield chunk

    try:
        if multipart:
            parser = MultiPartParser(request.headers, counted(), max_files=MAX_FILES, max_fields=MAX_FIELDS)
            form = await parser.parse()
        else:
            form = await FormParser(request.headers, counted()).parse()
    except BodyTooLarge:
        return TOO_LARGE
    except MultiPartException:
        return 400, "form_invalid"
    # Where Request.form() looks first: the CSRF check and the handler get this form.
    request._form = form
    return None
