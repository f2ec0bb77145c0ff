"""The sandbox's HTTP/1.1 plumbing: a loopback-only threading server and its request handler."""

from __future__ import annotations

import contextlib
import logging
import socket
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast
from urllib.parse import urlsplit

from twconv_gui.sandbox.replies import ApiError, Drop, Reply
from twconv_gui.sandbox.routes import Incoming, SandboxApp

log = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"
MAX_BODY = 16 * 1024 * 1024  # 500 conversions with contents stay far below this


MAX_CONNECTIONS = 64
"""Connections served at once, one thread each; a connection beyond them is hung up at once."""


class SandboxHTTPServer(ThreadingHTTPServer):
    """Serves a SandboxApp on 127.0.0.1 only; one daemon thread per connection, at most
    MAX_CONNECTIONS of them (idle keep-alive connections hold theirs for up to 60 s)."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 128

    def __init__(self, port: int, app: SandboxApp) -> None:
        self.app = app
        self.connections_opened = 0
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._closing = False
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__((LOOPBACK, port), SandboxHandler)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            log.warning("sandbox: %d connections open, one more hung up", MAX_CONNECTIONS)
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def server_bind(self) -> None:
        if self.server_address[0] != LOOPBACK:
            raise ValueError(f"the sandbox only listens on {LOOPBACK}")
        socketserver.TCPServer.server_bind(self)  # skips HTTPServer's reverse DNS look-up
        self.server_name = LOOPBACK
        self.server_port = int(self.server_address[1])

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("sandbox connection failed", exc_info=True)

    def connection_opened(self, connection: socket.socket) -> None:
        with self._lock:
            self.connections_opened += 1
            self._open.add(connection)
            closing = self._closing
        if closing:
            _hang_up(connection)

    def connection_closed(self, connection: socket.socket) -> None:
        with self._lock:
            self._open.discard(connection)

    def close_connections(self) -> None:
        """Hang up every open connection, so idle keep-alive threads end now."""
        with self._lock:
            self._closing = True
            connections = list(self._open)
        for connection in connections:
            _hang_up(connection)


def _hang_up(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already gone
        connection.shutdown(socket.SHUT_RDWR)


class SandboxHandler(BaseHTTPRequestHandler):
    """Reads one request at a time off a keep-alive connection and writes the app's reply."""

    protocol_version = "HTTP/1.1"
    # Headers and body leave in separate writes; with Nagle's algorithm on, the body waits for
    # the client's delayed ACK (about 40 ms on Linux) on every keep-alive request.
    disable_nagle_algorithm = True
    server_version = "twconv-sandbox/1"
    sys_version = ""
    timeout = 60  # an idle keep-alive connection is closed after this many seconds

    @property
    def _http(self) -> SandboxHTTPServer:
        return cast(SandboxHTTPServer, self.server)

    def setup(self) -> None:
        super().setup()
        self._http.connection_opened(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self._http.connection_closed(self.connection)

    # http.server dispatches on these names; every method goes through the same routing.
    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def _serve(self) -> None:
        self._http.app.count_request()
        body = self._read_body()
        if body is None:
            return
        split = urlsplit(self.path)
        request = Incoming(
            method=self.command,
            path=split.path,
            query=split.query,
            headers=dict(self.headers.items()),
            body=body,
            host=self.headers.get("Host") or f"{LOOPBACK}:{self._http.server_port}",
        )
        try:
            reply = self._http.app.handle(request)
        except Exception:
            log.debug("sandbox failed on %s %s", self.command, split.path, exc_info=True)
            reply = ApiError(500, "INTERNAL_ERROR", "Internal error").reply()
        if isinstance(reply, Drop):
            self.close_connection = True  # no answer at all: the client sees the socket close
            return
        self._send(reply)

    def _read_body(self) -> bytes | None:
        """The request body (read fully, so the connection can carry the next request)."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length_text = self.headers.get("Content-Length", "0") or "0"
        if not length_text.isdigit():
            self.send_error(400, "Bad Content-Length")
            return None
        length = int(length_text)
        if length > MAX_BODY:
            self.send_error(413, "Request body too large")
            return None
        return self.rfile.read(length) if length else b""

    def _read_chunked(self) -> bytes | None:
        parts: list[bytes] = []
        total = 0
        while True:
            size_line = self.rfile.readline(1024).split(b";")[0].strip()
            try:
                size = int(size_line, 16)
            except ValueError:
                self.send_error(400, "Bad chunked body")
                return None
            total += size
            if total > MAX_BODY:
                self.send_error(413, "Request body too large")
                return None
            if size == 0:
                while self.rfile.readline(1024).strip():  # trailers up to the blank line
                    pass
                return b"".join(parts)
            parts.append(self.rfile.read(size))
            self.rfile.readline(1024)  # the CRLF after each chunk

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(reply.body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # Never the query string (it may hold an oauth_token) nor any header.
        log.debug("%s %s -> %s", self.command, urlsplit(self.path).path, code)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("sandbox http: %s", format)  # the arguments may quote the raw request line
