"""Cutting prepared events into API batches of at most 500, in file order."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from twconv_gui.core.errors import TwconvError
from twconv_gui.core.prepare import PreparedEvent

MAX_BATCH_SIZE = 500  # the API takes 1 to 500 conversions per request


@dataclass(frozen=True, slots=True)
class Batch:
    """One request's worth of conversions and the source rows each came from."""

    number: int
    events: tuple[dict[str, Any], ...]
    rows: tuple[tuple[int, ...], ...]

    @property
    def first_row(self) -> int:
        return self.rows[0][0]

    @property
    def last_row(self) -> int:
        return max(self.rows[-1])

    def payload(self) -> dict[str, Any]:
        """The request body: {"conversions": [...]}."""
        return {"conversions": list(self.events)}


def check_batch_size(size: int) -> int:
    """The size itself, or a TwconvError when the API would refuse it."""
    if not 1 <= size <= MAX_BATCH_SIZE:
        raise TwconvError(
            f"Batch size {size} is not possible: X takes 1 to {MAX_BATCH_SIZE} conversions "
            "per request."
        )
    return size


def batches(prepared: Iterable[PreparedEvent], size: int = MAX_BATCH_SIZE) -> Iterator[Batch]:
    """Ready events in batches of `size`; rejected rows are skipped, order is kept."""
    check_batch_size(size)
    events: list[dict[str, Any]] = []
    rows: list[tuple[int, ...]] = []
    number = 0
    for item in prepared:
        if item.event is None:
            continue
        events.append(item.event)
        rows.append(item.rows)
        if len(events) == size:
            number += 1
            yield Batch(number, tuple(events), tuple(rows))
            events, rows = [], []
    if events:
        yield Batch(number + 1, tuple(events), tuple(rows))
