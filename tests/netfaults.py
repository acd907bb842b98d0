"""Network faults on 127.0.0.1 for online engines: a refused port and a black hole."""

from __future__ import annotations

import socket
import threading
from contextlib import contextmanager
from typing import Iterator


def refused_port() -> int:
    """A local port with nothing listening: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def black_hole() -> Iterator[int]:
    """A local server that accepts connections and never answers; yields its port."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                held.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=2)
        for conn in held:
            conn.close()
        server.close()


def proxy_env(port: int) -> dict[str, str]:
    """Route HTTP(S) through 127.0.0.1:port, as a station behind a proxy would."""
    url = f"http://127.0.0.1:{port}"
    return {"HTTPS_PROXY": url, "https_proxy": url, "HTTP_PROXY": url, "http_proxy": url,
            "NO_PROXY": "", "no_proxy": ""}
