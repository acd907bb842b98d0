"""HTTP fetches for web sources: one deadline, a size limit, a network policy, a polite User-Agent.

A body larger than the limit (on the wire or once decompressed) is refused while it
streams in (never held whole in memory); a server that drips bytes slowly is cut at
the fetch's deadline, which covers every step and every redirect. Only http and https
are fetched, and internal addresses (loopback, private, link-local, multicast) only
from hosts the station allows.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
import unicodedata
import zlib
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urljoin, urlsplit, urlunsplit

from radio_gen import __version__
from radio_gen.intake.sources import SourceError

DEFAULT_USER_AGENT = (f"radio-gen/{__version__} (district radio program builder; "
                      "fetches a few pages a day)")
_CHUNK = 64 * 1024
MAX_REDIRECTS = 5
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


class FetchError(SourceError):
    """One URL could not be fetched; the message says why (timeout, HTTP status, size)."""

    def __init__(self, message: str, *, unreachable: bool = False, kind: str = "failed") -> None:
        super().__init__(message)
        #: The site did not answer (timeout, refused): asking it again now is pointless.
        self.unreachable = unreachable
        #: What went wrong, for a translated message: "scheme", "refused" (the network policy),
        #: "status" (HTTP error), "too_large", "unreachable" or "failed".
        self.kind = "unreachable" if unreachable else kind


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


@dataclass
class Budget:
    """The whole intake's wall-clock allowance: after it, no fetch starts and running ones stop.

    One per build, shared by every web source, so a station with many slow sites still
    goes on to build its program with what it has.
    """

    seconds: float
    started: float = field(default_factory=time.monotonic)

    @property
    def deadline(self) -> float:
        return self.started + self.seconds

    def spent(self) -> bool:
        return time.monotonic() >= self.deadline


@dataclass(frozen=True)
class FetchSettings:
    """Limits every fetch obeys; set per station in `[articles]`."""

    timeout: float = 15.0
    max_bytes: int = 5_000_000
    user_agent: str = DEFAULT_USER_AGENT
    #: Hosts (names or addresses) fetched even though they resolve to internal addresses.
    allow_hosts: frozenset[str] = frozenset()
    #: The build's intake budget, shared by all fetches; None: no overall limit.
    budget: Budget | None = None


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
    """GET `url` within the settings' limits; FetchError with a reason otherwise.

    Everything (name lookup, connect, TLS, headers, body, every redirect) runs under one
    wall-clock deadline: a watchdog closes the connection when it passes, so a server
    that drips one byte a second cannot hold the build. Every hop is checked against
    the network policy after its name is resolved.
    """
    started = time.monotonic()
    deadline = started + settings.timeout
    if settings.budget is not None:
        if settings.budget.spent():
            raise FetchError(f"{url}: not fetched: the intake budget of {settings.budget.seconds:g} s "
                             "is spent", unreachable=True)
        deadline = min(deadline, settings.budget.deadline)
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        try:
            response = _request(current, settings, deadline)
        except _Expired:
            raise FetchError(f"{url}: {_timed_out(started, settings)}", unreachable=True) from None
        if response.location is None:
            return response.fetched
        current = urljoin(current, response.location)
    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")


def _timed_out(started: float, settings: FetchSettings) -> str:
    elapsed = time.monotonic() - started
    budget = settings.budget
    if budget is not None and budget.spent() and budget.deadline < started + settings.timeout:
        return f"stopped after {elapsed:.1f} s: the intake budget of {budget.seconds:g} s is spent"
    return f"timed out after {elapsed:.1f} s (limit {settings.timeout:g} s)"


class _Expired(Exception):
    """The fetch's deadline passed (raised inside, turned into a FetchError with the elapsed time)."""


@dataclass
class _Hop:
    fetched: Fetched | None = None
    location: str | None = None


def _request(url: str, settings: FetchSettings, deadline: float) -> _Hop:
    """One HTTP exchange; a redirect comes back as its Location, not followed here."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{url}: only http:// and https:// addresses can be fetched", kind="scheme")
    host = parts.hostname
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        raise FetchError(f"{url}: not a valid address (bad port)", kind="scheme") from None
    tls = parts.scheme.lower() == "https"
    target = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    proxy = _proxy_for(parts.scheme.lower(), host)
    if proxy is None:
        address = _checked_address(url, host, port, settings.allow_hosts, deadline)
    else:
        try:
            _checked_address(url, host, port, settings.allow_hosts, deadline)
        except _NoAddress:
            pass   # only the proxy can look the name up: what it reaches is its policy
        # The proxy is the operator's own setting: it may well sit on the LAN.
        address = _resolve(url, proxy[0], proxy[1], deadline)[0]
        if not tls:
            target = url   # a proxy is asked for the whole address; https goes through a tunnel
    watchdog = _Watchdog(deadline)
    try:
        connection = _Connection(host, port, address, watchdog, tls=tls, tunnel=proxy is not None and tls)
        try:
            connection.request("GET", target, headers={
                "User-Agent": ascii_header(settings.user_agent),
                "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                          "application/xml;q=0.9,*/*;q=0.5",
                "Accept-Encoding": "gzip, deflate",
            })
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                return _Hop(location=response.getheader("Location", "").strip())
            if response.status >= 400:
                raise FetchError(f"{url}: the server answered HTTP {response.status} {response.reason}", kind="status")
            data = _read_body(url, response, settings.max_bytes, watchdog)
            headers: Message = response.msg
            return _Hop(Fetched(url, data, headers.get_content_type(), headers.get_content_charset()))
        finally:
            connection.close()
    except (FetchError, _Expired):
        raise
    except Exception as exc:  # noqa: BLE001 - whatever a hostile peer provokes is one failed fetch
        if watchdog.fired or time.monotonic() >= deadline:
            raise _Expired() from None
        if isinstance(exc, (ConnectionRefusedError, ConnectionResetError, socket.gaierror)):
            raise FetchError(f"{url}: cannot connect ({exc.strerror or exc})", unreachable=True) from None
        if isinstance(exc, (OSError, ssl.SSLError)) and not isinstance(exc, http.client.HTTPException):
            raise FetchError(f"{url}: cannot connect ({exc})", unreachable=True) from None
        raise FetchError(f"{url}: fetch failed ({exc.__class__.__name__}: {exc})") from None
    finally:
        watchdog.cancel()


def _read_body(url: str, response: http.client.HTTPResponse, limit: int, watchdog: "_Watchdog") -> bytes:
    """The body, decompressed, refused as soon as either its wire size or its real size passes `limit`."""
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > limit:
        raise FetchError(f"{url}: too large ({int(length):,} bytes, limit {limit:,})", kind="too_large")
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
        raise FetchError(f"{url}: the server sent an unknown compression ({encoding})")
    # wbits 47: gzip or zlib, told apart by the header; deflate servers that send raw streams are rare.
    inflater = zlib.decompressobj(47) if encoding != "identity" else None
    chunks, wire, size = [], 0, 0
    while True:
        chunk = response.read1(_CHUNK) if hasattr(response, "read1") else response.read(_CHUNK)
        if watchdog.fired:
            raise _Expired()
        if not chunk:
            break
        wire += len(chunk)
        if wire > limit:
            raise FetchError(f"{url}: too large (more than {limit:,} bytes)", kind="too_large")
        if inflater is not None:
            try:
                chunk = inflater.decompress(chunk, limit - size + 1)
            except zlib.error as exc:
                raise FetchError(f"{url}: the compressed body is damaged ({exc})") from None
            if inflater.unconsumed_tail:
                raise FetchError(f"{url}: too large once decompressed (more than {limit:,} bytes)", kind="too_large")
        size += len(chunk)
        if size > limit:
            raise FetchError(f"{url}: too large (more than {limit:,} bytes)", kind="too_large")
        chunks.append(chunk)
    return b"".join(chunks)


def _checked_address(url: str, host: str, port: int, allowed: frozenset[str], deadline: float) -> tuple:
    """The address to connect to, after the network policy has approved every address of `host`."""
    infos = _resolve(url, host, port, deadline)
    listed = host.lower() in {h.lower() for h in allowed}
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%")[0])
        if not listed and str(ip) not in allowed and _internal(ip):
            raise FetchError(f"{url}: refused: {host} is an internal address ({ip}); list it in "
                             "[articles] allow_hosts to fetch from it", kind="refused")
    return infos[0]


def _internal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_multicast or ip.is_reserved
            or ip.is_unspecified)


class _NoAddress(FetchError):
    """The name could not be looked up here (behind a proxy, the proxy may still reach it)."""


def _proxy_for(scheme: str, host: str) -> tuple[str, int] | None:
    """The HTTP proxy the environment names for this address (HTTP_PROXY, HTTPS_PROXY, NO_PROXY),
    as urllib and the voice installer use it: a station behind a proxy keeps its web sources."""
    import urllib.request

    proxy = urllib.request.getproxies_environment().get(scheme)
    if not proxy or urllib.request.proxy_bypass_environment(host):
        return None
    parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    if parts.scheme != "http" or not parts.hostname:
        return None
    return parts.hostname, parts.port or 80


def _resolve(url: str, host: str, port: int, deadline: float) -> list:
    """getaddrinfo under the deadline (it has no timeout of its own): run in a helper thread."""
    box: dict[str, object] = {}

    def lookup() -> None:
        try:
            box["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            box["error"] = exc

    thread = threading.Thread(target=lookup, name="radio-gen-dns", daemon=True)
    thread.start()
    thread.join(max(0.0, deadline - time.monotonic()))
    if thread.is_alive():
        raise _Expired()
    if "error" in box:
        raise _NoAddress(f"{url}: cannot connect (name lookup failed: {box['error']})", unreachable=True)
    infos = box.get("infos") or []
    if not infos:
        raise _NoAddress(f"{url}: cannot connect (no address for {host})", unreachable=True)
    return list(infos)  # type: ignore[call-overload]


class _Watchdog:
    """Shuts the connection's socket down when the deadline passes, wherever the fetch is blocked."""

    def __init__(self, deadline: float) -> None:
        self.deadline, self.fired, self.sock = deadline, False, None
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        self.sock = sock
        if self.fired:
            raise _Expired()

    def remaining(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise _Expired()
        return left

    def _fire(self) -> None:
        self.fired = True
        if self.sock is not None:
            try:
                # The plain socket's shutdown (not TLS's): wakes a recv blocked in any layer.
                socket.socket.shutdown(self.sock, socket.SHUT_RDWR)
            except OSError:
                pass

    def cancel(self) -> None:
        self._timer.cancel()


class _Connection(http.client.HTTPConnection):
    """HTTP(S) to the address the policy approved (not a second lookup), under the watchdog."""

    def __init__(self, host: str, port: int, address: tuple, watchdog: _Watchdog, *, tls: bool,
                 tunnel: bool = False) -> None:
        super().__init__(host, port, timeout=watchdog.remaining())
        self._address, self._watchdog, self._tls, self._through = address, watchdog, tls, tunnel

    def connect(self) -> None:
        family, kind, proto, _, sockaddr = self._address
        sock = socket.socket(family, kind, proto)
        self._watchdog.watch(sock)
        sock.settimeout(self._watchdog.remaining())
        sock.connect(sockaddr)
        if self._through:
            # `address` is the proxy's: ask it for a tunnel to the site, then speak TLS inside it.
            where = f"{self.host}:{self.port}"
            sock.sendall(f"CONNECT {where} HTTP/1.1\r\nHost: {where}\r\n\r\n".encode("ascii"))
            answer = http.client.HTTPResponse(sock, method="CONNECT")
            answer.begin()
            if answer.status != 200:
                raise ConnectionRefusedError(f"the proxy refused a tunnel to {where} "
                                             f"(HTTP {answer.status} {answer.reason})")
        if self._tls:
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=self.host)
        self.sock = sock
