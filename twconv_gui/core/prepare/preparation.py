"""Rows to conversion events: each source row becomes an event or the problems that stop it."""

from __future__ import annotations

import dataclasses
import functools
import itertools
import operator
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from twconv_gui.core.errors import Cancelled
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.normalize import amounts, identifiers
from twconv_gui.core.normalize.problems import Problem, Severity
from twconv_gui.core.prepare import first_look
from twconv_gui.core.prepare.events import EncodedChunk, EncodedEvent, PreparedEvent
from twconv_gui.core.prepare.parallel import CHUNK_ROWS, ChunkConverter, default_workers
from twconv_gui.core.prepare.row_values import IDENTIFIER_KEYS, RowReader, RowValues
from twconv_gui.core.reading.table import Row, Table


@dataclass(frozen=True, slots=True)
class PrepareProgress:
    """Sent to the progress callback every few thousand rows."""

    phase: str  # "analysing" (first look at time/amount columns) or "preparing"
    rows_done: int
    rows_estimated: int | None


@dataclass
class PrepareSummary:
    """Counts a user reads after a check: what is ready, what is not, and why."""

    rows_read: int = 0
    rows_ready: int = 0
    rows_rejected: int = 0
    events_ready: int = 0
    warnings: int = 0
    problems: list[Problem] = field(default_factory=list)
    column_notes: list[str] = field(default_factory=list)

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems if p.is_error})


class Preparation:
    """Prepares one table with one mapping profile; iterate it to get PreparedEvents in order.

    The summary fills in while iterating. Construction validates the mapping against the table
    (MappingError); iteration reads the file (ReadError) and honours `cancel` (Cancelled).
    `workers` > 1 converts rows in that many processes (default: by file size, see
    core.parallel); the results are the same, in the same order.
    """

    def __init__(
        self,
        table: Table,
        profile: MappingProfile,
        *,
        event_id_override: str | None = None,
        progress: Callable[[PrepareProgress], None] | None = None,
        cancel: threading.Event | None = None,
        workers: int | None = None,
    ) -> None:
        profile.check_columns(table.columns, file_name=table.path.name)
        profile.check_complete(event_id_override=event_id_override)
        self.table = table
        self.profile = profile
        self.summary = PrepareSummary()
        self._progress = progress
        self._cancel = cancel
        self._event_id_override = event_id_override
        self._workers = workers if workers is not None else default_workers(table.estimated_rows)
        self._currency_mapped = "price_currency" in profile.columns or (
            "price_currency" in profile.constants
        )

    def __iter__(self) -> Iterator[PreparedEvent]:
        with ChunkConverter(self._workers) as converter:
            reader = self._row_reader()  # the first pass overlaps with the workers' start-up
            if self.profile.group_by_conversion_id:
                results = self._group(reader, converter)
            else:
                results = self._single(reader, converter)
            for result in results:
                self._count(result)
                yield result

    def encoded(self) -> Iterator[EncodedEvent]:
        """Like iterating the preparation, with each event as the JSON that will be sent."""
        for chunk in self.encoded_chunks():
            yield from chunk.events()

    def encoded_chunks(self) -> Iterator[EncodedChunk]:
        """Like encoded(), a run of rows at a time in columns: what an upload takes."""
        with ChunkConverter(self._workers) as converter:
            reader = self._row_reader()
            chunks: Iterator[EncodedChunk]
            if self.profile.group_by_conversion_id:
                grouped = ((e.rows, e.event, e.problems) for e in self._group(reader, converter))
                chunks = map(EncodedChunk.of_rows, _runs(grouped, CHUNK_ROWS))
            else:
                chunks = self._single_chunks(reader, converter)
            for chunk in chunks:
                self._count_chunk(chunk)
                yield chunk

    # -- passes -------------------------------------------------------------------------------

    def _row_reader(self) -> RowReader:
        table, profile = self.table, self.profile
        look = first_look.take_early(table, profile, self._cancel) or first_look.first_look(
            table, profile, functools.partial(self._tick, "analysing")
        )
        self.summary.column_notes.extend(look.column_notes)
        return RowReader(
            index={f: table.column_index(c) for f, c in profile.columns.items()},
            columns=profile.columns,
            constants=self._constants(),
            time_converter=look.time_converter,
            amount_parsers=look.amount_parsers,
            phone_hasher=identifiers.PhoneHasher(profile.phone_region),
            infer_currency=not self._currency_mapped,
        )

    def _constants(self) -> dict[str, str]:
        constants = dict(self.profile.constants)
        if self._event_id_override:
            constants["event_id"] = self._event_id_override
        return constants

    def _chunks(self) -> Iterator[list[Row]]:
        rows = self.table.rows()
        # Small first chunks: the first batch is ready (and an upload starts sending) sooner.
        quarter = CHUNK_ROWS // 4
        sizes = itertools.chain((quarter, quarter, 2 * quarter), itertools.repeat(CHUNK_ROWS))
        while chunk := list(itertools.islice(rows, next(sizes))):
            self.summary.rows_read += len(chunk)
            self._tick("preparing", self.summary.rows_read)
            yield chunk

    def _single(self, reader: RowReader, converter: ChunkConverter) -> Iterator[PreparedEvent]:
        first_rows: dict[str, int] = {}
        for converted in converter.convert(reader, self._chunks(), finish=finish_rows):
            results = [PreparedEvent(*item) for item in converted]
            ids = [result.conversion_id for result in results]
            for position, first in _repeats(ids, [r.rows[0] for r in results], first_rows):
                result = results[position]
                warning = self._repeat_warning(result.rows[0], first)
                results[position] = dataclasses.replace(
                    result, problems=(*result.problems, warning)
                )
            yield from results

    def _single_chunks(
        self, reader: RowReader, converter: ChunkConverter
    ) -> Iterator[EncodedChunk]:
        first_rows: dict[str, int] = {}
        for chunk in converter.convert(reader, self._chunks(), finish=finish_encoded):
            rows = list(map(operator.itemgetter(0), chunk.rows))
            repeats = _repeats(chunk.conversion_ids, rows, first_rows)
            if repeats:
                warnings = {p: self._repeat_warning(rows[p], first) for p, first in repeats}
                yield chunk.with_problems(warnings)
            else:
                yield chunk

    def _repeat_warning(self, row: int, first_row: int) -> Problem:
        return Problem(
            row,
            "conversion_id",
            self.profile.columns.get("conversion_id"),
            f"repeats the conversion id of row {first_row}; X counts one conversion per id, "
            "so turn on grouping by conversion_id if rows are items of one order",
            Severity.WARNING,
        )

    def _group(self, reader: RowReader, converter: ChunkConverter) -> Iterator[PreparedEvent]:
        groups: dict[str, list[RowValues]] = {}
        order: list[str | list[RowValues]] = []
        chunks = converter.convert(reader, self._chunks(), finish=None)
        for converted in chunks:
            for values in converted:
                key = values.conversion_id
                if key is None:
                    order.append([values])
                elif key in groups:
                    groups[key].append(values)
                else:
                    groups[key] = [values]
                    order.append(key)
        for item in order:
            yield finish(groups[item] if isinstance(item, str) else item)

    # -- bookkeeping --------------------------------------------------------------------------

    def _tick(self, phase: str, done: int) -> None:
        if done % CHUNK_ROWS:
            return
        if self._cancel is not None and self._cancel.is_set():
            raise Cancelled
        if self._progress is not None:
            self._progress(PrepareProgress(phase, done, self.table.estimated_rows))

    def _count(self, result: PreparedEvent) -> None:
        summary = self.summary
        if result.problems:
            summary.problems.extend(result.problems)
            summary.warnings += sum(1 for p in result.problems if not p.is_error)
        if result.ok:
            summary.events_ready += 1
            summary.rows_ready += len(result.rows)
        else:
            summary.rows_rejected += len(result.rows)

    def _count_chunk(self, chunk: EncodedChunk) -> None:
        summary = self.summary
        for problems in chunk.problems.values():
            summary.problems.extend(problems)
            summary.warnings += sum(1 for p in problems if not p.is_error)
        rows_ready = sum(map(len, chunk.sent()[1]))
        summary.events_ready += len(chunk) - chunk.payloads.count(None)
        summary.rows_ready += rows_ready
        summary.rows_rejected += sum(map(len, chunk.rows)) - rows_ready


_Item = TypeVar("_Item")


def _repeats(
    ids: list[str | None], rows: list[int], first_rows: dict[str, int]
) -> list[tuple[int, int]]:
    """(position, first row) of each event whose conversion id came before it; `first_rows`
    (id -> first row) learns the chunk's new ids. Most chunks repeat none: found at C speed."""
    fresh = dict(zip(reversed(ids), reversed(rows), strict=True))  # each id's first row here
    fresh.pop(None, None)
    if len(fresh) == len(ids) - ids.count(None) and first_rows.keys().isdisjoint(fresh):
        first_rows.update(fresh)  # type: ignore[arg-type]  # None was popped
        return []
    found = []
    for position, (conversion_id, row) in enumerate(zip(ids, rows, strict=True)):
        if conversion_id is not None:
            first = first_rows.setdefault(conversion_id, row)
            if first != row:
                found.append((position, first))
    return found


def _runs(items: Iterator[_Item], size: int) -> Iterator[list[_Item]]:
    while run := list(itertools.islice(items, size)):
        yield run


def finish_rows(values: list[RowValues]) -> list[tuple[Any, ...]]:
    """finish() of each row as a plain tuple: ten times cheaper to send between processes."""
    return [_finish_row(v) for v in values]


def finish_encoded(values: list[RowValues]) -> EncodedChunk:
    """finish() of each row with its event encoded, as one chunk."""
    return EncodedChunk.of_rows(map(_finish_row, values))


def finish(rows: list[RowValues]) -> PreparedEvent:
    """Merge the rows of one conversion (one row, or the line items of one order) into an event."""
    if len(rows) == 1:
        return PreparedEvent(*_finish_row(rows[0]))
    first = rows[0]
    problems: list[Problem] = [p for r in rows for p in r.problems]
    time = _agree(rows, "conversion_time", [r.time for r in rows], problems)
    event_id = _agree(rows, "event_id", [r.event_id for r in rows], problems)
    currency = _agree(rows, "price_currency", [r.currency for r in rows], problems)
    ids = {
        name: value
        for name in IDENTIFIER_KEYS
        if (value := _agree(rows, name, [r.identifiers.get(name) for r in rows], problems))
    }
    identifier_list = first.build_identifiers(ids, rows, problems)
    _require(first, time, event_id, problems)
    row_numbers = tuple(r.row for r in rows)
    if any(p.is_error for p in problems):
        problems.extend(_held_back(rows, problems))
        return PreparedEvent(row_numbers, None, tuple(problems))
    number_items = _sum([r.number_items for r in rows])
    if number_items is None and first.sum_content_items:
        number_items = _sum([(r.content or {}).get("num_items") for r in rows])
    description = next((r.description for r in rows if r.description), None)
    event = _event(
        time=time,
        event_id=event_id,
        identifier_list=identifier_list,
        number_items=number_items,
        currency=currency,
        value=_sum([r.value for r in rows]),
        conversion_id=first.conversion_id,
        description=description,
        contents=[r.content for r in rows if r.content],
    )
    return PreparedEvent(row_numbers, event, tuple(problems))


def _finish_row(row: RowValues) -> tuple[tuple[int], dict[str, Any] | None, tuple[Problem, ...]]:
    """finish() for a single row as (rows, event, problems), kept lean: it runs once per row
    of a million-row file, often in a worker process."""
    problems = row.problems
    ids = row.identifiers
    if row.identifier_problems or not ids or "ip_address" in ids or "user_agent" in ids:
        identifier_list = row.build_identifiers(ids, [row], problems)
    else:
        identifier_list = [{IDENTIFIER_KEYS[name]: value} for name, value in ids.items()]
    if row.time is None or row.event_id is None:
        _require(row, row.time, row.event_id, problems)
    if problems and any(p.is_error for p in problems):
        return (row.row,), None, tuple(problems)
    number_items = row.number_items
    if number_items is None and row.sum_content_items and row.content:
        number_items = row.content.get("num_items")
    event = _event(
        time=row.time,
        event_id=row.event_id,
        identifier_list=identifier_list,
        number_items=number_items,
        currency=row.currency,
        value=row.value,
        conversion_id=row.conversion_id,
        description=row.description,
        contents=[row.content] if row.content else None,
    )
    return (row.row,), event, tuple(problems) if problems else ()


def _require(
    row: RowValues, time: str | None, event_id: str | None, problems: list[Problem]
) -> None:
    """Problems for a missing time or event id, unless a bad value was reported already."""
    if time is None and not any(p.field == "conversion_time" for p in problems):
        problems.append(row.missing("conversion_time", "is empty; every conversion needs its time"))
    if event_id is None and not any(p.field == "event_id" for p in problems):
        problems.append(row.missing("event_id", "is empty; every conversion needs its event id"))


def _event(
    *,
    time: str | None,
    event_id: str | None,
    identifier_list: list[dict[str, str]],
    number_items: int | None,
    currency: str | None,
    value: Decimal | None,
    conversion_id: str | None,
    description: str | None,
    contents: list[dict[str, Any]] | None,
) -> dict[str, Any]:
    """The conversion object in the API's field order; absent optional fields are left out."""
    event: dict[str, Any] = {
        "conversion_time": time,
        "event_id": event_id,
        "identifiers": identifier_list,
    }
    if number_items is not None:
        event["number_items"] = number_items
    if currency is not None:
        event["price_currency"] = currency
    if value is not None:
        event["value"] = amounts.format_amount(value)
    if conversion_id is not None:
        event["conversion_id"] = conversion_id
    if description is not None:
        event["description"] = description
    if contents:
        event["contents"] = contents
    return event


def _agree(
    rows: list[RowValues], name: str, values: list[str | None], problems: list[Problem]
) -> str | None:
    """The one value the rows of a conversion share; rows that disagree get a problem."""
    chosen: str | None = None
    chosen_row = 0
    for row, value in zip(rows, values, strict=True):
        if value is None:
            continue
        if chosen is None:
            chosen, chosen_row = value, row.row
        elif value != chosen:
            problems.append(
                row.missing(
                    name,
                    f"differs from row {chosen_row} of the same conversion id; the rows of one "
                    "order must share time, event and customer",
                )
            )
    return chosen


def _held_back(rows: list[RowValues], problems: list[Problem]) -> list[Problem]:
    bad = sorted({p.row for p in problems if p.is_error})
    listed = ", ".join(map(str, bad))
    return [
        Problem(
            r.row,
            "conversion_id",
            r.columns.get("conversion_id"),
            f"not sent: row {listed} of the same order has problems",
        )
        for r in rows
        if r.row not in bad
    ]


def _sum(values: list[Any]) -> Any:
    present = [v for v in values if v is not None]
    return sum(present[1:], present[0]) if present else None
