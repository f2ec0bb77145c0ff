"""Applying a mapping's row filters: which rows are left out, by which filter, counted."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from twconv_gui.core.errors import Cancelled
from twconv_gui.core.mapping.filters import RowFilter, first_leaving_out
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.normalize.problems import Problem, Severity
from twconv_gui.core.reading.table import Table

_CHUNK = 20_000


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

    A row is counted under the first filter that leaves it out; rows are taken one by one
    (grouped line items are counted as rows). Columns missing from the table count 0.
    """
    slots = [i for i, f in enumerate(profile.filters) if f.column in table.columns]
    filters = [profile.filters[i] for i in slots]
    counts = dict.fromkeys(range(len(profile.filters)), 0)
    if not filters:
        return list(counts.values())
    positions = [table.column_index(f.column) for f in filters]
    for done, (_, row) in enumerate(table.rows(), 1):
        if not done % _CHUNK and cancel is not None and cancel.is_set():
            raise Cancelled
        hit = first_leaving_out(filters, [[row[p] for p in positions]])
        if hit is not None:
            counts[slots[hit]] += 1
    return list(counts.values())
