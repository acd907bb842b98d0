"""A real HTTP server on 127.0.0.1 serving the project's fixture site, plus faulty addresses.

`tests/data/site/` holds a district portal (a listing page and article pages laid out
like real ones) and RSS and Atom feeds; `{base}` in a feed becomes the server's address.
Faults: /slow answers after the client's timeout, /error is HTTP 500, /huge and
/huge-undeclared stream 50 MB (with and without Content-Length, generated chunk by
chunk, never held in memory), /bad.xml is not XML.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from helpers.paths import DATA

SITE = DATA / "site"
HUGE_BYTES = 50 * 1024 * 1024
SLOW_SECONDS = 5.0
TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/xml; charset=utf-8",
         ".txt": "text/plain; charset=utf-8"}


@dataclass
class Site:
    base: str
    requests: list[tuple[str, str]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    huge_sent: list[int] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        return [p for p, _ in self.requests]


def _handler(site: Site, extra_files: dict[str, Path]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            site.requests.append((self.path, self.headers.get("User-Agent", "")))
            try:
                if path == "/slow":
                    site.release.wait(SLOW_SECONDS)
                    self._send(200, b"<html><body><p>late</p></body></html>", TYPES[".html"])
                elif path == "/error":
                    self._send(500, b"Internal Server Error", "text/plain")
                elif path in ("/huge", "/huge-undeclared"):
                    self._huge(declared=path == "/huge")
                elif path == "/bad.xml":
                    self._send(200, b"<?xml version='1.0'?><rss><channel><title>H\xe1\xbb\x8fng</title>"
                                    b"<item><title>& < >></chan", TYPES[".xml"])
                elif path.startswith("/corpus/") and path.removeprefix("/corpus/") in extra_files:
                    target = extra_files[path.removeprefix("/corpus/")]
                    self._send(200, target.read_bytes(), TYPES.get(target.suffix, "application/octet-stream"))
                else:
                    self._file(path)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up, as it should on /huge

        def _file(self, path: str) -> None:
            target = (SITE / path.lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            if SITE.resolve() not in target.parents or not target.is_file():
                self._send(404, b"Not Found", "text/plain")
                return
            data = target.read_bytes()
            if target.suffix == ".xml":
                data = data.replace(b"{base}", site.base.encode())
            self._send(200, data, TYPES.get(target.suffix, "application/octet-stream"))

        def _send(self, status: int, data: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _huge(self, *, declared: bool) -> None:
            self.send_response(200)
            self.send_header("Content-Type", TYPES[".html"])
            if declared:
                self.send_header("Content-Length", str(HUGE_BYTES))
            self.end_headers()
            chunk, sent = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n", 0
            try:
                while sent < HUGE_BYTES:
                    self.wfile.write(chunk)
                    sent += len(chunk)
            finally:
                site.huge_sent.append(sent)

    return Handler


@contextmanager
def serve_site(extra_files: dict[str, Path] | None = None) -> Iterator[Site]:
    """Serve the fixture site on a free 127.0.0.1 port for the duration of the block
    (and `extra_files` under /corpus/NAME: the page corpus)."""
    site = Site(base="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site, extra_files or {}))
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
