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


def self_signed_cert(folder) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """A throwaway certificate for the local TLS endpoint (gTTS does not verify)."""
    import subprocess

    cert, key = str(folder / "cert.pem"), str(folder / "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=translate.google.com", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    return cert, key


def _read_head(conn: socket.socket) -> bytes:
    """An HTTP request's head (up to the blank line), or what came before the peer closed."""
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


@contextmanager
def _accepting(server: socket.socket, serve, stop: threading.Event) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Hand each connection to `serve` in its own thread until the block ends (or `stop` is set)."""
    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=2)
        server.close()


@contextmanager
def answering_proxy(status: int, folder, answer: bytes = b"") -> Iterator[dict]:  # type: ignore[no-untyped-def]
    """An HTTPS proxy on 127.0.0.1 that answers every tunnelled request with `status` (and `answer`).

    It plays the online service's side of the connection, so an engine sees a real
    HTTP 429 or 500 from "Google". Yields a dict whose "requests" counts the answers
    and whose "times" lists when each client asked for a tunnel (time.monotonic()): the
    moment it started a request, before the TLS set-up whose length varies.
    """
    import re
    import ssl
    import time

    cert, key = self_signed_cert(folder)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    stats: dict = {"port": server.getsockname()[1], "requests": 0, "times": []}
    stop = threading.Event()

    def serve(conn: socket.socket) -> None:
        try:
            conn.settimeout(5)
            if not _read_head(conn).startswith(b"CONNECT"):
                return
            stats["times"].append(time.monotonic())
            conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            with tls.wrap_socket(conn, server_side=True) as inner:
                head = _read_head(inner)
                if head:
                    # Read the whole body first: closing with unread bytes sends a reset,
                    # which the client may see before the answer ("cannot connect").
                    match = re.search(rb"content-length:\s*(\d+)", head, re.I)
                    body = len(head.split(b"\r\n\r\n", 1)[1])
                    while match and body < int(match.group(1)):
                        chunk = inner.recv(65536)
                        if not chunk:
                            break
                        body += len(chunk)
                    stats["requests"] += 1
                    reason = {200: "OK", 429: "Too Many Requests", 500: "Internal Server Error"}.get(status, "Error")
                    inner.sendall(f"HTTP/1.1 {status} {reason}\r\nContent-Length: {len(answer)}\r\n"
                                  "Connection: close\r\n\r\n".encode() + answer)
        except (OSError, ssl.SSLError):
            pass
        finally:
            conn.close()

    with _accepting(server, serve, stop):
        yield stats


@contextmanager
def raw_http(answer, host: str = "127.0.0.1") -> Iterator[str]:
    """A local server whose every connection is handed to `answer(conn, request_head)`.

    For peers no well-behaved server library plays: drip-feeding headers or bodies,
    redirect loops, bombs. Yields the base URL, e.g. http://127.0.0.1:PORT.
    """
    server = socket.socket()
    server.bind((host, 0))
    server.listen(16)
    server.settimeout(0.2)
    stop = threading.Event()

    def serve(conn: socket.socket) -> None:
        try:
            conn.settimeout(5)
            head = _read_head(conn)
            if head:
                answer(conn, head, stop)
        except OSError:
            pass
        finally:
            conn.close()

    with _accepting(server, serve, stop):
        yield f"http://{host}:{server.getsockname()[1]}"


def drip(data: bytes, interval: float = 0.5):  # type: ignore[no-untyped-def]
    """An `answer` for raw_http that sends `data` one byte every `interval` seconds, then
    keeps dripping spaces for as long as the client listens: a peer that never trips a
    socket timeout."""
    import itertools
    import time

    def answer(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
        for byte in itertools.chain(data, itertools.repeat(32)):
            if stop.is_set():
                return
            conn.sendall(bytes([byte]))
            time.sleep(interval)
    return answer


def reply(status: str, headers: dict[str, str], body: bytes = b""):  # type: ignore[no-untyped-def]
    """An `answer` that sends one complete HTTP response."""
    def answer(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
        lines = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", "Connection: close",
                 *(f"{k}: {v}" for k, v in headers.items())]
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    return answer
