"""The per-window request counter behind the sandbox's x-rate-limit-* headers."""

from __future__ import annotations

import math
import threading
import time


def limit_headers(limit: int, remaining: int, reset_at: float) -> dict[str, str]:
    """X's app-level and account-level rate-limit headers (reset in epoch seconds)."""
    values = {"limit": str(limit), "remaining": str(max(remaining, 0))}
    values["reset"] = str(math.ceil(reset_at))
    headers = {f"x-rate-limit-{k}": v for k, v in values.items()}
    headers.update({f"x-account-rate-limit-{k}": v for k, v in values.items()})
    return headers


class RateWindow:
    """`limit` requests per `window` seconds; the window opens with its first request."""

    def __init__(self, limit: int, window: float) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("a rate limit needs at least 1 request per a positive window")
        self.limit = limit
        self.window = window
        self._lock = threading.Lock()
        self._used = 0
        self._reset_at = 0.0

    def consume(self) -> tuple[bool, dict[str, str]]:
        """Count one request: (allowed, the headers to send with its answer)."""
        now = time.time()
        with self._lock:
            if now >= self._reset_at:
                self._used, self._reset_at = 0, now + self.window
            allowed = self._used < self.limit
            if allowed:
                self._used += 1
            headers = limit_headers(self.limit, self.limit - self._used, self._reset_at)
        if not allowed:
            headers["Retry-After"] = str(max(1, math.ceil(self._reset_at - now)))
        return allowed, headers

    def peek(self) -> dict[str, str]:
        """The headers as they stand, without counting a request."""
        now = time.time()
        with self._lock:
            if now >= self._reset_at:
                return limit_headers(self.limit, self.limit, now + self.window)
            return limit_headers(self.limit, self.limit - self._used, self._reset_at)
