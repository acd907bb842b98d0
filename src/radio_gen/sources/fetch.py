"""HTTP fetches for web sources: always a timeout, a size limit and a polite User-Agent.

A body larger than the limit is refused while it streams in (never held whole in
memory); a server that drips bytes slowly is cut at the overall deadline.
"""

from __future__ import annotations

import http.client
import re
import time
import unicodedata
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message

from radio_gen import __version__
from radio_gen.sources import SourceError

DEFAULT_USER_AGENT = (f"radio-gen/{__version__} (district radio program builder; "
                      "fetches a few pages a day)")
_CHUNK = 64 * 1024
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


class FetchError(SourceError):
    """One URL could not be fetched; the message says why (timeout, HTTP status, size)."""

    def __init__(self, message: str, *, unreachable: bool = False) -> None:
        super().__init__(message)
        #: The site did not answer (timeout, refused): asking it again now is pointless.
        self.unreachable = unreachable


class SiteBreaker:
    """After `limit` unanswered fetches in a row, a source stops asking its site in this run.

    Keeps a listing of twenty links on a dead site from costing twenty timeouts.
    """

    def __init__(self, limit: int = 2) -> None:
        self.limit, self.streak, self.reason = limit, 0, ""

    def fetch(self, url: str, settings: "FetchSettings") -> "Fetched":
        if self.streak >= self.limit:
            raise FetchError(f"{url}: not fetched: the site did not answer {self.limit} times in a row "
                             f"({self.reason})", unreachable=True)
        try:
            fetched = fetch(url, settings)
        except FetchError as exc:
            if exc.unreachable:
                self.streak += 1
                self.reason = str(exc).removeprefix(f"{url}: ")
            raise
        self.streak = 0
        return fetched


@dataclass(frozen=True)
class FetchSettings:
    """Limits every fetch obeys; set per station in `[articles]`."""

    timeout: float = 15.0
    max_bytes: int = 5_000_000
    user_agent: str = DEFAULT_USER_AGENT


@dataclass(frozen=True)
class Fetched:
    url: str
    data: bytes
    content_type: str
    charset: str | None

    @property
    def declared_charset(self) -> str | None:
        """The charset from the HTTP header, else from a <meta> tag in the page."""
        if self.charset:
            return self.charset
        match = _META_CHARSET.search(self.data[:4096])
        return match.group(1).decode("ascii") if match else None


def ascii_header(text: str) -> str:
    """HTTP headers are ASCII: "Đài Truyền thanh huyện" becomes "Dai Truyen thanh huyen"."""
    plain = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in plain if c.isascii() and (c.isprintable() or c == " ")).strip()


def fetch(url: str, settings: FetchSettings) -> Fetched:
    """GET `url` within the settings' limits; FetchError with a reason otherwise."""
    if not url.startswith(("http://", "https://")):
        raise FetchError(f"{url}: only http:// and https:// addresses can be fetched")
    request = urllib.request.Request(url, headers={
        "User-Agent": ascii_header(settings.user_agent),
        "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                  "application/xml;q=0.9,*/*;q=0.5",
        "Accept-Encoding": "identity",
    })
    deadline = time.monotonic() + settings.timeout
    try:
        with urllib.request.urlopen(request, timeout=settings.timeout) as response:
            headers: Message = response.headers
            length = headers.get("Content-Length")
            if length and length.isdigit() and int(length) > settings.max_bytes:
                raise FetchError(f"{url}: too large ({int(length):,} bytes, limit {settings.max_bytes:,})")
            chunks, size = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise FetchError(f"{url}: timed out after {settings.timeout:g} s", unreachable=True)
                chunk = response.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > settings.max_bytes:
                    raise FetchError(f"{url}: too large (more than {settings.max_bytes:,} bytes)")
                chunks.append(chunk)
            return Fetched(response.geturl(), b"".join(chunks), headers.get_content_type(),
                           headers.get_content_charset())
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        raise FetchError(f"{url}: the server answered HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            raise FetchError(f"{url}: timed out after {settings.timeout:g} s", unreachable=True) from None
        raise FetchError(f"{url}: cannot connect ({reason})", unreachable=True) from None
    except TimeoutError:
        raise FetchError(f"{url}: timed out after {settings.timeout:g} s", unreachable=True) from None
    except (OSError, ValueError, http.client.HTTPException) as exc:
        raise FetchError(f"{url}: fetch failed ({exc})") from None
