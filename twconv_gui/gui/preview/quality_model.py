"""Table model of the quality view's problems: one line per reason, with counts and first rows."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from twconv_gui.core.prepare.diagnostics import ReasonGroup
from twconv_gui.gui.plain_text import literal
from twconv_gui.gui.preview.model import (
    HIGHLIGHT_FOREGROUND,
    REJECTED_BACKGROUND,
    WARNING_BACKGROUND,
)

Index = QModelIndex | QPersistentModelIndex

GroupRole = Qt.ItemDataRole.UserRole + 1  # the core ReasonGroup of the line

KIND_LABELS = {"error": "Rejected", "warning": "Warning", "left out": "Left out"}
HEADERS = ("Kind", "Column", "Reason", "Rows", "First rows")
ROWS_COLUMN = HEADERS.index("Rows")


def _cell(group: ReasonGroup, column: int) -> str:
    if column == 0:
        return KIND_LABELS.get(group.severity, group.severity)
    if column == 1:
        return group.column or group.field
    if column == 2:
        return group.reason
    if column == ROWS_COLUMN:
        return f"{group.count:,}"
    more = " …" if group.count > len(group.first_rows) else ""
    return ", ".join(map(str, group.first_rows)) + more


class ProblemGroupsModel(QAbstractTableModel):
    """Read-only view of Diagnostics.groups (already grouped and ordered by the core)."""

    def __init__(self) -> None:
        super().__init__()
        self._groups: list[ReasonGroup] = []

    def set_groups(self, groups: list[ReasonGroup]) -> None:
        self.beginResetModel()
        self._groups = list(groups)
        self.endResetModel()

    def group(self, row: int) -> ReasonGroup:
        return self._groups[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._groups)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        group = self._groups[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(group, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return literal(_cell(group, index.column()))
        if role == Qt.ItemDataRole.BackgroundRole:
            if group.severity == "error":
                return REJECTED_BACKGROUND
            return WARNING_BACKGROUND if group.severity == "warning" else None
        if role == Qt.ItemDataRole.ForegroundRole and group.severity in ("error", "warning"):
            return HIGHLIGHT_FOREGROUND
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == ROWS_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == GroupRole:
            return group
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None
