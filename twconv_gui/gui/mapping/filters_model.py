"""The Map step's row filters as a table: column, keep or leave out, values, rows left out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from twconv_gui.core.mapping.filters import ABOVE_ZERO, DROP, NON_EMPTY, RowFilter
from twconv_gui.core.reading.table import Cell
from twconv_gui.gui.plain_text import literal

FilterRole = Qt.ItemDataRole.UserRole + 1  # the RowFilter of a row
HEADERS = ("Column", "Action", "Values", "Left out")
ACTION_TEXT = {DROP: "Leave out", "keep": "Keep only"}
TEST_TEXT = {NON_EMPTY: "(filled)", ABOVE_ZERO: "(above zero)"}
COUNTING_TEXT = "counting…"
VALUES_OFFERED = 40

_Index = QModelIndex | QPersistentModelIndex


def left_out_text(count: int, verb: str = "leaves") -> str:
    return f"{verb} out {count:,} row{'' if count == 1 else 's'}"


def values_text(row_filter: RowFilter) -> str:
    return TEST_TEXT.get(row_filter.test) or ", ".join(row_filter.values)


def distinct_values(rows: Sequence[Sequence[Cell]], index: int) -> list[tuple[str, int]]:
    """The values seen in column `index` of `rows`, most frequent first, with their counts.

    Spellings that differ only in case or surrounding space count as one (as filters
    compare them); the first spelling seen is shown.
    """
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for cells in rows:
        cell = cells[index]
        if cell is None or isinstance(cell, bool):
            text = "" if cell is None else str(cell).lower()
        elif isinstance(cell, float) and cell.is_integer():
            text = str(int(cell))
        else:
            text = str(cell).strip()
        if not text:
            continue
        key = text.casefold()
        shown.setdefault(key, text)
        counts[key] += 1
    return [(shown[key], count) for key, count in counts.most_common(VALUES_OFFERED)]


class FiltersModel(QAbstractTableModel):
    """The filters of the mapping being edited, and how many rows each leaves out.

    Counts arrive from a background count (`set_counts`); until then the last column reads
    "counting…", and "—" when there is nothing to count.
    """

    def __init__(self) -> None:
        super().__init__()
        self._filters: list[RowFilter] = []
        self._counts: list[int] | None = None
        self._counting = False
        self._columns: tuple[str, ...] = ()

    # -- reading ------------------------------------------------------------------------------

    def filters(self) -> list[RowFilter]:
        return list(self._filters)

    def counts(self) -> list[int] | None:
        return None if self._counts is None else list(self._counts)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._filters)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._filters):
            return None
        row_filter = self._filters[index.row()]
        if role == FilterRole:
            return row_filter
        if role == Qt.ItemDataRole.ToolTipRole:
            return literal(f"Leaves out the rows where {row_filter.describe()}")
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == 0:
            missing = self._columns and row_filter.column not in self._columns
            return row_filter.column + (" (not in this file)" if missing else "")
        if column == 1:
            return ACTION_TEXT.get(row_filter.action, row_filter.action)
        if column == 2:
            return values_text(row_filter)
        return self._left_out(index.row())

    # -- writing ------------------------------------------------------------------------------

    def set_filters(self, filters: Sequence[RowFilter]) -> None:
        self.beginResetModel()
        self._filters = list(filters)
        self._counts = None
        self.endResetModel()

    def set_columns(self, columns: tuple[str, ...]) -> None:
        """The file's columns, to mark filters on a column the file lacks."""
        self._columns = columns
        self._changed(0)

    def set_counting(self, counting: bool) -> None:
        self._counting = counting
        if counting:
            self._counts = None
        self._changed(3)

    def set_counts(self, counts: list[int] | None) -> None:
        self._counts = counts
        self._counting = False
        self._changed(3)

    def _left_out(self, row: int) -> str:
        if self._counts is not None and row < len(self._counts):
            return left_out_text(self._counts[row])
        return COUNTING_TEXT if self._counting else "—"

    def _changed(self, column: int) -> None:
        if self._filters:
            self.dataChanged.emit(
                self.index(0, column),
                self.index(len(self._filters) - 1, column),
                [Qt.ItemDataRole.DisplayRole],
            )
