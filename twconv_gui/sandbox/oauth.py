"""OAuth 1.0a for the sandbox: signature checks and the PIN sign-in, with oauthlib's server side."""

from __future__ import annotations

import heapq
import hmac
import secrets
import threading
import time
from collections.abc import Mapping
from typing import Any

from oauthlib.oauth1 import AccessTokenEndpoint, RequestTokenEndpoint, ResourceEndpoint
from oauthlib.oauth1 import RequestValidator as _RequestValidator

from twconv_gui.sandbox.demo import DemoAccount
from twconv_gui.sandbox.replies import FORM_TYPE, Reply

TIMESTAMP_LIFETIME = 600  # how far (s) a request timestamp may stray from the clock
_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
_DUMMY_SECRET = "sandbox-dummy-secret"  # noqa: S105 - makes unknown keys fail in constant time


class SandboxValidator(_RequestValidator):  # type: ignore[misc] # oauthlib has no type hints
    """Knows the demo client, its fixed access token and every token issued at runtime."""

    def __init__(self, demo: DemoAccount) -> None:
        super().__init__()
        self.demo = demo
        self._lock = threading.Lock()
        self._access: dict[str, str] = {demo.access_token: demo.access_token_secret}
        self._request: dict[str, tuple[str, str]] = {}  # token -> (secret, PIN)
        # Every (client, timestamp, nonce, token) seen while its timestamp can still pass, and
        # a heap of when each may be forgotten: each request costs O(log n) however long the
        # sandbox runs. (It used to sweep a dict of them once it held 10,000, and with 10,000
        # requests within ten minutes, swept it on every request: a long-running sandbox got
        # a third slower.)
        self._nonces: set[tuple[str, str, str, str]] = set()
        self._forget_at: list[tuple[int, tuple[str, str, str, str]]] = []

    # Lenient formats: X's tokens hold '-' and clients' nonces vary in length.
    enforce_ssl = False
    timestamp_lifetime = TIMESTAMP_LIFETIME
    dummy_client = "sandbox-dummy-client"
    dummy_request_token = "sandbox-dummy-request-token"  # noqa: S105
    dummy_access_token = "sandbox-dummy-access-token"  # noqa: S105

    def _safe(self, text: str, shortest: int = 1, longest: int = 200) -> bool:
        return shortest <= len(text) <= longest and set(text) <= _SAFE

    def check_client_key(self, client_key: str) -> bool:
        return self._safe(client_key)

    def check_request_token(self, request_token: str) -> bool:
        return self._safe(request_token)

    def check_access_token(self, request_token: str) -> bool:
        return self._safe(request_token)

    def check_nonce(self, nonce: str) -> bool:
        return self._safe(nonce, 8, 128)

    def check_verifier(self, verifier: str) -> bool:
        return self._safe(verifier, 1, 64)

    def check_realms(self, realms: Any) -> bool:
        return True

    def validate_client_key(self, client_key: str, request: Any) -> bool:
        return hmac.compare_digest(client_key, self.demo.consumer_key)

    def get_client_secret(self, client_key: str, request: Any) -> str:
        if hmac.compare_digest(client_key, self.demo.consumer_key):
            return self.demo.consumer_secret
        return _DUMMY_SECRET

    def validate_timestamp_and_nonce(
        self,
        client_key: str,
        timestamp: str,
        nonce: str,
        request: Any,
        *,
        request_token: str | None = None,
        access_token: str | None = None,
    ) -> bool:
        key = (client_key, timestamp, nonce, request_token or access_token or "")
        now = int(time.time())
        with self._lock:
            forget_at = self._forget_at
            while forget_at and forget_at[0][0] < now:  # its timestamp can no longer pass
                self._nonces.discard(heapq.heappop(forget_at)[1])
            if key in self._nonces:
                return False
            self._nonces.add(key)
            heapq.heappush(forget_at, (int(timestamp) + TIMESTAMP_LIFETIME, key))
        return True

    @property
    def nonces_kept(self) -> int:
        with self._lock:
            return len(self._nonces)

    # Access tokens (resource requests)
    def validate_access_token(self, client_key: str, token: str, request: Any) -> bool:
        with self._lock:
            return token in self._access

    def get_access_token_secret(self, client_key: str, token: str, request: Any) -> str:
        with self._lock:
            return self._access.get(token, _DUMMY_SECRET)

    def validate_realms(self, *args: Any, **kwargs: Any) -> bool:
        return True

    def save_access_token(self, token: Mapping[str, str], request: Any) -> None:
        with self._lock:
            self._access[token["oauth_token"]] = token["oauth_token_secret"]

    # Request tokens (the PIN sign-in)
    def get_default_realms(self, client_key: str, request: Any) -> list[str]:
        return []

    def get_realms(self, token: str, request: Any) -> list[str]:
        return []

    def validate_requested_realms(self, client_key: str, realms: Any, request: Any) -> bool:
        return True

    def validate_redirect_uri(self, client_key: str, redirect_uri: str, request: Any) -> bool:
        return redirect_uri == "oob"  # PIN sign-in only, as twurl does it

    def save_request_token(self, token: Mapping[str, str], request: Any) -> None:
        pin = f"{secrets.randbelow(10**7):07d}"
        with self._lock:
            self._request[token["oauth_token"]] = (token["oauth_token_secret"], pin)

    def validate_request_token(self, client_key: str, token: str, request: Any) -> bool:
        with self._lock:
            return token in self._request

    def get_request_token_secret(self, client_key: str, token: str, request: Any) -> str:
        with self._lock:
            return self._request.get(token, (_DUMMY_SECRET, ""))[0]

    def validate_verifier(self, client_key: str, token: str, verifier: str, request: Any) -> bool:
        with self._lock:
            pin = self._request.get(token, ("", ""))[1]
        return bool(pin) and hmac.compare_digest(verifier, pin)

    def invalidate_request_token(self, client_key: str, request_token: str, request: Any) -> None:
        with self._lock:
            self._request.pop(request_token, None)

    def pin_for(self, request_token: str) -> str | None:
        with self._lock:
            entry = self._request.get(request_token)
        return entry[1] if entry else None


class OAuthGate:
    """Checks signed API requests and serves the request-token and access-token steps."""

    def __init__(self, demo: DemoAccount) -> None:
        self.demo = demo
        self.validator = SandboxValidator(demo)
        self._resource = ResourceEndpoint(self.validator)
        self._request_token = RequestTokenEndpoint(self.validator)
        self._access_token = AccessTokenEndpoint(self.validator)

    def verify(self, uri: str, method: str, headers: Mapping[str, str], body: bytes) -> bool:
        """Whether the request carries a valid OAuth 1.0a signature of the demo user."""
        valid, _request = self._resource.validate_protected_resource_request(
            uri, http_method=method, body=_signed_body(headers, body), headers=dict(headers)
        )
        return bool(valid)

    def request_token(
        self, uri: str, method: str, headers: Mapping[str, str], body: bytes
    ) -> Reply:
        """`POST /oauth/request_token` signed by the consumer with `oauth_callback=oob`."""
        reply_headers, token, status = self._request_token.create_request_token_response(
            uri, http_method=method, body=_signed_body(headers, body), headers=dict(headers)
        )
        return _token_reply(status, token, reply_headers)

    def access_token(self, uri: str, method: str, headers: Mapping[str, str], body: bytes) -> Reply:
        """`POST /oauth/access_token` with `oauth_verifier=PIN`, signed with the request token."""
        credentials = {"user_id": self.demo.user_id, "screen_name": self.demo.screen_name}
        reply_headers, token, status = self._access_token.create_access_token_response(
            uri,
            http_method=method,
            body=_signed_body(headers, body),
            headers=dict(headers),
            credentials=credentials,
        )
        return _token_reply(status, token, reply_headers)

    def pin_for(self, request_token: str) -> str | None:
        return self.validator.pin_for(request_token)


def _signed_body(headers: Mapping[str, str], body: bytes) -> str | None:
    # Only a form body takes part in the signature; a JSON body never does (nor is decoded).
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    if FORM_TYPE not in content_type.lower():
        return None
    return body.decode("utf-8", errors="replace")


def _token_reply(status: int, token: str | None, headers: Mapping[str, str]) -> Reply:
    if status == 200 and token:
        return Reply(200, token.encode(), FORM_TYPE)
    if status == 401 or not token:
        return Reply(401, b"Invalid request token or signature.", "text/plain; charset=utf-8")
    return Reply(status, token.encode(), headers.get("Content-Type", FORM_TYPE))
