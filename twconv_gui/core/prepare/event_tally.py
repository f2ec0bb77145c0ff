"""Counting what the ready conversions look like (identifiers, dates, values) where they are
made: each chunk's tally is small, travels back from its worker and merges into Diagnostics."""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from twconv_gui.core.normalize.amounts import round_to_currency
from twconv_gui.core.prepare.diagnostics import CurrencyValues, Diagnostics

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

# X's default click (post-engagement) attribution window; its view window is 1 day. An event
# can be set to a post-engagement window of 1, 7, 14, 30 or 90 days in X Ads Events Manager,
# so this is a setting (see docs/API_NOTES "After upload" and X's conversion-tracking help).
ATTRIBUTION_DAYS = 14

EMAIL, PHONE, TWCLID, IP_AND_AGENT = 1, 2, 4, 8  # bits of one conversion's identifier kinds


def moments(now: datetime | None, window_days: int) -> tuple[str, str]:
    """(now, now - window) in the form conversion times are sent in, so times compare as text."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    start = moment - timedelta(days=window_days)
    return _iso(moment), _iso(start)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def kinds_of(identifiers: list[dict[str, str]]) -> int:
    """The identifier kinds one conversion carries, as EMAIL | PHONE | ... bits."""
    bits = 0
    for identifier in identifiers:
        if "hashed_email" in identifier:
            bits |= EMAIL
        elif "hashed_phone_number" in identifier:
            bits |= PHONE
        elif "twclid" in identifier:
            bits |= TWCLID
        elif "ip_address" in identifier and "user_agent" in identifier:
            bits |= IP_AND_AGENT
    return bits


class EventTally:
    """Counts over a run of ready conversions; tallies of several runs add up with merge().

    A plain slotted class of counters: one is made per chunk of 2,000 rows in the worker that
    converted it, so the process reading the file merges a few counters instead of walking
    every event again.
    """

    __slots__ = ("amounts", "day_values", "days", "in_future", "kinds", "older", "values")

    def __init__(self) -> None:
        self.kinds: Counter[int] = Counter()
        self.days: Counter[str] = Counter()  # "YYYY-MM-DD" (UTC) -> conversions
        self.day_values: dict[tuple[str, str], float] = {}  # (day, currency) -> value total
        self.values: Counter[tuple[str, float]] = Counter()  # (currency, value) -> conversions
        # What merges brought: per currency, each chunk's distinct values and their counts,
        # in two flat arrays (16 bytes an entry). One Counter for a whole file held a tuple
        # per distinct amount: ~200 MB for an export of a million invoices.
        self.amounts: dict[str, tuple[array[float], array[int]]] = {}
        self.in_future = 0
        self.older = 0

    @classmethod
    def of_events(
        cls, events: Iterable[dict[str, Any] | None], bounds: tuple[str, str]
    ) -> EventTally:
        """The tally of these conversion objects (None, a conversion not sent, is skipped)."""
        tally = cls()
        now, start = bounds
        kinds: list[int] = []
        times: list[str] = []
        valued: list[tuple[str, float]] = []
        day_values = tally.day_values
        for event in events:
            if event is None:
                continue
            kinds.append(kinds_of(event["identifiers"]))
            time = event["conversion_time"]
            times.append(time)
            value = event.get("value")
            if value is not None:
                currency = event.get("price_currency") or ""
                valued.append((currency, value))
                key = (time[:10], currency)
                day_values[key] = day_values.get(key, 0.0) + value
        tally.values.update(valued)  # counted at C speed
        tally.kinds.update(kinds)
        tally.days.update([time[:10] for time in times])
        tally.in_future = sum(1 for time in times if time > now)
        tally.older = sum(1 for time in times if time < start)
        return tally

    def merge(self, other: EventTally) -> None:
        self.kinds.update(other.kinds)
        self.days.update(other.days)
        for (currency, value), count in other.values.items():
            amounts, counts = self._runs(currency)
            amounts.append(value)
            counts.append(count)
        for currency, (amounts, counts) in other.amounts.items():
            mine = self._runs(currency)
            mine[0].extend(amounts)
            mine[1].extend(counts)
        for key, total in other.day_values.items():
            self.day_values[key] = self.day_values.get(key, 0.0) + total
        self.in_future += other.in_future
        self.older += other.older

    def fill(self, diagnostics: Diagnostics) -> None:
        """Write the figures of everything tallied into `diagnostics`."""
        kinds = self.kinds
        diagnostics.conversions = sum(kinds.values())
        diagnostics.with_email = sum(n for bits, n in kinds.items() if bits & EMAIL)
        diagnostics.with_phone = sum(n for bits, n in kinds.items() if bits & PHONE)
        diagnostics.with_twclid = sum(n for bits, n in kinds.items() if bits & TWCLID)
        diagnostics.with_ip_and_agent = sum(n for bits, n in kinds.items() if bits & IP_AND_AGENT)
        diagnostics.with_two_or_more = sum(n for bits, n in kinds.items() if bits.bit_count() > 1)
        diagnostics.in_future, diagnostics.older_than_window = self.in_future, self.older
        days = sorted(self.days)
        diagnostics.first_day = days[0] if days else None
        diagnostics.last_day = days[-1] if days else None
        diagnostics.currencies = self._currencies()
        main = diagnostics.currencies[0].currency if diagnostics.currencies else None
        diagnostics.main_currency = main
        diagnostics.per_day = {
            day: (
                self.days[day],
                "0" if main is None else _text(self.day_values.get((day, main), 0.0), main),
            )
            for day in days
        }

    def _runs(self, currency: str) -> tuple[array[float], array[int]]:
        runs = self.amounts.get(currency)
        if runs is None:
            runs = self.amounts[currency] = (array("d"), array("q"))
        return runs

    def _currencies(self) -> list[CurrencyValues]:
        """Values per currency, the currency with the most conversions first."""
        import numpy as np  # noqa: PLC0415 - only here: the workers never load it

        whole = EventTally()
        whole.merge(self)  # what was merged, and what this tally counted itself
        result = []
        for currency, (amounts, counts) in whole.amounts.items():
            code = currency or None
            values = np.frombuffer(amounts, dtype=np.float64)
            times = np.frombuffer(counts, dtype=np.int64)
            # Values are sent rounded to the currency's minor unit: a correctly rounded float
            # sum is exact to that unit for any realistic total, and much cheaper than Decimals.
            total = Decimal(repr(math.fsum((values * times).tolist())))
            result.append(
                CurrencyValues(
                    currency,
                    conversions=int(times.sum()),
                    total=str(round_to_currency(total, code)),
                    median=str(round_to_currency(_median(values, times), code)),
                )
            )
        result.sort(key=lambda c: (-c.conversions, c.currency))
        return result


def _median(values: NDArray[np.float64], counts: NDArray[np.int64]) -> Decimal:
    """The median of `values`, each occurring `counts` times (a value may come more than once).

    Sorted with numpy, which lets the interpreter lock go while it sorts: sorting a million
    distinct amounts as Python tuples held it for about a second, a frozen window at the end
    of a preview (an export of invoices has nearly as many distinct amounts as rows).
    """
    import numpy as np  # noqa: PLC0415 - only here: the workers never load it

    order = np.argsort(values, kind="stable")
    reached = np.cumsum(counts[order])  # conversions up to and including each value
    size = int(reached[-1])
    # The value holding rank r (from 0) is the first whose running count passes r.
    lower, upper = np.searchsorted(reached, [(size - 1) // 2, size // 2], side="right")
    middle = (values[order[lower]], values[order[upper]])
    return (Decimal(repr(float(middle[0]))) + Decimal(repr(float(middle[1])))) / 2


def _text(total: float, currency: str | None) -> str:
    return str(round_to_currency(Decimal(repr(total)), currency or None))
