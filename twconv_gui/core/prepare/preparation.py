"""Rows to conversion events: each source row becomes an event or the problems that stop it."""

from __future__ import annotations

import dataclasses
import functools
import itertools
import operator
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from twconv_gui.core.errors import Cancelled
from twconv_gui.core.mapping.fields import HELPER_FIELDS
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.normalize import identifiers
from twconv_gui.core.normalize.problems import Problem, Severity
from twconv_gui.core.prepare import first_look
from twconv_gui.core.prepare.conversions import finish, finish_encoded, finish_rows
from twconv_gui.core.prepare.diagnostics import Diagnostics
from twconv_gui.core.prepare.event_tally import ATTRIBUTION_DAYS, EventTally, moments
from twconv_gui.core.prepare.events import EncodedChunk, EncodedEvent, PreparedEvent
from twconv_gui.core.prepare.order_lines import OrderGrouper, OrderLines
from twconv_gui.core.prepare.parallel import CHUNK_ROWS, ChunkConverter, default_workers
from twconv_gui.core.prepare.reason_groups import ReasonGrouper
from twconv_gui.core.prepare.release import let_others_run, release_all
from twconv_gui.core.prepare.row_values import RowReader, RowValues
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
    rows_left_out: int = 0
    events_ready: int = 0
    warnings: int = 0
    # Every problem of every row, in file order (a preview's are read from its rows).
    problems: Sequence[Problem] = field(default_factory=list)
    column_notes: list[str] = field(default_factory=list)
    # Why rows were left out (a filter's description, "fully refunded") -> rows left out.
    left_out: dict[str, int] = field(default_factory=dict)
    # Coverage, dates, values and problems by reason; complete once the preparation has run.
    diagnostics: Diagnostics = field(default_factory=Diagnostics)

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems if p.is_error})

    def add_left_out(self, problem: Problem, rows: int) -> None:
        reason = problem.message.removeprefix("left out by filter (").removesuffix(")")
        reason = reason.removeprefix("left out: ")
        self.rows_left_out += rows
        self.left_out[reason] = self.left_out.get(reason, 0) + rows


class Preparation:
    """Prepares one table with one mapping profile; iterate it to get PreparedEvents in order.

    The summary fills in while iterating. Construction validates the mapping against the table
    (MappingError); iteration reads the file (ReadError) and honours `cancel` (Cancelled).
    `workers` > 1 converts rows in that many processes (default: by file size, see
    core.parallel); the results are the same, in the same order. `attribution_days` (X's
    default click window, 14) and `now` set what the diagnostics count as too old or in the
    future.
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
        pixel_id: str | None = None,
        attribution_days: int = ATTRIBUTION_DAYS,
        now: datetime | None = None,
        keep_problems: bool = True,
    ) -> None:
        profile.check_columns(table.columns, file_name=table.path.name)
        profile.check_complete(event_id_override=event_id_override)
        self.table = table
        self.profile = profile
        self.summary = PrepareSummary(column_notes=list(table.notes))
        currency = "price_currency" in profile.columns or "price_currency" in profile.constants
        if "value" in profile.columns and not currency:
            self.summary.column_notes.append(
                f'Column "{profile.columns["value"]}" has values but no currency column is '
                "mapped: X counts a value without a currency as US dollars. Map a currency "
                "column or set a currency constant (values written like 20 € keep their "
                "currency)."
            )
        self._progress = progress
        self._cancel = cancel
        self._event_id_override = event_id_override
        self._pixel_id = pixel_id
        self._workers = workers if workers is not None else default_workers(table.estimated_rows)
        self._currency_mapped = "price_currency" in profile.columns or (
            "price_currency" in profile.constants
        )
        self._bounds = moments(now, attribution_days)
        self.summary.diagnostics.window_days = attribution_days
        self.summary.diagnostics.prepared_at = self._bounds[0]
        self._tally = EventTally()
        self._grouper = ReasonGrouper()
        self._order_lines: OrderLines | None = None
        # summary.problems, filled as rows are counted; not kept when the caller keeps them
        # itself (a preview keeps them packed with its rows).
        self._problems: list[Problem] | None = [] if keep_problems else None
        if self._problems is not None:
            self.summary.problems = self._problems

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
        self._fill_diagnostics()

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
        self._fill_diagnostics()

    # -- passes -------------------------------------------------------------------------------

    def _row_reader(self) -> RowReader:
        table, profile = self.table, self.profile
        look = first_look.take_early(table, profile, self._cancel) or first_look.first_look(
            table, profile, functools.partial(self._tick, "analysing")
        )
        self.summary.column_notes.extend(look.column_notes)
        self._order_lines = look.order_lines
        sent_fields = {f: c for f, c in profile.columns.items() if f not in HELPER_FIELDS}
        return RowReader(
            index={f: table.column_index(c) for f, c in sent_fields.items()},
            columns=sent_fields,
            constants=self._constants(),
            time_converter=look.time_converter,
            amount_parsers=look.amount_parsers,
            phone_hasher=identifiers.PhoneHasher(profile.phone_region or ""),
            infer_currency=not self._currency_mapped,
            fallbacks={
                f: [(table.column_index(c), c) for c in columns]
                for f, columns in profile.fallbacks.items()
                if f in sent_fields
            },
            helpers={
                f: table.column_index(c) for f, c in profile.columns.items() if f in HELPER_FIELDS
            },
            more_countries=[table.column_index(c) for c in profile.sources("phone_country")[1:]],
            filters=profile.filters,
            filter_index=[table.column_index(f.column) for f in profile.filters],
            pixel_id=self._pixel_id,
            bounds=self._bounds,
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
            let_others_run()  # reading the file would keep the window waiting
            self.summary.rows_read += len(chunk)
            self._tick("preparing", self.summary.rows_read)
            yield chunk

    def _single(self, reader: RowReader, converter: ChunkConverter) -> Iterator[PreparedEvent]:
        first_rows = FirstRows()
        try:
            for converted, tally in converter.convert(reader, self._chunks(), finish=finish_rows):
                self._tally.merge(tally)
                results = [PreparedEvent(*item) for item in converted]
                ids = [result.conversion_id for result in results]
                for position, first in first_rows.repeats(ids, [r.rows[0] for r in results]):
                    result = results[position]
                    warning = self._repeat_warning(result.rows[0], first)
                    results[position] = dataclasses.replace(
                        result, problems=(*result.problems, warning)
                    )
                yield from results
        finally:
            first_rows.release()

    def _single_chunks(
        self, reader: RowReader, converter: ChunkConverter
    ) -> Iterator[EncodedChunk]:
        first_rows = FirstRows()
        try:
            for chunk in converter.convert(reader, self._chunks(), finish=finish_encoded):
                if chunk.tally is not None:
                    self._tally.merge(chunk.tally)
                rows = list(map(operator.itemgetter(0), chunk.rows))
                repeats = first_rows.repeats(chunk.conversion_ids, rows)
                if repeats:
                    warnings = {p: self._repeat_warning(rows[p], first) for p, first in repeats}
                    yield chunk.with_problems(warnings)
                else:
                    yield chunk
        finally:
            first_rows.release()

    def _repeat_warning(self, row: int, first_row: int) -> Problem:
        self.summary.diagnostics.repeated_ids += 1
        column = self.profile.columns.get("conversion_id")
        if column is not None and _names_an_order(column):
            advice = "turn on grouping by conversion_id if the rows are items of one order"
        else:
            advice = (
                "check that this column really identifies each sale (a transaction or order "
                "id); separate payments must not share an id"
            )
        return Problem(
            row,
            "conversion_id",
            column,
            f"repeats the conversion id of row {first_row}; X counts one conversion per id, "
            f"so {advice}",
            Severity.WARNING,
        )

    def _group(self, reader: RowReader, converter: ChunkConverter) -> Iterator[PreparedEvent]:
        """The conversions of a grouped file, in the order their first lines come, each
        finished once its order is whole (see order_lines.OrderGrouper)."""
        grouper = OrderGrouper(self._order_lines, reader)
        try:
            for converted in converter.convert(reader, self._chunks(), finish=None):
                yield from map(self._finished, grouper.add(converted))
            yield from map(self._finished, grouper.rest())
        finally:
            grouper.release()

    def _finished(self, rows: list[RowValues]) -> PreparedEvent:
        result = finish(rows)
        if result.event is not None:
            self._tally.merge(EventTally.of_events([result.event], self._bounds))
        return result

    # -- bookkeeping --------------------------------------------------------------------------

    def _tick(self, phase: str, done: int) -> None:
        if done % CHUNK_ROWS:
            return
        if self._cancel is not None and self._cancel.is_set():
            raise Cancelled
        if self._progress is not None:
            self._progress(PrepareProgress(phase, done, self.table.estimated_rows))

    def _fill_diagnostics(self) -> None:
        diagnostics = self.summary.diagnostics
        self._tally.fill(diagnostics)
        diagnostics.groups = self._grouper.groups()
        refunded = self.summary.left_out.get(REFUNDED, 0)
        diagnostics.refunded_in_full = refunded
        diagnostics.left_out_by_filter = {
            reason: rows for reason, rows in self.summary.left_out.items() if reason != REFUNDED
        }

    def _count(self, result: PreparedEvent) -> None:
        summary = self.summary
        if result.problems and result.problems[0].is_left_out:
            summary.add_left_out(result.problems[0], len(result.rows))
            self._keep(result.problems)
            self._grouper.add(result.problems[:1], len(result.rows))
            return
        if result.problems:
            self._keep(result.problems)
            self._grouper.add(result.problems)
            summary.warnings += sum(1 for p in result.problems if p.severity is Severity.WARNING)
        if result.ok:
            summary.events_ready += 1
            summary.rows_ready += len(result.rows)
        else:
            summary.rows_rejected += len(result.rows)

    def _keep(self, problems: Sequence[Problem]) -> None:
        if self._problems is not None:
            self._problems.extend(problems)

    def _count_chunk(self, chunk: EncodedChunk) -> None:
        summary = self.summary
        left_out = 0
        grouper = self._grouper
        for position, problems in chunk.problems.items():
            self._keep(problems)
            if problems[0].is_left_out:
                rows = len(chunk.rows[position])
                summary.add_left_out(problems[0], rows)
                grouper.add(problems[:1], rows)
                left_out += rows
                continue
            grouper.add(problems)
            summary.warnings += sum(1 for p in problems if p.severity is Severity.WARNING)
        rows_ready = sum(map(len, chunk.sent()[1]))
        summary.events_ready += len(chunk) - chunk.payloads.count(None)
        summary.rows_ready += rows_ready
        summary.rows_rejected += sum(map(len, chunk.rows)) - rows_ready - left_out


_Item = TypeVar("_Item")
REFUNDED = "the sale was refunded in full"  # PrepareSummary.left_out's key for full refunds


class FirstRows:
    """Conversion id -> the row it first came on, for the repeat check, in 64 dicts by hash.

    A dict that grows re-hashes all it holds at once, holding the interpreter lock: 46 ms at
    700,000 ids and about twice that past a million (measured), a stall of the window while a
    preview is built beside it. Split in 64, each growth is 1/64 of that; the walk per id
    costs about 0.4 s per million rows.
    """

    _MASK = 63

    def __init__(self) -> None:
        self._shards: list[dict[str, int]] = [{} for _ in range(self._MASK + 1)]

    def repeats(self, ids: list[str | None], rows: list[int]) -> list[tuple[int, int]]:
        """(position, first row) of each event whose conversion id came before it; the new
        ids are learnt."""
        shards, mask = self._shards, self._MASK
        found = []
        for position, (conversion_id, row) in enumerate(zip(ids, rows, strict=True)):
            if conversion_id is not None:
                first = shards[hash(conversion_id) & mask].setdefault(conversion_id, row)
                if first != row:
                    found.append((position, first))
        return found

    def release(self) -> None:
        """Forget every id, one small dict at a time (see core.prepare.release)."""
        release_all(self._shards)


def _runs(items: Iterator[_Item], size: int) -> Iterator[list[_Item]]:
    while run := list(itertools.islice(items, size)):
        yield run


_ORDER_WORDS = ("order", "bestell", "commande", "pedido", "ordine", "auftrag", "invoice", "name")


def _names_an_order(column: str) -> bool:
    """Whether a conversion id column is an order (whose line items may repeat it)."""
    folded = column.casefold()
    return any(word in folded for word in _ORDER_WORDS) or folded.strip() in ("#", "id")
