"""Hostile servers: a body that trickles in, one too large to keep; both are transport errors."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from twconv_gui.core.api import transport
from twconv_gui.core.api.client import ApiClient, ApiSettings, TransportError
from twconv_gui.core.api.credentials import Credentials

SUCCESS = b'{"data": {"conversions_processed": 1, "debug_id": "d-1"}}'
CONVERSION = {
    "conversion_time": "2022-02-18T01:14:00.603Z",
    "event_id": "o87ne",
    "identifiers": [{"twclid": "26l6412g5p4iyj65a2oic2ayg2"}],
}


class RawServer:
    """A one-purpose HTTP/1.1 server on 127.0.0.1: `answer(socket)` writes the whole reply."""

    def __init__(self, answer: Callable[[socket.socket], None]) -> None:
        self.answer = answer
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            request = b""
            try:
                while b"\r\n\r\n" not in request:
                    request += conn.recv(65536)
                head, _, body = request.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                while len(body) < length:
                    body += conn.recv(65536)
                self.answer(conn)
            except OSError:
                pass  # the client hung up: what these tests expect

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        self.listener.close()


@pytest.fixture
def serve() -> Iterator[Callable[[Callable[[socket.socket], None]], RawServer]]:
    servers: list[RawServer] = []

    def start(answer: Callable[[socket.socket], None]) -> RawServer:
        servers.append(RawServer(answer))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def _client(port: int, *, connect: float = 1.0, read: float = 2.0) -> ApiClient:
    credentials = Credentials("ckey0123456789", "csecret0123456789", "1-token0123", "tsecret0123")
    settings = ApiSettings(
        base_url=f"http://127.0.0.1:{port}", connect_timeout=connect, read_timeout=read
    )
    return ApiClient(credentials, settings)


def _head(length: int | None) -> bytes:
    framing = f"Content-Length: {length}" if length is not None else "Connection: close"
    return f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{framing}\r\n\r\n".encode()


def test_a_trickling_body_ends_at_the_overall_deadline(serve):
    body = SUCCESS + b" " * 40  # 100 bytes: 20 s at one byte per 0.2 s

    def trickle(conn: socket.socket) -> None:
        conn.sendall(_head(len(body)))
        for byte in body:
            conn.sendall(bytes([byte]))
            time.sleep(0.2)

    server = serve(trickle)
    with _client(server.port, connect=1.0, read=2.0) as api:
        started = time.monotonic()
        with pytest.raises(TransportError) as caught:
            api.post_conversions("o8z6j", [CONVERSION])
        took = time.monotonic() - started
    # Every read came within the 2 s read timeout; the whole answer did not come within
    # connect + read = 3 s, and that is what ends the request.
    assert took < 4.5
    assert caught.value.kind == "timeout"
    assert "did not answer within 3 s" in str(caught.value)
    assert "count a resent sale twice" in str(caught.value)


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "until-close"])
def test_a_huge_body_is_refused_not_kept(serve, monkeypatch, declared):
    monkeypatch.setattr(transport, "MAX_RESPONSE_BYTES", 1 << 20)
    sent: list[int] = []

    def flood(conn: socket.socket) -> None:
        total = 64 << 20  # 64 MB
        conn.sendall(_head(total if declared else None))
        chunk = b"x" * 65536
        for _ in range(total // len(chunk)):
            conn.sendall(chunk)
            sent.append(len(chunk))

    server = serve(flood)
    with _client(server.port, read=5.0) as api, pytest.raises(TransportError) as caught:
        api.post_conversions("o8z6j", [CONVERSION])
    assert caught.value.kind == "too_large"
    assert "larger than 1 MB" in str(caught.value)
    assert sum(sent) < 16 << 20  # the client hung up long before the end


def test_an_ordinary_answer_still_comes_whole_on_a_kept_connection(serve):
    ports: list[int] = []

    def answer(conn: socket.socket) -> None:
        ports.append(conn.getpeername()[1])
        conn.sendall(_head(len(SUCCESS)) + SUCCESS)
        # keep-alive: serve a second request on the same connection
        request = b""
        while b"\r\n\r\n" not in request:
            data = conn.recv(65536)
            if not data:
                return
            request += data
        conn.settimeout(5)
        time.sleep(0.05)
        conn.sendall(_head(len(SUCCESS)) + SUCCESS)

    server = serve(answer)
    with _client(server.port) as api:
        first = api.post_conversions("o8z6j", [CONVERSION])
        second = api.post_conversions("o8z6j", [CONVERSION])
    assert (first.status, first.processed, first.debug_id) == (200, 1, "d-1")
    assert (second.status, second.processed) == (200, 1)
    assert len(ports) == 1  # the connection went back to the pool after the first answer
