"""Pacing uploads: retry backoff and the rate governor shared by all upload workers."""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from twconv_gui.core.api.responses import RateLimit
from twconv_gui.core.errors import TwconvError

WINDOW_SECONDS = 900.0
"""X's rate-limit window (15 minutes), also the window of the user's events ceiling."""

DEFAULT_429_WAIT = 60.0
"""How long to hold everyone after a 429 that says neither when nor how long."""

# A 429 never holds longer than one window: a reset time further away is clock skew.
_MAX_PAUSE = WINDOW_SECONDS
# Longest single sleep, so a waiting worker re-reads the shared state (a pause lifted or
# extended by another worker) without polling busily; cancel still wakes it at once.
_WAIT_STEP = 1.0

Sleep = Callable[[float, threading.Event], bool]
"""Waits up to the given seconds; returns True as soon as the event is set (cancelled)."""


def _wall_time() -> float:
    return time.time()  # looked up at each call, so tests can step the wall clock


def _monotonic() -> float:
    return time.monotonic()


def wait_on_event(seconds: float, cancel: threading.Event) -> bool:
    """The real `Sleep`: `cancel.wait(seconds)`, which wakes early when cancel is set."""
    return cancel.wait(seconds)


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with full jitter for retrying transient failures.

    Attributes:
        base: Delay ceiling of the first retry, in seconds.
        factor: Growth of the ceiling per attempt.
        cap: Largest delay, in seconds.
        attempts: How many retries a request gets before it is given up.

    Raises:
        TwconvError: When a value is out of range.
    """

    base: float = 1.0
    factor: float = 2.0
    cap: float = 60.0
    attempts: int = 5

    def __post_init__(self) -> None:
        if not self.base > 0 or not self.factor >= 1 or not self.cap >= self.base:
            raise TwconvError(
                "Retry backoff needs base > 0, factor ≥ 1 and cap ≥ base "
                f"(got base {self.base}, factor {self.factor}, cap {self.cap})."
            )
        if self.attempts < 0:
            raise TwconvError(f"The number of retries cannot be negative (got {self.attempts}).")

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait before retry number `attempt` (1 for the first retry).

        "Full jitter" with a floor: uniform between `base / 2` (so that a retry is never
        instant) and `min(cap, base * factor ** (attempt - 1))`.

        Args:
            attempt: The retry number, from 1.
            rng: The random source; the `random` module when None.

        Returns:
            The delay, between `base / 2` and `cap`.

        Raises:
            ValueError: When attempt is below 1.
        """
        if attempt < 1:
            raise ValueError(f"attempt counts from 1, got {attempt}")
        try:
            ceiling = min(self.cap, self.base * self.factor ** (attempt - 1))
        except OverflowError:
            ceiling = self.cap
        # Drawn from [base/2, ceiling] rather than clamped up from [0, ceiling]: clamping
        # would send a quarter to half of the early retries at exactly base/2, in step.
        return (rng or random).uniform(self.base / 2, ceiling)


class RateGovernor:
    """Shared by all upload workers: paces requests to stay within X's rate limits.

    It pauses everyone after a 429 until the reset time, spaces requests out as the remaining
    quota nears zero, and enforces an optional user ceiling of events per 15 minutes. Thread
    safe; waiting honours a cancel Event.

    Every wait is measured on the monotonic clock: X's reset time (epoch seconds) is turned
    into a monotonic deadline once, when the response comes in, so a step of the wall clock
    (NTP, a resumed laptop or virtual machine) neither stretches nor cuts a hold.
    """

    def __init__(
        self,
        *,
        events_per_15min: int | None = None,
        workers: int = 4,
        clock: Callable[[], float] | None = None,
        monotonic: Callable[[], float] | None = None,
        margin: float = 1.0,
        sleep: Sleep = wait_on_event,
    ) -> None:
        """Create a governor.

        Args:
            events_per_15min: The user's ceiling of events sent per 15 minutes (sliding
                window); None for no ceiling.
            workers: Upload workers sharing the governor; spacing starts when fewer than
                twice as many requests remain in the window.
            clock: The current epoch time, read only to turn X's reset times (epoch seconds)
                into monotonic deadlines and back for display; `time.time` when None.
            monotonic: The clock every wait is measured on; `time.monotonic` when None.
            margin: Seconds added to a reset time, against clock skew.
            sleep: How to wait; see `Sleep`. Tests pass one that advances a fake clock.

        Raises:
            TwconvError: When the ceiling or the worker count is not a positive number.
        """
        if events_per_15min is not None and events_per_15min < 1:
            raise TwconvError(
                f"The ceiling of events per 15 minutes must be at least 1 (got {events_per_15min})."
            )
        if workers < 1:
            raise TwconvError(f"The number of upload workers must be at least 1 (got {workers}).")
        self.events_per_15min = events_per_15min
        self.workers = workers
        self._clock = clock or _wall_time
        self._monotonic = monotonic or _monotonic
        self._margin = margin
        self._sleep = sleep
        self._lock = threading.Lock()
        # All times below are on the monotonic clock.
        self._paused_until: float | None = None
        self._interval: float | None = None  # spacing between requests while quota is low
        self._spacing_ends: float = 0.0
        self._next_slot: float = 0.0
        self._sent: deque[tuple[float, int]] = deque()  # (time, events) inside the window
        self._sent_total = 0

    def wait_turn(self, events: int, cancel: threading.Event) -> bool:
        """Block until a request of `events` conversions may go, and book it.

        Args:
            events: Conversions in the request (counted against the user's ceiling).
            cancel: Set by the user to stop; wakes the wait at once.

        Returns:
            True when the request may go now; False when cancelled while waiting.
        """
        while True:
            if cancel.is_set():
                return False
            with self._lock:
                now = self._monotonic()
                ready_at = self._ready_at(now, events)
                if ready_at <= now:
                    self._book(now, events)
                    return True
            if self._sleep(min(ready_at - now, _WAIT_STEP), cancel):
                return False

    def observe(self, response_rate: RateLimit, status: int) -> None:
        """Take in the rate-limit state of a response.

        A 429 holds all workers until the reset time (plus the margin), or for `Retry-After`
        seconds, or for 60 s when the response says neither. A low remaining quota spreads the
        remaining requests evenly until the reset; a fresh window lifts the spacing.

        Args:
            response_rate: The response's rate-limit headers.
            status: The response's HTTP status.
        """
        with self._lock:
            now = self._monotonic()
            reset_at = None
            if response_rate.reset_at is not None:
                reset_at = now + (response_rate.reset_at - self._clock())
            if status == 429:
                candidates = []
                if reset_at is not None and reset_at > now:
                    candidates.append(reset_at + self._margin)
                if response_rate.retry_after is not None:
                    candidates.append(now + response_rate.retry_after)
                until = max(candidates) if candidates else now + DEFAULT_429_WAIT
                self._pause(min(until, now + _MAX_PAUSE + self._margin))
                return
            remaining = response_rate.remaining
            if remaining is None or remaining >= 2 * self.workers:
                if remaining is not None:
                    self._interval = None  # a fresh window: full speed again
                return
            if reset_at is None or reset_at <= now:
                return
            if remaining == 0:
                self._pause(min(reset_at, now + _MAX_PAUSE) + self._margin)
                return
            self._interval = (reset_at + self._margin - now) / remaining
            self._spacing_ends = reset_at + self._margin

    def paused_until(self) -> float | None:
        """Epoch time until which every worker is held (after a 429), or None (for display)."""
        with self._lock:
            now = self._monotonic()
            if self._paused_until is None or self._paused_until <= now:
                return None
            return self._clock() + (self._paused_until - now)

    def spacing(self) -> float | None:
        """Seconds kept between requests while the quota is low, or None at full speed."""
        with self._lock:
            if self._interval is None or self._spacing_ends <= self._monotonic():
                return None
            return self._interval

    def events_in_window(self) -> int:
        """Events booked in the last 15 minutes (what counts against the user's ceiling)."""
        with self._lock:
            self._expire(self._monotonic())
            return self._sent_total

    def _pause(self, until: float) -> None:
        if self._paused_until is None or until > self._paused_until:
            self._paused_until = until

    def _ready_at(self, now: float, events: int) -> float:
        """The earliest time a request of `events` may go (≤ now: at once)."""
        ready = now
        if self._paused_until is not None:
            if self._paused_until > now:
                ready = self._paused_until
            else:
                self._paused_until = None
        if self._interval is not None:
            if self._spacing_ends <= now:
                self._interval = None  # the window the spacing was for has reset
            else:
                ready = max(ready, self._next_slot)
        if self.events_per_15min is not None:
            ready = max(ready, self._ceiling_frees_at(now, events, self.events_per_15min))
        return ready

    def _ceiling_frees_at(self, now: float, events: int, ceiling: int) -> float:
        self._expire(now)
        used = self._sent_total
        if used == 0 or used + events <= ceiling:
            return now  # a batch larger than the ceiling still goes, alone in its window
        for sent_at, count in self._sent:
            used -= count
            if used == 0 or used + events <= ceiling:
                return sent_at + WINDOW_SECONDS
        return now  # unreachable: the loop ends with used == 0

    def _expire(self, now: float) -> None:
        while self._sent and self._sent[0][0] + WINDOW_SECONDS <= now:
            self._sent_total -= self._sent.popleft()[1]

    def _book(self, now: float, events: int) -> None:
        if self._interval is not None:
            self._next_slot = now + self._interval
        if self.events_per_15min is not None:
            self._sent.append((now, events))
            self._sent_total += events
