"""The transport under the API client: reading answers against a deadline and a size cap,
and telling users in words why a request got no answer."""

from __future__ import annotations

import re
import time

import requests
import urllib3.exceptions

__all__ = ["MAX_RESPONSE_BYTES", "TransportError", "read_body", "transport_error"]

_ERRNO = re.compile(r"\[Errno -?\d+\] ([^'\")\]]+)")
MAX_RESPONSE_BYTES = 4 << 20
"""The largest answer kept (4 MB). X answers a batch in a few hundred bytes and a page of 1000
event tags in well under 1 MB; anything larger is not X (a proxy, a wrong host) and is dropped
as a transport error rather than held in memory."""
_READ_CHUNK = 65536


class TransportError(Exception):
    """The request got no HTTP answer: a timeout or a broken or refused connection.

    Transport errors are worth retrying with backoff. After a timeout on a POST the server may
    nevertheless have processed the batch (X documents no de-duplication of a resend).

    Attributes:
        kind: `"timeout"`, `"connection"` or `"too_large"` (an answer over MAX_RESPONSE_BYTES).
    """

    def __init__(self, kind: str, message: str) -> None:
        """Create the error.

        Args:
            kind: `"timeout"`, `"connection"` or `"too_large"`.
            message: What happened, for users; no query strings, no secrets.
        """
        super().__init__(message)
        self.kind = kind

    def __repr__(self) -> str:
        return f"TransportError({self.kind!r}, {str(self)!r})"


def read_body(
    response: requests.Response, host: str, started: float, timeouts: tuple[float, float]
) -> bytes:
    """The answer's body, read piece by piece against the request's deadline and size cap.

    The request as a whole gets connect + read timeout seconds from `started` (monotonic).
    `read1` returns whatever the socket has (one piece of a trickle, or up to a chunk), so the
    deadline is checked between pieces; the read timeout still bounds each single wait.

    Raises:
        TransportError: The deadline passed ("timeout"), the answer is larger than
            MAX_RESPONSE_BYTES ("too_large"), or the connection broke ("connection").
    """
    cap = MAX_RESPONSE_BYTES
    read_timeout = timeouts[1]
    deadline = started + sum(timeouts)
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > cap:
        raise _too_large(host, cap)
    raw = response.raw
    pieces: list[bytes] = []
    size = 0
    try:
        while True:
            if time.monotonic() > deadline:
                raise _no_answer(host, sum(timeouts))
            piece = raw.read1(_READ_CHUNK, decode_content=True)
            if not piece:
                break
            size += len(piece)
            if size > cap:
                raise _too_large(host, cap)
            pieces.append(piece)
    except urllib3.exceptions.ReadTimeoutError:
        raise _no_answer(host, read_timeout) from None
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        reason = _os_reason(exc)
        raise TransportError(
            "connection",
            f"Connection to {host} broke while reading the answer"
            f"{f' ({reason})' if reason else ''}: check the network connection.",
        ) from None
    body = pieces[0] if len(pieces) == 1 else b"".join(pieces)
    response._content = body  # read whole: close() hands the connection back to the pool
    response._content_consumed = True
    return body


def _no_answer(host: str, seconds: float) -> TransportError:
    return TransportError(
        "timeout",
        f"{host} did not answer within {seconds:g} s. The request may still have "
        "been processed: X may then count a resent sale twice.",
    )


def _too_large(host: str, cap: int) -> TransportError:
    return TransportError(
        "too_large",
        f"{host} sent an answer larger than {cap >> 20} MB, which is not an X Ads API answer "
        "(a proxy or a wrong API base URL?). The request may still have been processed.",
    )


def transport_error(
    exc: requests.RequestException, host: str, timeouts: tuple[float, float]
) -> TransportError:
    """A TransportError that says what happened without URLs, query strings or secrets."""
    if isinstance(exc, requests.ConnectTimeout):
        return TransportError(
            "timeout",
            f"Could not connect to {host} within {timeouts[0]:g} s: check the "
            "network connection and any proxy or firewall.",
        )
    if isinstance(exc, requests.Timeout) or _caused_by_read_timeout(exc):
        return _no_answer(host, timeouts[1])
    if isinstance(exc, requests.exceptions.SSLError):
        return TransportError(
            "connection",
            f"Secure connection to {host} failed (TLS certificate or proxy problem).",
        )
    if isinstance(exc, requests.exceptions.ChunkedEncodingError | requests.ConnectionError):
        reason = _os_reason(exc)
        return TransportError(
            "connection",
            f"Connection to {host} failed{f' ({reason})' if reason else ''}: check the network "
            "connection and the API base URL.",
        )
    return TransportError("connection", f"Request to {host} failed ({type(exc).__name__}).")


def _caused_by_read_timeout(exc: BaseException) -> bool:
    """requests wraps a timeout while reading the body in a ConnectionError."""
    return any(isinstance(arg, urllib3.exceptions.ReadTimeoutError) for arg in exc.args)


def _os_reason(exc: BaseException) -> str:
    """The operating system's words (`Connection refused`), found in the wrapped errors."""
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, OSError) and current.strerror and not current.filename:
            return str(current.strerror)
        pending.extend(arg for arg in current.args if isinstance(arg, BaseException))
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                pending.append(linked)
        reason = getattr(current, "reason", None)
        if isinstance(reason, BaseException):
            pending.append(reason)
    match = _ERRNO.search(str(exc))
    if match:
        return match.group(1).strip()
    if "RemoteDisconnected" in str(exc) or "Connection aborted" in str(exc):
        return "the server closed the connection"
    return ""
