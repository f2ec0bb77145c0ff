"""Row filters of a mapping: which rows are sales and which are left out (failed, refunded…).

A filter names a column and either keeps only the rows that pass its test or drops the rows
that pass it. Tests: one of some values (case and surrounding space ignored), non-empty, or a
number above zero. In JSON::

    "filters": [
      {"column": "Financial Status", "drop": ["refunded", "voided", "pending"]},
      {"column": "Captured", "keep": ["true"]},
      {"column": "Paid at", "keep": "non-empty"},
      {"column": "Gross", "keep": "above-zero"}
    ]

When rows are grouped by conversion id (the line items of one order), a group is dropped when
any of its rows is dropped, and kept by a keep filter when one of its rows with a value in that
column passes (exports often write order-level columns on the first line item only).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from twconv_gui.core.normalize.amounts import AmountParser
from twconv_gui.core.normalize.problems import ValueProblem
from twconv_gui.core.reading.table import Cell

ONE_OF, NON_EMPTY, ABOVE_ZERO = "one-of", "non-empty", "above-zero"
KEEP, DROP = "keep", "drop"
_TESTS = (NON_EMPTY, ABOVE_ZERO)
_AMOUNTS = AmountParser.for_column([])


def _fold(value: Cell) -> str:
    """The text a filter compares: trimmed, case-folded, accents kept, booleans as true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip().casefold()


def _is_empty(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _above_zero(value: Cell) -> bool:
    """Whether a cell is an amount above zero, read as the value column reads amounts."""
    if isinstance(value, bool) or value is None:
        return False
    try:
        return _AMOUNTS.parse(value) > 0  # negative amounts are refused by the parser
    except ValueProblem:
        return False


@dataclass(frozen=True, slots=True)
class RowFilter:
    """One filter: keep or drop the rows whose `column` passes `test`.

    Attributes:
        column: the source column tested.
        action: "keep" (only passing rows are sent) or "drop" (passing rows are left out).
        test: "one-of" (the cell equals one of `values`), "non-empty" or "above-zero".
        values: the values of a one-of test as written by the user.
    """

    column: str
    action: str
    test: str
    values: tuple[str, ...] = ()
    # The one-of values as compared (folded once, not for every row of a million-row file).
    folded: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "folded", frozenset(_fold(v) for v in self.values))

    def passes(self, cell: Cell) -> bool:
        """Whether one cell passes the test (before keep/drop is applied)."""
        if self.test == NON_EMPTY:
            return not _is_empty(cell)
        if self.test == ABOVE_ZERO:
            return _above_zero(cell)
        return _fold(cell) in self.folded

    def describe(self) -> str:
        """The rows this filter leaves out, in words: 'Status is Failed or Refunded'."""
        column = f'"{self.column}"' if " " in self.column else self.column
        if self.test == NON_EMPTY:
            return f"{column} is {'filled' if self.action == DROP else 'empty'}"
        if self.test == ABOVE_ZERO:
            return f"{column} is {'above zero' if self.action == DROP else 'not above zero'}"
        shown = " or ".join(self.values[:4]) + (" or …" if len(self.values) > 4 else "")
        if self.action == DROP:
            return f"{column} is {shown}"
        return f"{column} is not {shown}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "column": self.column,
            self.action: list(self.values) if self.test == ONE_OF else self.test,
        }

    @classmethod
    def from_dict(cls, data: Any, position: int, errors: list[str]) -> RowFilter | None:
        """A filter from its JSON object; problems are appended to `errors`."""
        where = f'"filters" item {position}'
        if not isinstance(data, Mapping):
            errors.append(
                f'{where} must be an object like {{"column": "Status", "drop": ["Failed"]}}'
            )
            return None
        column = data.get("column")
        if not isinstance(column, str) or not column.strip():
            errors.append(f'{where} needs "column": the name of the column to test')
            return None
        unknown = sorted(set(data) - {"column", KEEP, DROP})
        if unknown:
            errors.append(f"{where} has unknown key(s) {', '.join(map(repr, unknown))}")
        actions = [a for a in (KEEP, DROP) if a in data]
        if len(actions) != 1:
            errors.append(f'{where} needs exactly one of "keep" or "drop"')
            return None
        action = actions[0]
        rule = data[action]
        if isinstance(rule, str):
            if rule not in _TESTS:
                errors.append(
                    f'{where}: "{action}" is a list of values, "{NON_EMPTY}" or "{ABOVE_ZERO}"'
                )
                return None
            return cls(column, action, rule)
        if (
            isinstance(rule, Sequence)
            and rule
            and all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in rule)
        ):
            return cls(column, action, ONE_OF, tuple(str(v) for v in rule))
        errors.append(f'{where}: "{action}" must be a non-empty list of values')
        return None


def parse_filters(value: Any, errors: list[str]) -> list[RowFilter]:
    """The "filters" setting of a mapping; problems are appended to `errors`."""
    if value is None:
        return []
    if not isinstance(value, list):
        errors.append('"filters" must be a list of filters')
        return []
    filters = [RowFilter.from_dict(item, n, errors) for n, item in enumerate(value, 1)]
    return [f for f in filters if f is not None]


def first_leaving_out(
    filters: Sequence[RowFilter], cells_per_row: Sequence[Sequence[Cell]]
) -> int | None:
    """The index of the first filter that leaves out a conversion made of these rows, or None.

    `cells_per_row` holds, for each source row of the conversion, the cell of each filter's
    column (in the order of `filters`). A drop filter leaves the conversion out when any row
    passes it; a keep filter when no row with a value passes it (rows with an empty cell in
    that column do not count, unless every row is empty).
    """
    for position, row_filter in enumerate(filters):
        mark = 0
        for cells in cells_per_row:  # the rows' marks joined (see row_marks)
            mark |= _mark(row_filter, cells[position])
        if _leaves_out(row_filter, mark):
            return position
    return None


# What one row shows a filter, as bits; the rows of a conversion are joined with "or".
PASSES_FILLED, FILLED, PASSES_EMPTY = 1, 2, 4


def row_marks(filters: Sequence[RowFilter], cells: Sequence[Cell]) -> list[int]:
    """For each filter, whether this row's cell is filled and whether it passes the test.

    Marks of several rows joined with | judge them together (leaving_out): a count of a
    million-line file keeps a few bits per order instead of every line's cells.
    """
    return [_mark(row_filter, cell) for row_filter, cell in zip(filters, cells, strict=True)]


def _mark(row_filter: RowFilter, cell: Cell) -> int:
    if _is_empty(cell):
        return PASSES_EMPTY if row_filter.passes(cell) else 0
    return FILLED | PASSES_FILLED if row_filter.passes(cell) else FILLED


def leaving_out(filters: Sequence[RowFilter], marks: Sequence[int]) -> int | None:
    """The index of the first filter that leaves out a conversion whose rows' marks (see
    row_marks) joined are `marks`, or None."""
    for position, (row_filter, mark) in enumerate(zip(filters, marks, strict=True)):
        if _leaves_out(row_filter, mark):
            return position
    return None


def _leaves_out(row_filter: RowFilter, mark: int) -> bool:
    if row_filter.action == DROP:
        return bool(mark & (PASSES_FILLED | PASSES_EMPTY))
    return not mark & (PASSES_FILLED if mark & FILLED else PASSES_EMPTY)
