"""Table model of the first rows of a file, as read: the user checks the header and the data."""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from twconv_gui.core.reading.table import Cell

Index = QModelIndex | QPersistentModelIndex


def cell_text(cell: Cell) -> str:
    """A cell the way a spreadsheet shows it (dates in ISO form, Excel's 3.0 as 3)."""
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ")
    if isinstance(cell, date | time):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 1e16:
        return str(int(cell))
    return str(cell)


class RawTableModel(QAbstractTableModel):
    """The sample rows of the loaded sheet; row headers are the spreadsheet row numbers."""

    def __init__(self) -> None:
        super().__init__()
        self._columns: tuple[str, ...] = ()
        self._rows: tuple[tuple[Cell, ...], ...] = ()
        self._numbers: tuple[int, ...] = ()

    def set_rows(
        self,
        columns: tuple[str, ...],
        rows: tuple[tuple[Cell, ...], ...],
        numbers: tuple[int, ...],
    ) -> None:
        self.beginResetModel()
        self._columns, self._rows, self._numbers = columns, rows, numbers
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        return cell_text(self._rows[index.row()][index.column()])

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._columns[section] if section < len(self._columns) else None
        return str(self._numbers[section]) if section < len(self._numbers) else None
