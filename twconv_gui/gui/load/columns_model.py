"""Table model of a file's columns: letter, name, suggested field and masked samples."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from twconv_gui.core.mapping.inspection import ColumnInfo
from twconv_gui.core.mapping.suggest import ColumnSuggestion
from twconv_gui.gui.plain_text import literal

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("", "Column", "Suggested field", "Sample values")


class ColumnsModel(QAbstractTableModel):
    """Read-only view of `Inspection.columns`; replaced wholesale when a file is loaded."""

    def __init__(self) -> None:
        super().__init__()
        self._columns: tuple[ColumnInfo, ...] = ()
        self._reasons: dict[str, str] = {}

    def set_columns(
        self, columns: tuple[ColumnInfo, ...], reasons: tuple[ColumnSuggestion, ...] = ()
    ) -> None:
        self.beginResetModel()
        self._columns = columns
        self._reasons = {r.column: r.reason for r in reasons}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        column = self._columns[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            values = (column.letter, column.name, column.field or "—", "  ·  ".join(column.samples))
            return values[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 2:
            reason = self._reasons.get(column.name)
            return literal(reason) if reason else reason
        renamed = column.source_header != column.name
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 1 and renamed:
            return literal(f"Header in the file: {column.source_header or '(blank)'}")
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None
