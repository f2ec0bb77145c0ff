"""Table model of upload batches: live results of a running upload, or a past job's journal."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget

from twconv_gui.core.upload.journal import BatchRecord, BatchStatus
from twconv_gui.core.upload.model import BatchResult

Index = QModelIndex | QPersistentModelIndex

DebugIdRole = Qt.ItemDataRole.UserRole + 1  # tuple[str, ...]: every debug id of the batch
StatusRole = Qt.ItemDataRole.UserRole + 2  # the BatchStatus value ("acknowledged"...)
BatchRole = Qt.ItemDataRole.UserRole + 3  # the BatchResult or BatchRecord itself

HEADERS = ("Batch", "Rows", "Events", "Status", "Attempts", "Debug id", "Processed", "Error")
BATCH, ROWS, EVENTS, STATUS, ATTEMPTS, DEBUG_ID, PROCESSED, ERROR = range(len(HEADERS))
HEADER_TIPS = {
    ROWS: "Spreadsheet rows the batch's conversions came from",
    ATTEMPTS: "Requests made for this batch (retries and bisection included)",
    DEBUG_ID: "X's debug id for the request: quote it when you contact X support",
    PROCESSED: "Conversions X says it processed",
}
STATUS_LABELS = {
    BatchStatus.PENDING: "not sent",
    BatchStatus.IN_FLIGHT: "sending",
    BatchStatus.ACKNOWLEDGED: "acknowledged",
    BatchStatus.PARTIAL: "partly rejected",
    BatchStatus.FAILED: "failed",
}
STATUS_COLOURS = {
    BatchStatus.ACKNOWLEDGED: QColor(0x1B, 0x7F, 0x3B),
    BatchStatus.PARTIAL: QColor(0xB3, 0x6B, 0x00),
    BatchStatus.FAILED: QColor(0xC6, 0x28, 0x28),
    BatchStatus.PENDING: QColor(0x70, 0x70, 0x70),
}
_NUMERIC = (BATCH, EVENTS, ATTEMPTS, PROCESSED)


Batch = BatchResult | BatchRecord


def attempts(batch: Batch) -> int:
    """Requests of a live batch; for a journal record, how many times it was sent."""
    return batch.requests if isinstance(batch, BatchResult) else batch.attempts


class BatchTableModel(QAbstractTableModel):
    """Read-only batches in the order they finished; appends cheaply while an upload runs.

    A batch reported again (same number) replaces its row instead of adding one.
    """

    def __init__(self) -> None:
        super().__init__()
        self._batches: list[Batch] = []
        self._row_of: dict[int, int] = {}

    # -- filling ------------------------------------------------------------------------------

    def add_batches(self, batches: Iterable[Batch]) -> None:
        """Append finished batches (one insertion for all new ones), updating known ones."""
        new: dict[int, Batch] = {}  # insertion order is finishing order
        for batch in batches:
            row = self._row_of.get(batch.number)
            if row is None:
                new[batch.number] = batch
                continue
            self._batches[row] = batch
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))
        if not new:
            return
        first = len(self._batches)
        self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
        for offset, number in enumerate(new):
            self._row_of[number] = first + offset
        self._batches.extend(new.values())
        self.endInsertRows()

    def set_batches(self, batches: Iterable[Batch]) -> None:
        """Replace every row (a past job's batches)."""
        self.beginResetModel()
        self._batches = list(batches)
        self._row_of = {b.number: row for row, b in enumerate(self._batches)}
        self.endResetModel()

    def clear(self) -> None:
        self.set_batches(())

    def batch(self, row: int) -> Batch:
        return self._batches[row]

    def batches(self) -> list[Batch]:
        return list(self._batches)

    def debug_ids(self, rows: Iterable[int] | None = None) -> list[str]:
        """Debug ids of these rows (all rows when None), in row order."""
        chosen = range(len(self._batches)) if rows is None else sorted(set(rows))
        return [d for row in chosen for d in self._batches[row].debug_ids]

    # -- Qt model interface -------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._batches)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._batches):
            return None
        batch = self._batches[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(batch, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == ERROR and batch.error:
                return batch.error
            if column == DEBUG_ID and batch.debug_ids:
                return "\n".join(batch.debug_ids)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS:
            return STATUS_COLOURS.get(batch.status)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == DebugIdRole:
            return tuple(batch.debug_ids)
        if role == StatusRole:
            return batch.status.value
        if role == BatchRole:
            return batch
        return None

    @staticmethod
    def _display(batch: Batch, column: int) -> object:
        if column == BATCH:
            return batch.number
        if column == ROWS:
            return batch.rows
        if column == EVENTS:
            return batch.events
        if column == STATUS:
            return STATUS_LABELS.get(batch.status, batch.status.value)
        if column == ATTEMPTS:
            return attempts(batch)
        if column == DEBUG_ID:
            return " ".join(batch.debug_ids)
        if column == PROCESSED:
            return "" if batch.processed is None else batch.processed
        return batch.error or ""

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(section)
        return None


def setup_batch_view(view: QTableView, model: BatchTableModel) -> None:
    """A compact, row-selecting table of batches with room for the debug ids."""
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setWordWrap(False)
    rows = view.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(view.fontMetrics().height() + 8)
    columns = view.horizontalHeader()
    columns.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    columns.setStretchLastSection(True)
    for column, width in ((BATCH, 60), (ROWS, 110), (EVENTS, 60), (STATUS, 110), (ATTEMPTS, 70)):
        view.setColumnWidth(column, width)
    view.setColumnWidth(DEBUG_ID, 300)
    view.setColumnWidth(PROCESSED, 80)


def batch_actions(
    owner: QWidget, copy: Callable[[], None], open_reports: Callable[[], None], copy_label: str
) -> tuple[QAction, QAction]:
    """The two actions every batch table offers: copy debug ids (Ctrl+C), open the reports."""
    copy_action = QAction(copy_label, owner)
    copy_action.setShortcut(QKeySequence.StandardKey.Copy)
    copy_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    copy_action.setToolTip(
        "Copy the debug ids of the selected batches (all when none): X support asks for them"
    )
    copy_action.triggered.connect(copy)
    open_action = QAction("Open report folder", owner)
    open_action.triggered.connect(open_reports)
    return copy_action, open_action
