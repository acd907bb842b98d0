"""A Google speech endpoint on 127.0.0.1 that answers: an HTTPS proxy whose tunnel returns real MP3 audio.

gTTS asks `translate.google.*` through the proxy named in HTTPS_PROXY; this server plays
both, answering every request with the batchexecute line gTTS decodes (base64 MP3).
"""

from __future__ import annotations

import base64
import re
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from netfaults import self_signed_cert


def tone_mp3(folder: Path, seconds: float = 0.6) -> bytes:
    """A short real MP3 (a 440 Hz tone), what "Google" speaks."""
    path = folder / "google-tone.mp3"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
                    "-ac", "1", "-ar", "24000", "-b:a", "48k", str(path)], check=True)
    return path.read_bytes()


@contextmanager
def speaking_google(folder: Path) -> Iterator[dict]:
    """Yields {"port": proxy port, "requests": answered requests}."""
    audio = base64.b64encode(tone_mp3(folder)).decode("ascii")
    body = (")]}'\n\n" + '[["wrb.fr","jQ1olc","[\\"' + audio + '\\"]",null,null,null,"generic"]]\n').encode()
    cert, key = self_signed_cert(folder)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    stats: dict = {"port": server.getsockname()[1], "requests": 0}
    stop = threading.Event()

    def read_head(conn: socket.socket) -> bytes:
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
        return data

    def serve(conn: socket.socket) -> None:
        try:
            conn.settimeout(5)
            if not read_head(conn).startswith(b"CONNECT"):
                return
            conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            with tls.wrap_socket(conn, server_side=True) as inner:
                head = read_head(inner)
                if not head:
                    return
                match = re.search(rb"content-length:\s*(\d+)", head, re.I)
                got = len(head.split(b"\r\n\r\n", 1)[1])
                while match and got < int(match.group(1)):
                    chunk = inner.recv(65536)
                    if not chunk:
                        break
                    got += len(chunk)
                stats["requests"] += 1
                inner.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                              + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
        except (OSError, ssl.SSLError):
            pass
        finally:
            conn.close()

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
        yield stats
    finally:
        stop.set()
        thread.join(timeout=2)
        server.close()
