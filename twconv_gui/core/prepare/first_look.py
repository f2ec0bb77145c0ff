"""The first look at a file's time and amount columns: how to read them, decided from all values.

A preparation needs it before converting the first row: the day/month order of the times and
the decimal separator of the amounts are settled by the whole column, not by its first rows.
`twconv upload` has a helper process take it (start_early) while the command loads the rest
of the app, instead of taking it after (measured: 0.25 s of a 100,000-row file).
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import functools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from twconv_gui.core.errors import Cancelled, TwconvError
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.normalize import amounts, zones
from twconv_gui.core.normalize.times import TimeConverter
from twconv_gui.core.prepare import order_lines, parallel
from twconv_gui.core.prepare.order_lines import OrderLines
from twconv_gui.core.prepare.release import let_others_run, release_all
from twconv_gui.core.reading.table import Cell, Table

log = logging.getLogger(__name__)

LOOKED_AT = ("conversion_time", "value", "content_price")
_WAIT = 0.1  # seconds between checks of the cancel flag while a helper looks


@dataclass(frozen=True)
class FirstLook:
    """How to read the time column and each amount column, and what to tell the user."""

    time_converter: TimeConverter | None
    amount_parsers: dict[str, amounts.AmountParser]
    column_notes: tuple[str, ...]
    # Grouped by conversion id: the lines of each order, counted (see order_lines).
    order_lines: OrderLines | None = None


def first_look(
    table: Table, profile: MappingProfile, tick: Callable[[int], None] | None = None
) -> FirstLook:
    """Read the mapped time and amount columns and decide how to read them; grouped by
    conversion id, count the lines of each order as well.

    `tick(rows_done)` follows the reading, every CHUNK_ROWS rows (it may raise Cancelled).

    Raises:
        ReadError: the file cannot be read to its end.
    """
    index = {f: table.column_index(profile.columns[f]) for f in LOOKED_AT if f in profile.columns}
    columns: dict[str, list[Cell]] = {f: [] for f in index}
    counter = order_lines.line_counter(table, profile)
    positions = list(index.values()) + (counter.positions if counter is not None else [])
    try:
        if positions:
            done = 0
            for chunk in table.column_chunks(positions, parallel.CHUNK_ROWS):
                for values, cells in zip(columns.values(), chunk, strict=False):
                    values.extend(cells)
                if counter is not None:
                    counter.count(chunk[len(index) :])
                done += len(chunk[0])
                let_others_run()  # reading the file would keep the window waiting
                if tick is not None:
                    tick(done)
        look = _decide(table, profile, columns)
    finally:
        release_all(columns.values())  # a million cells each: not all at once
    if counter is None:
        return look
    return dataclasses.replace(look, order_lines=counter.lines)


def _decide(table: Table, profile: MappingProfile, columns: dict[str, list[Cell]]) -> FirstLook:
    """How to read the columns, from all of their values."""
    time_converter = None
    notes: list[str] = []
    if "conversion_time" in columns:
        time_converter = TimeConverter.for_column(
            columns["conversion_time"],
            timezone=profile.timezone or zones.local_zone_name(),
            time_format=profile.time_format,
        )
        if profile.timezone is None and "time_zone" not in profile.columns:
            notes.append(
                f"Times without a zone of their own are read as {zones.local_zone_name()} "
                'time (this computer\'s zone); set "timezone" in the mapping to change it.'
            )
        if time_converter.column_problem:
            column = profile.columns["conversion_time"]
            notes.append(f'Column "{column}": {time_converter.column_problem}')
    decimal_comma = True if table.delimiter == ";" else None
    amount_parsers = {
        name: amounts.AmountParser.for_column(values, decimal_comma=decimal_comma)
        for name, values in columns.items()
        if name != "conversion_time"
    }
    return FirstLook(time_converter, amount_parsers, tuple(notes))


# The look a helper is taking: (table, profile, its future); at most one.
_early: list[tuple[Table, MappingProfile, concurrent.futures.Future[FirstLook]]] = []
_early_lock = threading.Lock()


def start_early(table: Table, profile: MappingProfile) -> None:
    """Start the helper processes for this file now (see parallel.start_early); where they
    are forked, one of them takes the first look at once, for the preparation of this very
    table with this very profile to use."""
    look = functools.partial(first_look, table, profile)
    future = parallel.start_early(table.estimated_rows, first=look)
    if future is not None:
        with _early_lock:
            _early[:] = [(table, profile, future)]


def take_early(
    table: Table, profile: MappingProfile, cancel: threading.Event | None
) -> FirstLook | None:
    """The first look a helper took at this table with this profile, once it is done; None
    when none was started for them, or when its helper failed (the caller looks itself).

    Raises:
        ReadError: as first_look() would have raised it here.
        Cancelled: `cancel` was set while waiting.
    """
    with _early_lock:
        if not _early or _early[0][0] is not table or _early[0][1] is not profile:
            return None
        _, _, future = _early.pop()
    while True:
        if cancel is not None and cancel.is_set():
            future.cancel()
            raise Cancelled
        try:
            return future.result(timeout=_WAIT)
        except concurrent.futures.TimeoutError:
            continue
        except TwconvError:
            raise
        except Exception as exc:  # the helper died, or its answer could not come back
            log.warning("the first look in a helper failed (%s); looking here", exc)
            return None
