"""SandboxServer: a local X Ads API on 127.0.0.1 for tests, `twconv sandbox` and the GUI."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from types import TracebackType
from typing import Any, TextIO

from twconv_gui.sandbox.demo import DEMO, DemoAccount
from twconv_gui.sandbox.faults import FAULT_SYNTAX, Faults
from twconv_gui.sandbox.handler import LOOPBACK, SandboxHTTPServer
from twconv_gui.sandbox.routes import KEEP_BYTES, AcceptedBatch, SandboxApp

__all__ = ["DEMO", "AcceptedBatch", "DemoAccount", "Faults", "SandboxServer", "run_sandbox"]

API_VERSION = "12"


class SandboxServer:
    """A stand-in for ads-api.x.com (and api.x.com's PIN sign-in) in a background thread.

    It checks OAuth 1.0a signatures against the public DEMO credentials, validates conversions
    as strictly as X documents them, keeps what it accepted in `accepted`, and fails on demand
    through `faults`. It never listens on anything but 127.0.0.1.
    """

    def __init__(
        self,
        port: int = 0,
        *,
        faults: Faults | None = None,
        latency: float = 0.0,
        rate_limit: int = 100_000,
        rate_window: float = 900.0,
        host: str = LOOPBACK,
        demo: DemoAccount = DEMO,
        keep_bytes: int = KEEP_BYTES,
    ) -> None:
        if host != LOOPBACK:
            raise ValueError(f"the sandbox only listens on {LOOPBACK}, not on {host!r}")
        if not 0 <= port <= 65535:
            raise ValueError(f"port must be 0 (any free port) to 65535, not {port}")
        if latency < 0:
            raise ValueError("latency cannot be negative")
        self.demo = demo
        self._port = port
        self._app = SandboxApp(
            demo,
            faults if faults is not None else Faults(),
            latency=latency,
            rate_limit=rate_limit,
            rate_window=rate_window,
            keep_bytes=keep_bytes,
        )
        self._http: SandboxHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> SandboxServer:
        """Listen and serve in a background thread; returns self (already started: no-op)."""
        with self._lock:
            if self._http is not None:
                return self
            self._app.stopping.clear()
            http = SandboxHTTPServer(self._port, self._app)
            self._port = http.server_port
            self._thread = threading.Thread(
                target=http.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"twconv-sandbox-{self._port}",
                daemon=True,
            )
            self._http = http
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, hang up open connections and free the port; safe to call twice."""
        with self._lock:
            http, thread = self._http, self._thread
            self._http = self._thread = None
        if http is None:
            return
        self._app.stopping.set()
        http.shutdown()
        http.close_connections()
        http.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port listened on (after start); before the first start, the one asked for."""
        return self._port

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT`, to use where `https://ads-api.x.com` would go."""
        if self._http is None:
            raise RuntimeError("the sandbox is not running; call start() first")
        return f"http://{LOOPBACK}:{self._port}"

    @property
    def running(self) -> bool:
        return self._http is not None

    @property
    def faults(self) -> Faults:
        return self._app.faults

    @faults.setter
    def faults(self, faults: Faults) -> None:
        self._app.faults = faults

    @property
    def accepted(self) -> list[AcceptedBatch]:
        """The accepted conversions requests, in order (a live list; read, don't modify).

        Every one, up to `keep_bytes` of request bodies (64 MB by default); beyond that the
        oldest are let go. `accepted_total` counts them all.
        """
        return self._app.accepted

    @property
    def faults_served(self) -> list[tuple[str, float]]:
        """(kind, time.time() of the answer) of each fault served, in order (a live list)."""
        return self._app.faults_served

    @property
    def accepted_total(self) -> int:
        """Every conversions request accepted since start, kept in `accepted` or not."""
        return self._app.accepted_total

    @property
    def requests_seen(self) -> int:
        """Every HTTP request received, failed and faulted ones included."""
        return self._app.requests_seen

    @property
    def connections_opened(self) -> int:
        """TCP connections accepted since start (keep-alive reuse keeps this low)."""
        http = self._http
        return http.connections_opened if http is not None else 0

    def accepted_conversions(self) -> list[dict[str, Any]]:
        """The conversion objects of every accepted batch, flattened, in acceptance order."""
        return self._app.accepted_conversions()

    def pin_for(self, request_token: str) -> str:
        """The PIN `/oauth/authorize` shows for a request token (what a user would type).

        Raises:
            KeyError: the token was never issued or has been exchanged already.
        """
        pin = self._app.oauth.pin_for(request_token)
        if pin is None:
            raise KeyError("unknown or already used request token")
        return pin


def run_sandbox(
    port: int,
    fault_rules: Sequence[str],
    out: TextIO,
    *,
    latency: float = 0.0,
    until: threading.Event | None = None,
) -> int:
    """`twconv sandbox`: serve until Ctrl+C (or `until` is set); 0 when stopped, 2 on a bad rule."""
    faults = Faults()
    try:
        for rule in fault_rules:
            faults.add(rule)
    except ValueError as exc:
        out.write(f"twconv sandbox: {exc}\n")
        return 2
    server = SandboxServer(port, faults=faults, latency=latency)
    try:
        server.start()
    except OSError as exc:
        out.write(f"twconv sandbox: cannot listen on {LOOPBACK}:{port} ({exc.strerror}).\n")
        return 2
    try:
        out.write(describe(server, latency))
        out.flush()
        stop = until or threading.Event()
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    out.write("Sandbox stopped.\n")
    return 0


def describe(server: SandboxServer, latency: float = 0.0) -> str:
    """The banner `twconv sandbox` prints: address, demo credentials, ids, usage, faults."""
    demo, url = server.demo, server.base_url
    named = ", ".join(f"{e.id} {e.name}" for e in demo.events[:3])
    more = len(demo.events) - 3
    other = demo.other_account
    env = {
        "TWCONV_CONSUMER_KEY": demo.consumer_key,
        "TWCONV_CONSUMER_SECRET": demo.consumer_secret,
        "TWCONV_ACCESS_TOKEN": demo.access_token,
        "TWCONV_ACCESS_TOKEN_SECRET": demo.access_token_secret,
    }
    lines = [
        f"X Ads API sandbox listening on {url}  (Ctrl+C to stop)",
        f"  conversions: POST {url}/{API_VERSION}/measurement/conversions/{demo.pixel_id}",
        f"  PIN sign-in: {url}/oauth/request_token, /oauth/authorize, /oauth/access_token",
        "",
        "Demo credentials (public; they work on this sandbox only):",
        *(f"  {name}={value}" for name, value in env.items()),
        "",
        f"Ad account:  {demo.account_id}  {demo.account_name}",
        f"Pixel id:    {demo.pixel_id}",
        f"Events:      {named} (+{more} custom events)",
        f"Also listed: {other.id}  {other.name} - no AD_MANAGER access, uploads get 403",
        "",
        "Use it with twconv (in another terminal):",
        *(f"  export {name}={value}" for name, value in env.items()),
        f"  twconv upload EXPORT.csv --mapping MAPPING.json --pixel-id {demo.pixel_id} "
        f"--api-base {url}",
        f'  (the mapping needs "constants": {{"event_id": "{demo.events[0].id}"}})',
        "",
        f"Faults (--fault RULE, repeatable): {FAULT_SYNTAX}",
        "  They hit conversions requests only, e.g. --fault 429:2:5 --fault 503html --fault drop.",
    ]
    active = server.faults.describe()
    lines.append("Active faults: " + ("; ".join(active) if active else "none"))
    if latency:
        lines.append(f"Latency:     {latency:g} s added to every request")
    return "\n".join(lines) + "\n"
