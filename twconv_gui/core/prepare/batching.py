"""Cutting prepared events into API batches of at most 500, in file order."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from twconv_gui.core.errors import TwconvError
from twconv_gui.core.payload import join_conversions
from twconv_gui.core.prepare.events import EncodedChunk

MAX_BATCH_SIZE = 500  # the API takes 1 to 500 conversions per request


@dataclass(frozen=True, slots=True)
class Batch:
    """One request's worth of conversions and the source rows each came from."""

    number: int
    events: tuple[bytes, ...]  # each conversion as the compact JSON that is sent
    rows: tuple[tuple[int, ...], ...]

    @property
    def first_row(self) -> int:
        return self.rows[0][0]

    @property
    def last_row(self) -> int:
        return max(self.rows[-1])

    def body(self) -> bytes:
        """The request body: {"conversions": [...]} as UTF-8 JSON."""
        return join_conversions(self.events)

    def payload(self) -> dict[str, Any]:
        """The request body decoded, {"conversions": [...]}."""
        result: dict[str, Any] = json.loads(self.body())
        return result


def check_batch_size(size: int) -> int:
    """The size itself, or a TwconvError when the API would refuse it."""
    if not 1 <= size <= MAX_BATCH_SIZE:
        raise TwconvError(
            f"Batch size {size} is not possible: X takes 1 to {MAX_BATCH_SIZE} conversions "
            "per request."
        )
    return size


def batches(
    chunks: Iterable[EncodedChunk], size: int = MAX_BATCH_SIZE, *, first_size: int | None = None
) -> Iterator[Batch]:
    """Ready events (`Preparation.encoded_chunks()`) in batches of `size`; rejected rows are
    skipped, order is kept. `first_size` makes the first batch smaller (a pixel token is only
    checked by X with the first request: one sale at stake rather than 500)."""
    check_batch_size(size)
    if first_size is not None:
        check_batch_size(first_size)
    events: list[bytes] = []
    rows: list[tuple[int, ...]] = []
    number = 0
    for chunk in chunks:
        payloads, chunk_rows = chunk.sent()
        events += payloads
        rows += chunk_rows
        start = 0
        while len(events) - start >= (want := first_size if number == 0 and first_size else size):
            number += 1
            end = start + want
            yield Batch(number, tuple(events[start:end]), tuple(rows[start:end]))
            start = end
        del events[:start], rows[:start]
    while events:
        want = first_size if number == 0 and first_size else size
        number += 1
        yield Batch(number, tuple(events[:want]), tuple(rows[:want]))
        del events[:want], rows[:want]
