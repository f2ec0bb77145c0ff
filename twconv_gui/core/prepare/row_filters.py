"""Applying a mapping's row filters: which rows are left out, by which filter, counted."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Sequence

from twconv_gui.core.errors import Cancelled
from twconv_gui.core.mapping.filters import RowFilter, first_leaving_out
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.normalize.problems import Problem, Severity
from twconv_gui.core.prepare.order_lines import LineCounter
from twconv_gui.core.prepare.release import let_others_run
from twconv_gui.core.reading.table import Cell, Table

_PAUSE_EVERY = 2_000  # rows read between two pauses for the window (see let_others_run)


def left_out_problem(rows: Sequence[int], row_filter: RowFilter) -> Problem:
    """The note a left-out conversion carries: not an error, not sent, and why."""
    return Problem(
        rows[0],
        "",
        row_filter.column,
        f"left out by filter ({row_filter.describe()})",
        Severity.LEFT_OUT,
    )


def count_left_out(
    table: Table, profile: MappingProfile, cancel: threading.Event | None = None
) -> list[int]:
    """How many rows each filter of the profile leaves out, one count per filter.

    Rows are judged as the preparation judges them: one by one, or, with grouping by
    conversion id, as the line items of one order together (an order-level column written on
    the first item only does not leave out the other items). Each row is counted under the
    first filter that leaves it out. Filters on columns missing from the table count 0.
    Order ids are read as the preparation reads them (see order_lines.LineCounter): "1001"
    and "1001.0" are one order.
    """
    slots = [i for i, f in enumerate(profile.filters) if f.column in table.columns]
    filters = [profile.filters[i] for i in slots]
    counts = dict.fromkeys(range(len(profile.filters)), 0)
    if not filters:
        return list(counts.values())
    positions = [table.column_index(f.column) for f in filters]
    sources = profile.sources("conversion_id")
    grouped = profile.group_by_conversion_id and bool(sources)
    if grouped and all(column in table.columns for column in sources):
        reading_ids: LineCounter | None = LineCounter(table, profile)
    else:
        reading_ids = None
    groups: dict[str, list[list[Cell]]] = {}
    rows = table.rows()
    while chunk := list(itertools.islice(rows, _PAUSE_EVERY)):
        let_others_run()  # reading the file would keep the window waiting
        if cancel is not None and cancel.is_set():
            raise Cancelled
        if reading_ids is not None:
            columns = [[cells[p] for _, cells in chunk] for p in reading_ids.positions]
            keys = reading_ids.ids(columns)
        else:
            keys = [None] * len(chunk)
        for (_, row), key in zip(chunk, keys, strict=True):
            cells = [row[p] for p in positions]
            if key is None:
                hit = first_leaving_out(filters, [cells])
                if hit is not None:
                    counts[slots[hit]] += 1
            else:
                groups.setdefault(key, []).append(cells)
    while groups:  # each order let go once judged: a million rows' cells freed at once stall
        _, members = groups.popitem()
        hit = first_leaving_out(filters, members)
        if hit is not None:
            counts[slots[hit]] += len(members)
    return list(counts.values())
