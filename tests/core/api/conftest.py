"""A tiny HTTP server on 127.0.0.1 that records raw requests and answers canned replies."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from twconv_gui.core.api.client import ApiClient, ApiSettings
from twconv_gui.core.api.credentials import Credentials


@dataclass
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    client_port: int
    thread: str


@dataclass
class Reply:
    """What the server answers."""

    status: int = 200
    body: bytes | str | dict[str, Any] = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay_until_released: bool = False


SUCCESS = {
    "request": {"params": {"account_id": "18ce552mlaq"}},
    "data": {"conversions_processed": 2, "debug_id": "ff02e052-36e4-47d6-bdf0-6d8986446562"},
}


class FakeApi:
    """The server's state: recorded requests and the reply to give."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.reply: Callable[[Recorded], Reply] = lambda _request: Reply(body=SUCCESS)
        self.release = threading.Event()
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def answer(
        self,
        status: int = 200,
        body: bytes | str | dict[str, Any] = b"",
        headers: dict[str, str] | None = None,
        *,
        hold: bool = False,
    ) -> None:
        """Give this reply to every request from now on (`hold`: until the test ends)."""
        reply = Reply(status, body, headers or {}, delay_until_released=hold)
        self.reply = lambda _request: reply


def _handler(api: FakeApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, so connection reuse is visible
        timeout = 5

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            recorded = Recorded(
                method=self.command,
                path=self.path,
                headers=dict(self.headers.items()),
                body=self.rfile.read(length),
                client_port=self.client_address[1],
                thread=threading.current_thread().name,
            )
            api.requests.append(recorded)
            reply = api.reply(recorded)
            if reply.delay_until_released:
                api.release.wait(5)
            body = reply.body
            if isinstance(body, dict):
                body = json.dumps(body).encode()
            elif isinstance(body, str):
                body = body.encode()
            self.send_response(reply.status)
            headers = {"Content-Type": "application/json", **reply.headers}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _serve  # noqa: N815 - http.server's naming

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out leaves a broken pipe behind: expected here


@pytest.fixture
def fake_api() -> Iterator[FakeApi]:
    api = FakeApi()
    server = _QuietServer(("127.0.0.1", 0), _handler(api))
    api.port = server.server_address[1]
    thread = threading.Thread(
        target=server.serve_forever, args=(0.01,), name="fake-api", daemon=True
    )
    thread.start()
    yield api
    api.release.set()
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def credentials() -> Credentials:
    """Credentials whose secrets are long and distinctive, so a leak is easy to spot."""
    return Credentials(
        consumer_key="ckey0123456789ABCDEFGHIJ",
        consumer_secret="CONSUMERsecret0123456789abcdefghijklmnopqrstuvwxyzAB",
        access_token="1234567890-accesstokenABCDEFGHIJKLMNOP",
        access_token_secret="TOKENsecret0123456789abcdefghijklmnopqrstuvwxyzABCD",
    )


@pytest.fixture
def client(fake_api: FakeApi, credentials: Credentials) -> Iterator[ApiClient]:
    api_client = ApiClient(
        credentials, ApiSettings(base_url=fake_api.base_url, connect_timeout=2, read_timeout=5)
    )
    yield api_client
    api_client.close()
