"""Signed HTTP calls to the X Ads API: one keep-alive OAuth 1.0a session per thread."""

from __future__ import annotations

import ipaddress
import os
import re
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from twconv_gui import APP_NAME, __version__
from twconv_gui.core.api import DEFAULT_API_BASE, DEFAULT_API_VERSION
from twconv_gui.core.api.auth import new_session
from twconv_gui.core.api.pixel_token import ApiCredentials, PixelToken
from twconv_gui.core.api.responses import ApiError, ApiResponse, RateLimit
from twconv_gui.core.api.transport import TransportError, read_body, transport_error
from twconv_gui.core.errors import TwconvError
from twconv_gui.core.payload import encode_conversion, join_conversions

__all__ = [
    "DEFAULT_API_BASE",
    "DEFAULT_API_VERSION",
    "ApiClient",
    "ApiError",
    "ApiResponse",
    "ApiSettings",
    "RateLimit",
    "TransportError",
]


# Connections kept per session; each session serves one thread, the margin covers redirects
# to a second host and the occasional parallel GET of a GUI page.
_POOL_MAXSIZE = 4
_REQUESTS_VERSION: str = getattr(requests, "__version__", "unknown")
_PIXEL_ID = re.compile(r"[0-9a-z]+")
_PATH = re.compile(r"[A-Za-z0-9_\-.~/]+")


@dataclass(frozen=True)
class ApiSettings:
    """Where and how to reach the X Ads API.

    Attributes:
        base_url: Scheme and host, e.g. `https://ads-api.x.com` (a trailing "/" is dropped).
        version: The API version, digits only, e.g. `12`.
        connect_timeout: Seconds to wait for a connection.
        read_timeout: Seconds to wait for the answer once the request is sent.

    A request as a whole (connecting, sending, the complete answer) gets at most
    `connect_timeout + read_timeout` seconds: a server that trickles its answer in, each
    piece within the read timeout, is cut off there.

    Raises:
        TwconvError: When a setting is unusable; the message names the setting.
    """

    base_url: str = DEFAULT_API_BASE
    version: str = DEFAULT_API_VERSION
    connect_timeout: float = 10.0
    read_timeout: float = 60.0

    def __post_init__(self) -> None:
        base = str(self.base_url).strip()
        if base.endswith("/"):
            base = base[:-1]
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TwconvError(
                f"API base URL {_shown(base)!r} is not usable: give the scheme and host only, "
                f"e.g. {DEFAULT_API_BASE}."
            )
        if parts.username is not None or parts.password is not None:
            raise TwconvError(
                "API base URL must not contain a user name or password: give the scheme and "
                f"host only, e.g. {DEFAULT_API_BASE}."
            )
        if parts.path or parts.query or parts.fragment or "?" in base or "#" in base:
            raise TwconvError(
                f"API base URL {_shown(base)!r} has a path or query: give the scheme and host "
                f"only, e.g. {DEFAULT_API_BASE} (the version is a separate setting)."
            )
        try:
            _ = parts.port
        except ValueError:
            raise TwconvError(f"API base URL {_shown(base)!r} has an invalid port.") from None
        if parts.scheme == "http" and not _is_loopback(parts.hostname):
            raise TwconvError(
                f"API base URL {_shown(base)!r} uses plain http: the keys, signatures and "
                f"hashed emails would cross the network unprotected. Use https (e.g. "
                f"{DEFAULT_API_BASE}); http is allowed only for this computer (the Sandbox)."
            )
        object.__setattr__(self, "base_url", base)
        version = str(self.version).strip()
        if not (version.isascii() and version.isdigit()):
            raise TwconvError(
                f"API version {_shown(version)!r} is not valid: give the number only, e.g. "
                f"{DEFAULT_API_VERSION} (not v{DEFAULT_API_VERSION})."
            )
        object.__setattr__(self, "version", version)
        for name in ("connect_timeout", "read_timeout"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or not 0 < value < 3600:
                raise TwconvError(
                    f"The {name.replace('_', ' ')} must be a number of seconds between 0 and "
                    f"3600, not {value!r}."
                )


class ApiClient:
    """Signed requests to the X Ads API, safe to share between threads.

    Each calling thread gets its own `OAuth1Session` (the requests maintainers' advice),
    created on its first call and kept alive so batches reuse one connection. Retries are the
    upload engine's job: the transport never retries on its own.
    """

    def __init__(
        self,
        credentials: ApiCredentials,
        settings: ApiSettings | None = None,
        *,
        user_agent: str | None = None,
    ) -> None:
        """Create a client; no connection is opened until the first request.

        Args:
            credentials: The four OAuth 1.0a credentials, or a pixel token (core.api.auth).
            settings: Host, version and timeouts; the defaults when None.
            user_agent: The User-Agent header to send instead of
                `twconv-gui/<version> (+python-requests/<version>)`.
        """
        self._credentials = credentials
        self.settings = settings if settings is not None else ApiSettings()
        self.user_agent = user_agent or (
            f"{APP_NAME}/{__version__} (+python-requests/{_REQUESTS_VERSION})"
        )
        self._local = threading.local()
        self._lock = threading.Lock()
        self._sessions: list[requests.Session] = []
        self._generation = 0

    def __repr__(self) -> str:
        return (
            f"ApiClient(base_url={self.settings.base_url!r}, version={self.settings.version!r}, "
            f"credentials={self._credentials!r})"
        )

    @property
    def uses_pixel_token(self) -> bool:
        """True when requests carry a pixel token (`X-Pixel-Token`) rather than OAuth keys."""
        return isinstance(self._credentials, PixelToken)

    def url(self, path: str) -> str:
        """The full URL of an API path, e.g. `accounts` → `https://ads-api.x.com/12/accounts`.

        Raises:
            TwconvError: When the path is not a plain relative API path.
        """
        relative = path.strip().lstrip("/")
        if not relative or not _PATH.fullmatch(relative) or ".." in relative.split("/"):
            raise TwconvError(f"{_shown(path)!r} is not an X Ads API path (e.g. accounts).")
        return f"{self.settings.base_url}/{self.settings.version}/{relative}"

    def post_conversions(
        self, pixel_id: str, conversions: Sequence[Mapping[str, Any]]
    ) -> ApiResponse:
        """Send one batch of conversion events, as `{"conversions": [...]}`.

        Args:
            pixel_id: The base-36 id of the pixel (event source), e.g. `o8z6j`.
            conversions: The conversion objects.

        Returns:
            The parsed answer, whatever its status.

        Raises:
            TwconvError: When the pixel id is malformed or a conversion cannot be written as
                JSON; nothing is sent then.
            TransportError: When no answer came (timeout, refused or broken connection).
        """
        return self.post_body(pixel_id, conversions_body(conversions))

    def post_body(self, pixel_id: str, body: bytes) -> ApiResponse:
        """Send one batch already encoded (see core.payload: the upload engine encodes each
        conversion once, for its journal digest and for sending); as post_conversions."""
        pixel = pixel_id.strip()
        if not _PIXEL_ID.fullmatch(pixel):
            raise TwconvError(
                f"Pixel id {_shown(pixel_id)!r} is not valid: give the base-36 id of the pixel "
                "(lowercase letters and digits, e.g. o8z6j), as Events Manager shows it."
            )
        # With a JSON content type requests-oauthlib leaves the body out of the signature,
        # which is what X expects.
        return self._request(
            "POST",
            self.url(f"measurement/conversions/{pixel}"),
            data=body,
            headers={"Content-Type": "application/json"},
        )

    def get(self, path: str, params: Mapping[str, str | int] | None = None) -> ApiResponse:
        """Read an API resource, e.g. `get("accounts")`.

        Args:
            path: The path after the version, e.g. `accounts/18ce552mlaq/web_event_tags`.
            params: Query parameters (they are part of the signature).

        Returns:
            The parsed answer, whatever its status.

        Raises:
            TwconvError: When the path is not a plain API path.
            TransportError: When no answer came (timeout, refused or broken connection).
        """
        query = {key: str(value) for key, value in (params or {}).items()}
        return self._request("GET", self.url(path), params=query)

    def close(self) -> None:
        """Close the sessions of every thread; a later call opens new ones."""
        with self._lock:
            sessions, self._sessions = self._sessions, []
            self._generation += 1
        for session in sessions:
            session.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _session(self) -> requests.Session:
        """The calling thread's session, created on first use."""
        cached: requests.Session | None = getattr(self._local, "session", None)
        if cached is not None and self._local.generation == self._generation:
            return cached
        session = new_session(self._credentials)
        adapter = HTTPAdapter(pool_connections=2, pool_maxsize=_POOL_MAXSIZE, max_retries=0)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        session.headers["User-Agent"] = self.user_agent
        session.headers["Accept"] = "application/json"
        _settle_environment(session, self.settings.base_url)
        with self._lock:
            self._sessions.append(session)
            self._local.generation = self._generation
        self._local.session = session
        return session

    def _request(self, method: str, url: str, **kwargs: Any) -> ApiResponse:
        session = self._session()
        settings = self.settings
        host = urlsplit(url).netloc
        started = time.monotonic()
        timeouts = (settings.connect_timeout, settings.read_timeout)
        try:
            response = session.request(
                method,
                url,
                timeout=timeouts,
                allow_redirects=False,
                stream=True,
                **kwargs,
            )
        except requests.RequestException as exc:
            raise transport_error(exc, host, timeouts) from None
        try:
            body = read_body(response, host, started, timeouts)
        finally:
            response.close()  # back to the pool when read whole, hung up otherwise
        return ApiResponse.from_http(
            response.status_code, response.headers, body, elapsed=time.monotonic() - started
        )


def _settle_environment(session: requests.Session, base_url: str) -> None:
    """Read the proxy and CA-bundle environment variables once per session.

    requests reads them on every request while `trust_env` is on, walking the whole
    environment twice: about 1 ms of the 2.7 ms of CPU a batch request takes. The session
    keeps what they say for the API's host instead (HTTPS_PROXY, NO_PROXY, REQUESTS_CA_BUNDLE
    and CURL_CA_BUNDLE work as before; authentication is always OAuth, never .netrc).
    """
    session.proxies.update(requests.utils.get_environ_proxies(base_url))
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if bundle:
        session.verify = bundle
    session.trust_env = False


def _is_loopback(hostname: str) -> bool:
    """This computer: `localhost` or a loopback address (127.0.0.0/8, ::1)."""
    if hostname.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False


def _shown(value: str) -> str:
    """A setting as quoted in an error message: shortened, so a pasted secret stays hidden."""
    value = str(value)
    return value if len(value) <= 24 else value[:12] + "…"


def conversions_body(conversions: Sequence[Mapping[str, Any]]) -> bytes:
    """The request body `{"conversions": [...]}` as compact UTF-8 JSON.

    Raises:
        TwconvError: A value cannot be written as JSON (not text, a whole or finite number).
    """
    return join_conversions(encode_conversion(c) for c in conversions)
