"""What the X Ads API answered: status, parsed body, error list and rate-limit headers."""

from __future__ import annotations

import html
import json
import math
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Any

_EXCERPT_CHARS = 300
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")
_TRANSIENT = frozenset({408, 423, 500, 502, 503, 504})


@dataclass(frozen=True)
class ApiError:
    """One entry of the `errors` list of an X Ads API error body.

    Attributes:
        code: X's error code, e.g. `INVALID_PARAMETER`.
        message: X's explanation, e.g. `hashed_email (abc) is not a valid SHA-256 hash`.
        parameter: The request parameter concerned, when X names one.
    """

    code: str
    message: str
    parameter: str | None = None

    def describe(self) -> str:
        """One line: `CODE: message (parameter: name)`."""
        text = f"{self.code}: {self.message}" if self.message else self.code
        return f"{text} (parameter: {self.parameter})" if self.parameter else text


@dataclass(frozen=True)
class RateLimit:
    """The rate-limit state a response reported.

    Attributes:
        limit: Requests allowed in the current window.
        remaining: Requests left in the current window.
        reset_at: When the window resets, in epoch seconds.
        retry_after: How long the server asked to wait, in seconds (`Retry-After`).
    """

    limit: int | None = None
    remaining: int | None = None
    reset_at: float | None = None
    retry_after: float | None = None

    @classmethod
    def from_headers(cls, headers: Mapping[str, str], *, now: float | None = None) -> RateLimit:
        """Read `x-account-rate-limit-*`, `x-rate-limit-*` and `Retry-After`.

        The account-level headers take precedence when any of them is usable. Junk values are
        ignored rather than raised: a malformed header must not fail an upload.

        Args:
            headers: Response headers (any case).
            now: The current epoch time, to turn an HTTP-date `Retry-After` into seconds;
                `time.time()` when None.

        Returns:
            The rate-limit state; fields are None when their headers are absent or unusable.
        """
        lowered = {str(key).lower(): str(value) for key, value in headers.items()}
        for prefix in ("x-account-rate-limit-", "x-rate-limit-"):
            limit = _parse_count(lowered.get(prefix + "limit"))
            remaining = _parse_count(lowered.get(prefix + "remaining"))
            reset_at = _parse_epoch(lowered.get(prefix + "reset"))
            if limit is not None or remaining is not None or reset_at is not None:
                break
        retry_after = _parse_retry_after(lowered.get("retry-after"), now)
        return cls(limit=limit, remaining=remaining, reset_at=reset_at, retry_after=retry_after)


@dataclass(frozen=True)
class ApiResponse:
    """An HTTP answer of the X Ads API, parsed.

    Attributes:
        status: The HTTP status code.
        data: The `data` member of a standard JSON body, the whole JSON for other JSON bodies,
            or None when the body is not JSON.
        errors: The entries of the `errors` member, in order.
        rate: The rate-limit headers.
        elapsed: Seconds the request took, sending included.
        text_excerpt: The first 300 characters of a non-JSON body, else "".
        debug_id: The `debug_id` of a conversions upload: what X support asks for.
        processed: `conversions_processed` of a conversions upload.
        account_id: The ad account X resolved the request to (`request.params.account_id`).
        next_cursor: The cursor of the next page of a listing, when there is one.
        location: The target of a redirect (3xx), without its query string.
    """

    status: int
    data: Any = None
    errors: tuple[ApiError, ...] = ()
    rate: RateLimit = field(default_factory=RateLimit)
    elapsed: float = 0.0
    text_excerpt: str = ""
    debug_id: str | None = None
    processed: int | None = None
    account_id: str | None = None
    next_cursor: str | None = None
    location: str | None = None

    @classmethod
    def from_http(
        cls,
        status: int,
        headers: Mapping[str, str],
        body: bytes,
        *,
        elapsed: float = 0.0,
        now: float | None = None,
    ) -> ApiResponse:
        """Parse a raw HTTP answer.

        Args:
            status: The HTTP status code.
            headers: The response headers.
            body: The raw response body.
            elapsed: Seconds the request took.
            now: The current epoch time (for `Retry-After` dates); `time.time()` when None.

        Returns:
            The parsed response. Never raises on a malformed body.
        """
        rate = RateLimit.from_headers(headers, now=now)
        lowered = {str(key).lower(): str(value) for key, value in headers.items()}
        location = lowered.get("location")
        location = location.split("?", 1)[0].split("#", 1)[0] if location else None
        text = body.decode("utf-8", errors="replace")
        try:
            document: Any = json.loads(text) if text.strip() else None
        except ValueError:
            return cls(
                status=status,
                rate=rate,
                elapsed=elapsed,
                text_excerpt=text[:_EXCERPT_CHARS],
                location=location,
            )
        if not isinstance(document, dict):
            return cls(status=status, data=document, rate=rate, elapsed=elapsed, location=location)
        data = document.get("data", document)
        processed = debug_id = None
        if isinstance(data, dict):
            processed = _parse_count(data.get("conversions_processed"))
            debug_id = _string_or_none(data.get("debug_id"))
        request = document.get("request")
        params = request.get("params") if isinstance(request, dict) else None
        account_id = _string_or_none(params.get("account_id")) if isinstance(params, dict) else None
        return cls(
            status=status,
            data=data,
            errors=_parse_errors(document.get("errors")),
            rate=rate,
            elapsed=elapsed,
            debug_id=debug_id,
            processed=processed,
            account_id=account_id,
            next_cursor=_string_or_none(document.get("next_cursor")),
            location=location,
        )

    @property
    def ok(self) -> bool:
        """The request succeeded (2xx)."""
        return 200 <= self.status < 300

    @property
    def is_bad_request(self) -> bool:
        """The data was rejected (400): resending the same request fails the same way."""
        return self.status == 400

    @property
    def is_auth_problem(self) -> bool:
        """The credentials are wrong or lack access (401, 403)."""
        return self.status in (401, 403)

    @property
    def is_not_found(self) -> bool:
        """The pixel, event or route does not exist for these credentials (404)."""
        return self.status == 404

    @property
    def is_rate_limited(self) -> bool:
        """Too many requests (429): wait until the rate-limit window resets."""
        return self.status == 429

    @property
    def is_transient(self) -> bool:
        """A temporary server-side problem worth retrying with backoff (408, 423, 5xx)."""
        return self.status in _TRANSIENT or 500 <= self.status < 600

    def describe(self) -> str:
        """One line for users, e.g. `503 SERVICE_UNAVAILABLE: Over capacity`."""
        if self.errors:
            first = self.errors[0].describe()
            more = f" (+{len(self.errors) - 1} more)" if len(self.errors) > 1 else ""
            return f"{self.status} {first}{more}"
        if self.ok and self.processed is not None:
            debug = f" (debug id {self.debug_id})" if self.debug_id else ""
            return f"{self.status} OK: {self.processed} conversions processed{debug}"
        if self.location:
            return f"{self.status} {_reason(self.status)} (redirected to {self.location})"
        if self.text_excerpt.strip():
            return f"{self.status} (non-JSON body: {_summary(self.text_excerpt)})"
        return f"{self.status} {_reason(self.status)}".rstrip()


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _summary(text: str) -> str:
    """The page title of an HTML body, else its text without tags, on one line."""
    match = _TITLE.search(text)
    summary = match.group(1) if match else _TAGS.sub(" ", text)
    summary = _SPACES.sub(" ", html.unescape(summary)).strip()
    if not summary:
        summary = _SPACES.sub(" ", text).strip()
    return summary[:120] + ("…" if len(summary) > 120 else "")


def _parse_errors(raw: Any) -> tuple[ApiError, ...]:
    if not isinstance(raw, list):
        return ()
    errors = []
    for entry in raw:
        if isinstance(entry, dict):
            errors.append(
                ApiError(
                    code=_string_or_none(entry.get("code")) or "UNKNOWN",
                    message=_string_or_none(entry.get("message")) or "",
                    parameter=_string_or_none(entry.get("parameter")),
                )
            )
        elif isinstance(entry, str):
            errors.append(ApiError(code="UNKNOWN", message=entry))
    return tuple(errors)


def _string_or_none(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list | bool):
        return None
    text = str(value).strip()
    return text or None


def _parse_count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit():
            return int(text)
    return None


def _parse_number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        number = float(text.strip())
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None


def _parse_epoch(text: str | None) -> float | None:
    number = _parse_number(text)
    if number is None:
        return None
    return number / 1000 if number > 1e11 else number  # some proxies send milliseconds


def _parse_retry_after(text: str | None, now: float | None) -> float | None:
    if text is None or not text.strip():
        return None
    seconds = _parse_number(text)
    if seconds is not None:
        return seconds
    try:
        when = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)
