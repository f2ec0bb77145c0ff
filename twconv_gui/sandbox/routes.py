"""What the sandbox answers to each request: routing, auth, rate limit, faults, acceptance."""

from __future__ import annotations

import hmac
import html
import json
import logging
import math
import re
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from twconv_gui.sandbox import accounts
from twconv_gui.sandbox.conversions import check_batch, parse_batch
from twconv_gui.sandbox.demo import DemoAccount, SandboxAccount
from twconv_gui.sandbox.faults import FaultAction, Faults
from twconv_gui.sandbox.oauth import OAuthGate
from twconv_gui.sandbox.ratelimit import RateWindow, limit_headers
from twconv_gui.sandbox.replies import (
    ApiError,
    Drop,
    Reply,
    html_reply,
    invalid,
    json_reply,
    route_not_found,
    unauthorized,
)

log = logging.getLogger(__name__)

# Request bodies of accepted batches kept for tests and inspection: the most recent 64 MB
# (about 250,000 conversions). A long-running sandbox would otherwise grow without end.
KEEP_BYTES = 64 * 1024 * 1024
_CONVERSIONS = re.compile(r"/(?P<v>\d+)/measurement/conversions/(?P<pixel>[^/]+)")
_HTML_TITLES = {500: "Internal Server Error", 503: "Service Temporarily Unavailable"}
_ACCOUNTS = re.compile(r"/(?P<v>\d+)/accounts(?:/(?P<id>[^/]+)(?:/(?P<sub>[a-z_]+))?)?")


@dataclass(frozen=True)
class AcceptedBatch:
    """A conversions request the sandbox accepted, with the debug_id it answered.

    The body is kept as received: a long run keeps one bytes object per batch rather than
    millions of dicts, which the garbage collector would walk again on every request.
    """

    debug_id: str
    pixel_id: str
    body: bytes
    received_at: float

    @property
    def conversions(self) -> tuple[dict[str, Any], ...]:
        return tuple(json.loads(self.body)["conversions"])


@dataclass(frozen=True)
class Incoming:
    """One HTTP request as the handler read it."""

    method: str
    path: str  # without the query string
    query: str
    headers: Mapping[str, str]
    body: bytes
    host: str  # as the client addressed us (the Host header): part of the signed URL

    @property
    def uri(self) -> str:
        return f"http://{self.host}{self.path}" + (f"?{self.query}" if self.query else "")


class SandboxApp:
    """The sandbox's state and behaviour, independent of sockets and threads."""

    def __init__(
        self,
        demo: DemoAccount,
        faults: Faults,
        *,
        latency: float,
        rate_limit: int,
        rate_window: float,
        keep_bytes: int = KEEP_BYTES,
    ) -> None:
        self.demo = demo
        self.faults = faults
        self.latency = latency
        self.rate = RateWindow(rate_limit, rate_window)
        self.oauth = OAuthGate(demo)
        self.accepted: list[AcceptedBatch] = []
        self.accepted_total = 0  # every accepted request, kept or not
        self.faults_served: list[tuple[str, float]] = []  # (fault kind, time it was answered)
        self.keep_bytes = keep_bytes
        self._kept_bytes = 0
        self.stopping = threading.Event()  # cuts waits short when the server stops
        self._lock = threading.Lock()
        self._requests_seen = 0

    @property
    def requests_seen(self) -> int:
        with self._lock:
            return self._requests_seen

    def accepted_conversions(self) -> list[dict[str, Any]]:
        with self._lock:
            return [c for batch in self.accepted for c in batch.conversions]

    def count_request(self) -> None:
        """Note one HTTP request received, however it ends."""
        with self._lock:
            self._requests_seen += 1

    def handle(self, request: Incoming) -> Reply | Drop:
        """The answer to one request (after the configured latency and any slow fault)."""
        if self.latency:
            self.stopping.wait(self.latency)
        path, method = request.path, request.method
        if path.startswith("/oauth/"):
            return self._oauth(request)
        if match := _CONVERSIONS.fullmatch(path):
            if method != "POST":
                return route_not_found()
            return self._conversions(request, match["pixel"])
        if (match := _ACCOUNTS.fullmatch(path)) and method == "GET":
            route = self._account_route(request, match["id"], match["sub"])
            if route is not None:
                return self._api(request, route)
        return route_not_found()

    def _api(
        self, request: Incoming, answer: Callable[[], Reply], pixel_id: str | None = None
    ) -> Reply:
        """Authenticate, count against the rate limit, answer; rate headers on every reply.

        A pixel token (`X-Pixel-Token`, without OAuth) opens the conversions of its one pixel
        (`pixel_id`), nothing else.
        """
        if not self._authenticated(request, pixel_id):
            return unauthorized().with_headers(self.rate.peek())
        allowed, headers = self.rate.consume()
        if not allowed:
            error = ApiError(429, "TOO_MANY_REQUESTS", "Rate limit exceeded")
            return error.reply().with_headers(headers)
        try:
            reply = answer()
        except ApiError as error:
            reply = error.reply()
        return reply.with_headers(headers)

    def _authenticated(self, request: Incoming, pixel_id: str | None) -> bool:
        token = _header(request.headers, "x-pixel-token")
        if token is not None:
            return (
                pixel_id == self.demo.pixel_id
                and hmac.compare_digest(token.encode(), self.demo.pixel_token.encode())
                and _header(request.headers, "authorization") is None
            )
        return self.oauth.verify(request.uri, request.method, request.headers, request.body)

    def _account_route(
        self, request: Incoming, account_id: str | None, sub: str | None
    ) -> Callable[[], Reply] | None:
        demo = self.demo
        if account_id is None:
            return lambda: accounts.list_accounts(demo)
        if sub is None:
            return lambda: accounts.one_account(demo, account_id)
        if sub == "authenticated_user_access":
            return lambda: accounts.user_access(demo, account_id)
        if sub == "web_event_tags":
            query = parse_qs(request.query)
            return lambda: accounts.web_event_tags(demo, account_id, query)
        return None

    def _conversions(self, request: Incoming, pixel_id: str) -> Reply | Drop:
        action = self.faults.next_action()
        if action.delay:
            self.stopping.wait(action.delay)
        if action.kind is not None:
            with self._lock:
                self.faults_served.append((action.kind, time.time()))
            return _fault_reply(action, self.rate.limit)
        return self._api(request, lambda: self._accept(request, pixel_id), pixel_id)

    def _accept(self, request: Incoming, pixel_id: str) -> Reply:
        account = self._account_of_pixel(pixel_id)
        conversions = parse_batch(request.body)
        check_batch(conversions, account)
        if self.faults.rejects(c.get("conversion_id") for c in conversions):
            raise invalid("A conversion of this request was rejected (sandbox reject rule)")
        batch = AcceptedBatch(str(uuid.uuid4()), pixel_id, request.body, time.time())
        with self._lock:
            self.accepted.append(batch)
            self.accepted_total += 1
            self._kept_bytes += len(batch.body)
            while self._kept_bytes > self.keep_bytes and len(self.accepted) > 1:
                self._kept_bytes -= len(self.accepted.pop(0).body)
        log.debug("accepted %d conversions, debug_id %s", len(conversions), batch.debug_id)
        return json_reply(
            200,
            {
                "request": {"params": {"account_id": account.id}},
                "data": {"conversions_processed": len(conversions), "debug_id": batch.debug_id},
            },
        )

    def _account_of_pixel(self, pixel_id: str) -> SandboxAccount:
        for account in self.demo.accounts:
            if account.pixel_id != pixel_id:
                continue
            if not account.can_upload:
                raise ApiError(
                    403,
                    "UNAUTHORIZED_ACCESS",
                    f"User {self.demo.user_id} has neither AD_MANAGER nor ACCOUNT_ADMIN access "
                    f"to ad account {account.id}",
                )
            return account
        shown = pixel_id[:24]
        raise ApiError(404, "NOT_FOUND", f"Pixel {shown} was not found for this user", "pixel_id")

    def _oauth(self, request: Incoming) -> Reply:
        gate, args = self.oauth, (request.uri, request.method, request.headers, request.body)
        if request.path == "/oauth/request_token" and request.method == "POST":
            return gate.request_token(*args)
        if request.path == "/oauth/access_token" and request.method == "POST":
            return gate.access_token(*args)
        if request.path == "/oauth/authorize" and request.method == "GET":
            token = parse_qs(request.query).get("oauth_token", [""])[0]
            return _authorize_page(self.demo, gate.pin_for(token) if token else None)
        return route_not_found()


def _header(headers: Mapping[str, str], name: str) -> str | None:
    return next((value for key, value in headers.items() if key.lower() == name), None)


def _authorize_page(demo: DemoAccount, pin: str | None) -> Reply:
    if pin is None:
        return html_reply(
            404,
            "Sign-in link not valid",
            "<h1>This sign-in link is not valid</h1>"
            "<p>It was used already or never issued. Start the sign-in again from the app.</p>",
        )
    return html_reply(
        200,
        "Authorize app - X Ads sandbox",
        "<h1>X Ads sandbox</h1>"
        f"<p>You are signed in as @{html.escape(demo.screen_name)} (a demo user). "
        "To finish signing in, enter this PIN in the app:</p>"
        f'<p style="font-size:2em"><code id="pin">{pin}</code></p>',
    )


def _fault_reply(action: FaultAction, limit: int) -> Reply | Drop:
    if action.kind == "drop":
        return Drop()
    if action.kind == "rate_limit":
        now = time.time()
        headers = limit_headers(limit, 0, now + action.reset_in)
        headers["Retry-After"] = str(math.ceil(action.reset_in))
        error = ApiError(429, "TOO_MANY_REQUESTS", "Rate limit exceeded")
        return error.reply().with_headers(headers)
    if action.html:
        title = f"{action.status} {_HTML_TITLES.get(action.status, 'Server Error')}"
        return html_reply(
            action.status,
            title,
            f"<h1>{title}</h1><p>The server is temporarily unable to service your request. "
            "Please try again later.</p>",
        )
    if action.status == 500:
        return ApiError(500, "INTERNAL_ERROR", "Internal error").reply()
    return ApiError(action.status, "SERVICE_UNAVAILABLE", "Service unavailable").reply()
