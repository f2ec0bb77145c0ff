"""Table model of the preview: each conversion as it will be sent, problem rows highlighted."""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from twconv_gui.core.prepare.preview import (
    LEFT_OUT,
    READY,
    REJECTED,
    WARNING,
    PreviewResult,
    PreviewRow,
)
from twconv_gui.gui.plain_text import literal
from twconv_gui.gui.preview.reasons import problem_text

Index = QModelIndex | QPersistentModelIndex

ProblemRole = Qt.ItemDataRole.UserRole + 1  # tuple[Problem, ...] of the row
EventRole = Qt.ItemDataRole.UserRole + 2  # the event dict as sent, or None when rejected
PreviewRowRole = Qt.ItemDataRole.UserRole + 3  # the core PreviewRow itself

REJECTED_BACKGROUND = QColor(255, 218, 218)
WARNING_BACKGROUND = QColor(255, 243, 196)
HIGHLIGHT_FOREGROUND = QColor(0, 0, 0)  # readable on the light colours in dark themes too
STATUS_LABELS = {READY: "Ready", REJECTED: "Rejected", WARNING: "Warning", LEFT_OUT: "Left out"}
ROWS_SHOWN = 3
SOURCE_HINT = "As read from the file (this row is not sent)."


def _rows(item: PreviewRow) -> str:
    numbers = ", ".join(map(str, item.rows[:ROWS_SHOWN]))
    return numbers + (f" … (+{len(item.rows) - ROWS_SHOWN})" if len(item.rows) > ROWS_SHOWN else "")


def _event_value(key: str) -> Callable[[PreviewRow], object]:
    def value(item: PreviewRow) -> object:
        return item.event.get(key) if item.event is not None else None

    return value


def _identifier(key: str) -> Callable[[PreviewRow], object]:
    def value(item: PreviewRow) -> object:
        return item.identifiers.get(key)

    return value


def _first_problem(item: PreviewRow) -> str:
    if not item.problems:
        return ""
    more = len(item.problems) - 1
    return problem_text(item.problems[0]) + (f" (+{more} more)" if more else "")


# Header, value of a row that is sent, and the source field shown for a row that is not.
COLUMNS: tuple[tuple[str, Callable[[PreviewRow], object], str | None], ...] = (
    ("Row", _rows, None),
    ("Status", lambda item: STATUS_LABELS.get(item.status, item.status), None),
    ("Problem", _first_problem, None),
    ("Conversion time (UTC)", _event_value("conversion_time"), "conversion_time"),
    ("Event id", _event_value("event_id"), "event_id"),
    ("Email", lambda item: item.email_normalized, "email"),
    ("Email SHA-256", _identifier("hashed_email"), None),
    ("Phone (E.164)", lambda item: item.phone_e164, "phone"),
    ("Phone SHA-256", _identifier("hashed_phone_number"), None),
    ("Click id", _identifier("twclid"), "twclid"),
    ("Value", _event_value("value"), "value"),
    ("Currency", _event_value("price_currency"), "price_currency"),
    ("Items", _event_value("number_items"), "number_items"),
    ("Conversion id", _event_value("conversion_id"), "conversion_id"),
)
HEADERS = tuple(column[0] for column in COLUMNS)
PROBLEM_COLUMN = HEADERS.index("Problem")
RIGHT_ALIGNED = frozenset({HEADERS.index("Value"), HEADERS.index("Items")})
_SOURCE_FONT = QFont()
_SOURCE_FONT.setItalic(True)


class PreviewModel(QAbstractTableModel):
    """Read-only view of a PreviewResult; 1M rows are fine (no per-row Qt object).

    A filter ("Problems only", one reason) maps view rows through a precomputed ascending list
    of positions, so changing it is one model reset, never a scan of the rows. Rows that are
    not sent show their cells as read from the file, in italics.
    """

    def __init__(self) -> None:
        super().__init__()
        self._result: PreviewResult | None = None
        self._rows: Sequence[PreviewRow] = ()
        self._visible: Sequence[int] | None = None  # None: every row, in order
        self._problems_only = False
        self._source_fields: tuple[str, ...] = ()

    # -- public -------------------------------------------------------------------------------

    @property
    def result(self) -> PreviewResult | None:
        return self._result

    @property
    def problems_only(self) -> bool:
        return self._problems_only

    def set_result(self, result: PreviewResult | None) -> None:
        self.beginResetModel()
        self._result = result
        self._rows = result.rows if result is not None else ()
        self._source_fields = result.source_fields if result is not None else ()
        self._visible = self._visible_rows()
        self.endResetModel()

    def set_problems_only(self, on: bool) -> None:
        if on == self._problems_only and self._visible is self._visible_rows():
            return
        self.beginResetModel()
        self._problems_only = on
        self._visible = self._visible_rows()
        self.endResetModel()

    def set_visible(self, positions: Sequence[int] | None) -> None:
        """Show only the rows at these ascending positions of `result.rows` (None: all)."""
        self.beginResetModel()
        self._problems_only = False
        self._visible = positions
        self.endResetModel()

    def source_position(self, view_row: int) -> int:
        """Position in `result.rows` of the row shown at `view_row`."""
        return view_row if self._visible is None else self._visible[view_row]

    def view_row_of(self, position: int) -> int | None:
        """The view row showing `result.rows[position]`, or None when filtered out."""
        if self._visible is None:
            return position if 0 <= position < len(self._rows) else None
        found = bisect_left(self._visible, position)
        if found < len(self._visible) and self._visible[found] == position:
            return found
        return None

    def preview_row(self, view_row: int) -> PreviewRow:
        return self._rows[self.source_position(view_row)]

    # -- Qt -----------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid():
            return 0
        return len(self._rows) if self._visible is None else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.preview_row(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            source = self._source(item, column)
            if source is not None:
                return source
            value = COLUMNS[column][1](item)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.FontRole:
            return _SOURCE_FONT if self._source(item, column) else None
        if role == Qt.ItemDataRole.BackgroundRole:
            if item.status == REJECTED:
                return REJECTED_BACKGROUND
            return WARNING_BACKGROUND if item.status == WARNING else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return None if item.status == READY else HIGHLIGHT_FOREGROUND
        if role == Qt.ItemDataRole.ToolTipRole and item.problems:
            text = "\n".join(p.describe() for p in item.problems)
            if self._source(item, column):
                text = f"{SOURCE_HINT}\n{text}"
            return literal(text)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in RIGHT_ALIGNED:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ProblemRole:
            return item.problems
        if role == EventRole:
            return item.event
        if role == PreviewRowRole:
            return item
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    # -- internals ----------------------------------------------------------------------------

    def _source(self, item: PreviewRow, column: int) -> str | None:
        """The source cell shown in `column` for a row not sent, or None."""
        name = COLUMNS[column][2]
        if item.source is None or name is None:
            return None
        return item.source_value(self._source_fields, name) or None

    def _visible_rows(self) -> Sequence[int] | None:
        if not self._problems_only:
            return None
        if self._result is None:
            return array("q")
        return self._result.problem_indices
