"""The preview's rows kept compact: about 170 bytes a conversion, not 1,300.

Each conversion is kept as the JSON that will be sent (the bytes the preparation encoded),
compressed a block at a time; its status in one byte; its first source row in an array; its
problems as JSON, compressed likewise. A PreviewRow object is made only when a row is looked
at (the table asks for the few dozen rows on screen), and the last ones made are kept for the
next question. No Python object is kept per conversion, so the cyclic collector has little to
walk and freeing a preview is quick. Measured on a 1M-row CSV in the window: peak 420-440 MiB
against 1,599 MiB with an object per conversion. A Problem object per row with problems was
kept until a file with a warning on 667k rows showed what it cost: about 200 MB, and a 144 ms
collection on the window's thread once the preview was shown.
"""

from __future__ import annotations

import itertools
import json
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, overload

import orjson

from twconv_gui.core.normalize.problems import Problem, Severity
from twconv_gui.core.prepare.events import EncodedChunk

READY = "ready"
REJECTED = "rejected"
WARNING = "warning"
LEFT_OUT = "left out"  # not a sale: a filter of the mapping or a full refund left it out
STATUSES = (READY, WARNING, REJECTED, LEFT_OUT)  # index = the byte kept per row
_CODES = {status: code for code, status in enumerate(STATUSES)}

BLOCK = 1024  # values packed together; a look at one row unpacks its block
_COMPRESSION = 1  # zlib's fastest level: ~3 µs a conversion, a third of the JSON's size
_ROWS_KEPT = 512  # PreviewRow objects kept after a look (a screenful is a few dozen)


@dataclass(slots=True)
class PreviewRow:
    """One conversion as the preview table shows it.

    Attributes:
        rows: the source rows it came from (several when grouped by conversion_id).
        status: READY, REJECTED (not sent), WARNING (sent, with something dropped or assumed)
            or LEFT_OUT (not a sale, by a filter of the mapping or a full refund).
        event: the conversion object exactly as it will be sent, or None when rejected.
        problems: errors and warnings, in the words of the core.
        email_normalized: the trimmed, lowercased address whose SHA-256 is sent; None when the
            cell is empty, invalid or already a hash. Personal data: shown, never logged.
        phone_e164: the E.164 number whose SHA-256 is sent; None likewise.
        source: for a row not sent (rejected or left out), its cells as read from the file,
            as text, in the order of PreviewResult.source_fields (a constant of the mapping
            stands for its field); None for rows that are sent. Personal data: shown, never
            logged.
    """

    rows: tuple[int, ...]
    status: str
    event: dict[str, Any] | None
    problems: tuple[Problem, ...]
    email_normalized: str | None = None
    phone_e164: str | None = None
    source: tuple[str, ...] | None = None

    def source_value(self, fields: tuple[str, ...], name: str) -> str | None:
        """The cell of field `name` as read from the file (rows not sent only), or None."""
        if self.source is None or name not in fields:
            return None
        return self.source[fields.index(name)]

    @property
    def identifiers(self) -> dict[str, str]:
        """The event's identifiers merged into one dict (hashed_email, twclid...)."""
        return merged_identifiers(self.event)


def merged_identifiers(event: dict[str, Any] | None) -> dict[str, str]:
    """A conversion's identifiers merged into one dict ({} for a conversion not sent)."""
    merged: dict[str, str] = {}
    if event is not None:
        for item in event.get("identifiers", ()):
            merged.update(item)
    return merged


class PackedColumn:
    """Optional byte strings by position, given in order, kept as one blob per BLOCK values.

    Written by one thread (append, put, finish), then read by any (get). Sealed blocks are
    zlib-compressed; the block read last is kept unpacked, so reading in order unpacks each
    block once.
    """

    def __init__(self) -> None:
        self._blocks: list[bytes] = []
        self._ends: list[array[int]] = []
        self._present = bytearray()
        self._open: list[bytes] = []
        self._unpacked: tuple[int, bytes] = (-1, b"")

    def __len__(self) -> int:
        return len(self._present)

    def append(self, value: bytes | None) -> None:
        self._present.append(value is not None)
        self._open.append(value or b"")
        if len(self._open) == BLOCK:
            self._seal()

    def put(self, position: int, value: bytes | None) -> None:
        """The value at `position`, at or after the end (the positions between stay empty)."""
        if position < len(self._present):
            raise ValueError(f"position {position} is already written")
        while len(self._present) < position:
            self.append(None)
        self.append(value)

    def finish(self, length: int) -> None:
        """Close the column at `length` values (the missing ones empty)."""
        while len(self._present) < length:
            self.append(None)
        if self._open:
            self._seal()

    def get(self, position: int) -> bytes | None:
        if not self._present[position]:
            return None
        block, offset = divmod(position, BLOCK)
        if block == len(self._blocks):  # still being written
            return self._open[offset]
        ends = self._ends[block]
        start = ends[offset - 1] if offset else 0
        return self._unpack(block)[start : ends[offset]]

    def _seal(self) -> None:
        self._ends.append(array("I", itertools.accumulate(map(len, self._open))))
        self._blocks.append(zlib.compress(b"".join(self._open), _COMPRESSION))
        self._open = []

    def _unpack(self, block: int) -> bytes:
        number, data = self._unpacked  # one read: another thread may replace it meanwhile
        if number != block:
            data = zlib.decompress(self._blocks[block])
            self._unpacked = (block, data)
        return data


def _text(data: bytes | None) -> str | None:
    return None if data is None else data.decode("utf-8")


def _json(data: bytes) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:  # what orjson does not read (whole numbers beyond 64 bits)
        return json.loads(data)


class PreviewRows(Sequence[PreviewRow]):
    """Every conversion of a preview, in the order they would be sent, kept compact.

    Filled by build_preview (add_chunk, then fill, then finish) in one thread; read-only after.
    Indexing makes a PreviewRow (kept for the next looks); `status`, `problems` and `payload`
    answer without making one.
    """

    def __init__(self) -> None:
        self._first_rows: array[int] = array("q")
        # Conversions of several rows (grouped orders): position -> where, in _later_rows,
        # the count of their further rows sits, followed by those rows. Numbers only: a
        # tuple per order was an object for the collector to walk (333k of them took a
        # 214 ms collection on the GUI thread).
        self._more_rows: dict[int, int] = {}
        self._later_rows: array[int] = array("q")
        self._status = bytearray()
        self._events = PackedColumn()
        self._problems = PackedColumn()  # each row's problems (see _pack_problems)
        self._problem_count = 0
        self._emails = PackedColumn()
        self._phones = PackedColumn()
        self._sources = PackedColumn()
        self._made: dict[int, PreviewRow] = {}
        self.ready_indices: array[int] = array("q")
        self.problem_indices: array[int] = array("q")

    # -- writing ------------------------------------------------------------------------------

    def add_chunk(self, chunk: EncodedChunk) -> None:
        """The conversions of one prepared chunk, after those already added."""
        base = len(self._status)
        problems = chunk.problems
        for offset, (rows, payload) in enumerate(zip(chunk.rows, chunk.payloads, strict=True)):
            position = base + offset
            own = problems.get(offset, ())
            self._first_rows.append(rows[0])
            if len(rows) > 1:
                self._more_rows[position] = len(self._later_rows)
                self._later_rows.append(len(rows) - 1)
                self._later_rows.extend(rows[1:])
            self._problems.append(_pack_problems(own) if own else None)
            self._problem_count += len(own)
            self._events.append(payload)
            if payload is None:
                status = LEFT_OUT if own and own[0].is_left_out else REJECTED
            else:
                self.ready_indices.append(position)
                status = WARNING if own else READY
            if status != READY:
                self.problem_indices.append(position)
            self._status.append(_CODES[status])

    def fill(
        self, position: int, email: str | None, phone: str | None, source: tuple[str, ...] | None
    ) -> None:
        """What the identifiers pass found for `position`: positions are filled in order."""
        self._emails.put(position, None if email is None else email.encode("utf-8"))
        self._phones.put(position, None if phone is None else phone.encode("utf-8"))
        self._sources.put(position, None if source is None else orjson.dumps(source))

    def finish(self) -> None:
        """Close the columns: no more writing."""
        length = len(self._status)
        for column in (self._events, self._problems, self._emails, self._phones, self._sources):
            column.finish(length)

    # -- reading ------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._status)

    @overload
    def __getitem__(self, index: int) -> PreviewRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[PreviewRow]: ...

    def __getitem__(self, index: int | slice) -> PreviewRow | list[PreviewRow]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("preview row out of range")
        made = self._made.get(index)
        if made is None:
            made = self._make(index)
            if len(self._made) >= _ROWS_KEPT:
                self._made.pop(next(iter(self._made)))
            self._made[index] = made
        return made

    def __iter__(self) -> Iterator[PreviewRow]:
        for position in range(len(self)):  # not through the cache: it would churn
            yield self._make(position)

    def rows_of(self, position: int) -> tuple[int, ...]:
        """The source rows of the conversion at `position`."""
        first = self._first_rows[position]
        start = self._more_rows.get(position)
        if start is None:
            return (first,)
        count = self._later_rows[start]
        return (first, *self._later_rows[start + 1 : start + 1 + count])

    def first_rows(self) -> Sequence[int]:
        """The first source row of each conversion, ascending."""
        return self._first_rows

    def last_row(self, position: int) -> int:
        return max(self.rows_of(position))

    def extra_rows(self) -> LaterRows:
        """Source row -> position, for the rows of a conversion after its first."""
        keys = array("q")
        later = self._later_rows
        for position, start in self._more_rows.items():
            count = later[start]
            keys.extend(
                row << _POSITION_BITS | position for row in later[start + 1 : start + 1 + count]
            )
        return LaterRows(keys)

    def status(self, position: int) -> str:
        return STATUSES[self._status[position]]

    def problems(self, position: int) -> tuple[Problem, ...]:
        data = self._problems.get(position)
        return () if data is None else _unpack_problems(data)

    def all_problems(self) -> Sequence[Problem]:
        """Every row's problems, in order, as PrepareSummary.problems lists them."""
        return _AllProblems(self, self._problem_count)

    def payload(self, position: int) -> bytes | None:
        """The conversion's JSON exactly as it is sent, or None when it is not sent."""
        return self._events.get(position)

    def event(self, position: int) -> dict[str, Any] | None:
        data = self._events.get(position)
        return None if data is None else _json(data)

    def _make(self, position: int) -> PreviewRow:
        """The row at `position` (once finish() has closed the columns)."""
        source = self._sources.get(position)
        return PreviewRow(
            self.rows_of(position),
            self.status(position),
            self.event(position),
            self.problems(position),
            _text(self._emails.get(position)),
            _text(self._phones.get(position)),
            None if source is None else tuple(_json(source)),
        )


def _pack_problems(problems: Sequence[Problem]) -> bytes:
    return orjson.dumps(
        [(p.row, p.field, p.column, p.message, p.severity.value, p.conversion_id) for p in problems]
    )


def _unpack_problems(data: bytes) -> tuple[Problem, ...]:
    return tuple(
        Problem(row, field, column, message, Severity(severity), conversion_id)
        for row, field, column, message, severity, conversion_id in orjson.loads(data)
    )


class _AllProblems(Sequence[Problem]):
    """The problems of every row of a preview, one after another, made when read."""

    def __init__(self, rows: PreviewRows, count: int) -> None:
        self._rows = rows
        self._length = count

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[Problem]:
        for position in self._rows.problem_indices:
            yield from self._rows.problems(position)

    @overload
    def __getitem__(self, index: int) -> Problem: ...

    @overload
    def __getitem__(self, index: slice) -> list[Problem]: ...

    def __getitem__(self, index: int | slice) -> Problem | list[Problem]:
        return list(self)[index]  # not asked in practice: reports read them in order


_POSITION_BITS = 32


class LaterRows:
    """The source rows of grouped conversions after their first, each with its position.

    Kept as one sorted array of row << 32 | position: 8 bytes a row, where a dict took about
    100 (667k later rows of an export sorted by product: some 70 MB).
    """

    def __init__(self, keys: array[int]) -> None:
        import numpy  # noqa: PLC0415 - only grouped previews need it

        # numpy sorts without holding the interpreter lock (the window keeps running).
        ordered = numpy.sort(numpy.frombuffer(keys, dtype=numpy.int64))
        self._keys = array("q", ordered.tobytes())

    def get(self, row_number: int) -> int | None:
        keys = self._keys
        found = bisect_left(keys, row_number << _POSITION_BITS)
        if found < len(keys) and keys[found] >> _POSITION_BITS == row_number:
            return keys[found] & ((1 << _POSITION_BITS) - 1)
        return None


def position_of_row(rows: PreviewRows, extra: LaterRows | None, row_number: int) -> int | None:
    """The position of the conversion holding source row `row_number`, or None."""
    found = extra.get(row_number) if extra is not None else None
    if found is not None:
        return found
    first = rows.first_rows()
    position = bisect_left(first, row_number)
    return position if position < len(first) and first[position] == row_number else None
