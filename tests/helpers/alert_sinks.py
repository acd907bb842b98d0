"""Real servers on 127.0.0.1 that receive alerts: a minimal SMTP server and an HTTP webhook."""

from __future__ import annotations

import email
import email.policy
import json
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler

from helpers.voice_server import local_http_server


@dataclass
class Inbox:
    mails: list[EmailMessage] = field(default_factory=list)
    posts: list[dict] = field(default_factory=list)


@contextmanager
def smtp_sink(inbox: Inbox) -> Iterator[int]:
    """An SMTP server (RFC 5321's minimal command set) keeping each message; yields its port."""

    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(line.encode("ascii") + b"\r\n")
            self.wfile.flush()

        def handle(self) -> None:
            self.reply("220 sink ESMTP")
            while True:
                line = self.rfile.readline()
                if not line:
                    return
                verb = line[:4].upper()
                if verb in (b"EHLO", b"HELO"):
                    self.reply("250 sink")
                elif verb in (b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                    self.reply("250 OK")
                elif verb == b"DATA":
                    self.reply("354 end with .")
                    lines = []
                    while (data := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                        lines.append(data[1:] if data.startswith(b"..") else data)
                    inbox.mails.append(email.message_from_bytes(b"".join(lines), policy=email.policy.default))
                    self.reply("250 queued")
                elif verb == b"QUIT":
                    self.reply("221 bye")
                    return
                else:
                    self.reply("502 not implemented")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def webhook_sink(inbox: Inbox) -> Iterator[str]:
    """An HTTP server keeping every JSON POST; yields its URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            inbox.posts.append(json.loads(body.decode("utf-8")))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    with local_http_server(Handler) as base:
        yield f"{base}/alerts"
