"""Applying a mapping's row filters: which rows are left out, by which filter, counted."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Sequence

from twconv_gui.core.errors import Cancelled
from twconv_gui.core.mapping.filters import RowFilter, leaving_out, row_marks
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.normalize.problems import Problem, Severity
from twconv_gui.core.prepare.order_lines import line_counter
from twconv_gui.core.prepare.release import let_others_run
from twconv_gui.core.reading.table import Table

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
    reading_ids = line_counter(table, profile)
    # Per order: [lines read, then each filter's marks joined] (see filters.row_marks).
    orders: dict[str, list[int]] = {}
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
            marks = row_marks(filters, [row[p] for p in positions])
            if key is None:
                hit = leaving_out(filters, marks)
                if hit is not None:
                    counts[slots[hit]] += 1
            elif (order := orders.get(key)) is None:
                orders[key] = [1, *marks]
            else:
                order[0] += 1
                for position, mark in enumerate(marks, 1):
                    order[position] |= mark
    while orders:  # let go one at a time: a dict of a million entries freed at once stalls
        _, (lines, *marks) = orders.popitem()
        hit = leaving_out(filters, marks)
        if hit is not None:
            counts[slots[hit]] += lines
    return list(counts.values())
