"""Failures the sandbox injects into conversions requests, set from tests or `--fault` rules.

Rule syntax (``Faults.add`` and ``twconv sandbox --fault``); COUNT is how many of the next
conversions requests the rule hits (default 1, ``*`` = every one from now on):

    429[:COUNT[:RESET_SECONDS]]   429 TOO_MANY_REQUESTS, rate-limit reset RESET_SECONDS ahead (2)
    500[:COUNT]                   500 with X's error JSON
    503[:COUNT]                   503 SERVICE_UNAVAILABLE with X's error JSON
    503html[:COUNT]               503 with an HTML page instead of JSON
    slow:SECONDS[:COUNT]          answer SECONDS later (then normally, or with another fault)
    drop[:COUNT]                  close the connection without any answer
    reject:CONVERSION_ID          400 INVALID_PARAMETER for every batch holding that conversion_id

Only `POST /{v}/measurement/conversions/{pixel}` requests are affected, so the sign-in and the
account and event look-ups of a connection test keep working while uploads fail.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable
from dataclasses import dataclass

FAULT_SYNTAX = (
    "429[:COUNT[:RESET_SECONDS]], 500[:COUNT], 503[:COUNT], 503html[:COUNT], "
    "slow:SECONDS[:COUNT], drop[:COUNT], reject:CONVERSION_ID  (COUNT: a number or * for always)"
)


@dataclass
class _Rule:
    kind: str  # "rate_limit", "server_error", "slow" or "drop"
    remaining: int | None  # None: forever
    status: int = 0
    html: bool = False
    seconds: float = 0.0  # slow: the delay; rate_limit: how far ahead the reset lies

    def describe(self) -> str:
        times = "every request" if self.remaining is None else f"next {self.remaining}"
        if self.kind == "rate_limit":
            return f"429, reset in {self.seconds:g} s ({times})"
        if self.kind == "server_error":
            return f"{self.status}{' (HTML page)' if self.html else ''} ({times})"
        if self.kind == "slow":
            return f"slow {self.seconds:g} s ({times})"
        return f"drop the connection ({times})"


@dataclass(frozen=True)
class FaultAction:
    """What to do with one conversions request: wait `delay`, then fail as `kind` (or not)."""

    delay: float = 0.0
    kind: str | None = None  # None: answer normally
    status: int = 0
    html: bool = False
    reset_in: float = 0.0


class Faults:
    """Thread-safe list of fault rules; each hits the next COUNT conversions requests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[_Rule] = []
        self._rejected: set[str] = set()

    def add(self, rule: str) -> None:
        """Add a rule written in the CLI syntax (see the module docstring).

        Raises:
            ValueError: the rule cannot be read; the message shows the syntax.
        """
        kind, *args = rule.strip().split(":")
        kind = kind.lower()
        try:
            if kind == "reject":
                if len(args) != 1 or not args[0]:
                    raise ValueError("needs a conversion id, as in reject:ORDER-1001")
                self.reject(args[0])
            elif kind == "429":
                _at_most(args, 2)
                reset = _seconds(args[1], "RESET_SECONDS") if len(args) > 1 else 2.0
                self.rate_limit(_count(args), reset)
            elif kind in ("500", "503", "503html"):
                _at_most(args, 1)
                self.server_error(int(kind[:3]), _count(args), html=kind.endswith("html"))
            elif kind == "slow":
                if not args:
                    raise ValueError("needs a number of seconds, as in slow:1.5")
                _at_most(args, 2)
                self.slow(_seconds(args[0], "SECONDS"), _count(args[1:]))
            elif kind == "drop":
                _at_most(args, 1)
                self.drop(_count(args))
            else:
                raise ValueError("unknown kind of fault")
        except ValueError as exc:
            raise ValueError(f"fault rule {rule!r}: {exc}. Rules: {FAULT_SYNTAX}") from None

    def rate_limit(self, count: int | None = 1, reset_in: float = 2.0) -> None:
        """429 TOO_MANY_REQUESTS with rate-limit headers resetting `reset_in` s after the reply."""
        self._push(_Rule("rate_limit", _checked(count), seconds=_non_negative(reset_in)))

    def server_error(self, status: int = 503, count: int | None = 1, html: bool = False) -> None:
        """A 500 or 503 with X's error JSON, or with an HTML page when `html`."""
        if status not in (500, 503):
            raise ValueError("server errors are 500 or 503")
        self._push(_Rule("server_error", _checked(count), status=status, html=html))

    def slow(self, seconds: float, count: int | None = 1) -> None:
        """Hold the answer back for `seconds`."""
        self._push(_Rule("slow", _checked(count), seconds=_non_negative(seconds)))

    def drop(self, count: int | None = 1) -> None:
        """Close the connection without any response (the client sees a ConnectionError)."""
        self._push(_Rule("drop", _checked(count)))

    def reject(self, conversion_id: str) -> None:
        """Refuse, with 400 for the whole batch, every batch holding this conversion_id."""
        if not conversion_id:
            raise ValueError("a conversion id to reject cannot be empty")
        with self._lock:
            self._rejected.add(conversion_id)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()
            self._rejected.clear()

    def describe(self) -> list[str]:
        """The active rules, in words."""
        with self._lock:
            rules = [rule.describe() for rule in self._rules]
            rules += [f"reject batches holding conversion_id {c!r}" for c in sorted(self._rejected)]
        return rules

    def next_action(self) -> FaultAction:
        """Consume the rules that hit this request: every slow rule, then the first failure."""
        delay = 0.0
        failure: _Rule | None = None
        with self._lock:
            for rule in list(self._rules):
                if rule.kind == "slow":
                    delay += rule.seconds
                elif failure is None:
                    failure = rule
                else:
                    continue
                if rule.remaining is not None:
                    rule.remaining -= 1
                    if rule.remaining <= 0:
                        self._rules.remove(rule)
        if failure is None:
            return FaultAction(delay)
        return FaultAction(delay, failure.kind, failure.status, failure.html, failure.seconds)

    def rejects(self, conversion_ids: Iterable[object]) -> bool:
        with self._lock:
            if not self._rejected:
                return False
            return any(isinstance(c, str) and c in self._rejected for c in conversion_ids)

    def _push(self, rule: _Rule) -> None:
        with self._lock:
            self._rules.append(rule)


def _at_most(args: list[str], number: int) -> None:
    if len(args) > number:
        raise ValueError("too many ':' parts")


def _count(args: list[str]) -> int | None:
    if not args:
        return 1
    if args[0] == "*":
        return None
    if not args[0].isdigit() or int(args[0]) < 1:
        raise ValueError(f"COUNT must be a whole number of at least 1 or *, not {args[0]!r}")
    return int(args[0])


def _seconds(text: str, name: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, not {text!r}") from None
    return _non_negative(value)


def _non_negative(value: float) -> float:
    if not math.isfinite(value) or value < 0:
        raise ValueError("seconds must be a finite number, 0 or more")
    return value


def _checked(count: int | None) -> int | None:
    if count is not None and count < 1:
        raise ValueError("count must be at least 1 (or None for always)")
    return count
