"""What preparing rows gives: events (or the problems that keep them back), as objects or as
the JSON that is sent, one at a time or a chunk of rows in columns.

Uploads and `twconv prepare` take events already encoded where the rows were converted (in
the worker processes for big files). A worker hands back a whole chunk as an EncodedChunk: a
few lists instead of one object per row, so the process that reads the file and sends the
batches walks no per-row objects (measured in a 100,000-row upload: its preparing thread
used 0.15 s less, time the sending threads of that process no longer wait for).
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from twconv_gui.core.normalize.problems import Problem
from twconv_gui.core.payload import encode_conversion
from twconv_gui.core.prepare.event_tally import EventTally


@dataclass(frozen=True, slots=True)
class PreparedEvent:
    """The outcome for one conversion: the API object, or the problems that keep it back.

    Attributes:
        rows: the source rows it came from (several when grouped by conversion_id).
        event: the conversion object exactly as it will be sent, or None when rejected.
        problems: errors (when rejected) and warnings (things dropped or assumed).
    """

    rows: tuple[int, ...]
    event: dict[str, Any] | None
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.event is not None

    @property
    def conversion_id(self) -> str | None:
        return self.event.get("conversion_id") if self.event is not None else None


@dataclass(frozen=True, slots=True)
class EncodedEvent:
    """A PreparedEvent whose conversion object is already the compact JSON that is sent.

    `conversion_id` is kept apart for the repeat check.
    """

    rows: tuple[int, ...]
    payload: bytes | None
    problems: tuple[Problem, ...] = ()
    conversion_id: str | None = None

    @property
    def ok(self) -> bool:
        return self.payload is not None


@dataclass(frozen=True, slots=True)
class EncodedChunk:
    """The events of a run of rows, in file order, field by field.

    Position i of every list is one event. `payloads` and `conversion_ids` are None for an
    event that is not sent (its problems say why); `problems` holds only the events that
    have some, by position, in order. `tally` counts the ready events for the diagnostics
    (None when the chunk was made without one).
    """

    rows: list[tuple[int, ...]]
    payloads: list[bytes | None]
    conversion_ids: list[str | None]
    problems: dict[int, tuple[Problem, ...]]
    tally: EventTally | None = None

    def __len__(self) -> int:
        return len(self.rows)

    @classmethod
    def of_rows(
        cls,
        finished: Iterable[tuple[tuple[int, ...], dict[str, Any] | None, tuple[Problem, ...]]],
        tally: EventTally | None = None,
    ) -> EncodedChunk:
        """From finished rows (rows, conversion object or None, problems): encodes each one."""
        rows: list[tuple[int, ...]] = []
        payloads: list[bytes | None] = []
        conversion_ids: list[str | None] = []
        problems: dict[int, tuple[Problem, ...]] = {}
        for position, (row_numbers, event, row_problems) in enumerate(finished):
            rows.append(row_numbers)
            if event is None:
                payloads.append(None)
                conversion_ids.append(None)
            else:
                payloads.append(encode_conversion(event))
                conversion_ids.append(event.get("conversion_id"))
            if row_problems:
                problems[position] = row_problems
        return cls(rows, payloads, conversion_ids, problems, tally)

    def events(self) -> Iterator[EncodedEvent]:
        """One EncodedEvent per position."""
        problems = self.problems
        for position, (rows, payload, conversion_id) in enumerate(
            zip(self.rows, self.payloads, self.conversion_ids, strict=True)
        ):
            yield EncodedEvent(rows, payload, problems.get(position, ()), conversion_id)

    def sent(self) -> tuple[list[bytes], list[tuple[int, ...]]]:
        """The payloads of the events that are sent and their rows, in order."""
        keep = list(map(operator.is_not, self.payloads, itertools.repeat(None)))
        payloads: list[bytes] = list(itertools.compress(self.payloads, keep))  # type: ignore[arg-type]
        return payloads, list(itertools.compress(self.rows, keep))

    def with_problems(self, added: dict[int, Problem]) -> EncodedChunk:
        """The same chunk with one more problem for some positions (kept in position order)."""
        problems = dict(self.problems)
        for position, problem in added.items():
            problems[position] = (*problems.get(position, ()), problem)
        return EncodedChunk(
            self.rows,
            self.payloads,
            self.conversion_ids,
            dict(sorted(problems.items())),
            self.tally,
        )
