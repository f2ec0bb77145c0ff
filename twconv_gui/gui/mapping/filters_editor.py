"""The Map step's row filters: the list, add / edit / remove, and rows left out, counted in
the background."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import shiboken6
from PySide6.QtCore import QModelIndex, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from twconv_gui.core.mapping.filters import RowFilter
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.prepare.row_filters import count_left_out
from twconv_gui.core.reading.table import Cell, Table
from twconv_gui.gui.mapping.filter_dialog import FilterDialog
from twconv_gui.gui.mapping.filters_model import FiltersModel, distinct_values, left_out_text
from twconv_gui.gui.plain_text import plain_label
from twconv_gui.gui.workers import FunctionWorker

COUNT_DELAY_MS = 300
EMPTY_TEXT = "No filters: every row is sent. Add one to leave out failed or refunded orders."


class FiltersEditor(QGroupBox):
    """The profile's row filters with how many rows each leaves out.

    After any change (filters or file) the rows are counted again with the core's
    `count_left_out`, after a short pause and off the GUI thread; a count started before the
    latest change is ignored.

    Signals:
        edited(): the user added, changed or removed a filter.
        counted(object): the counts (one per filter) of the latest change, or None when the
            count failed.
    """

    edited = Signal()
    counted = Signal(object)

    def __init__(self, pool: QThreadPool | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Rows left out (filters)", parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._table: Table | None = None
        self._grouping: tuple[tuple[str, ...], bool] = ((), False)
        self._sample: Sequence[Sequence[Cell]] = ()
        self._is_personal: Callable[[str], bool] = lambda _column: False
        self._worker: FunctionWorker | None = None
        self._running: set[FunctionWorker] = set()
        self.dialog: FilterDialog | None = None
        self._editing: int | None = None
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self._start_count)

        self.model = FiltersModel()
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(24)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.view.setMinimumHeight(90)
        self.view.doubleClicked.connect(self._edit_index)
        self.add_button = QPushButton("&Add filter…")
        self.edit_button = QPushButton("&Edit…")
        self.remove_button = QPushButton("Re&move")
        self.add_button.clicked.connect(self.open_add)
        self.edit_button.clicked.connect(self.open_edit)
        self.remove_button.clicked.connect(self.remove_selected)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.summary = plain_label(EMPTY_TEXT)
        self.summary.setWordWrap(True)

        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        self._update_buttons()

    # -- public -------------------------------------------------------------------------------

    def filters(self) -> list[RowFilter]:
        return self.model.filters()

    def set_grouping(self, id_columns: Sequence[str], grouped: bool) -> None:
        """Count as the preparation judges: the line items of one order together, the order
        read from the first filled of `id_columns` (the conversion id and its fallbacks)."""
        grouping = (tuple(id_columns), grouped)
        if grouping != self._grouping:
            self._grouping = grouping
            self._after_change()

    def set_filters(self, filters: Sequence[RowFilter]) -> None:
        """Show `filters` (a loaded mapping) without `edited`; they are counted again."""
        self.model.set_filters(filters)
        self._after_change()

    def set_source(
        self,
        table: Table | None,
        sample: Sequence[Sequence[Cell]],
        is_personal: Callable[[str], bool],
    ) -> None:
        """The file the filters are counted on, and its first rows for the values offered."""
        self._table = table
        self._sample = sample
        self._is_personal = is_personal
        self.model.set_columns(table.columns if table else ())
        self._after_change()

    def values_of(self, column: str) -> list[tuple[str, int]]:
        """The values offered for `column`: those of the first rows, none for personal data."""
        table = self._table
        if table is None or column not in table.columns or self._is_personal(column):
            return []
        return distinct_values(self._sample, table.column_index(column))

    def open_add(self) -> FilterDialog | None:
        return self._open(None)

    def open_edit(self) -> FilterDialog | None:
        row = self._selected_row()
        return None if row is None else self._open(row)

    def remove_selected(self) -> None:
        row = self._selected_row()
        if row is None:
            return
        filters = self.filters()
        del filters[row]
        self._user_changed(filters)

    def set_enabled(self, enabled: bool) -> None:
        self.add_button.setEnabled(enabled)
        self.view.setEnabled(enabled)
        self._update_buttons()

    def focus_chain(self) -> list[QWidget]:
        return [self.view, self.add_button, self.edit_button, self.remove_button]

    # -- editing ------------------------------------------------------------------------------

    def _open(self, row: int | None) -> FilterDialog | None:
        if self._table is None:
            return None
        current = self.filters()[row] if row is not None else None
        dialog = FilterDialog(self._table.columns, self.values_of, current, self)
        dialog.accepted.connect(lambda d=dialog: self._dialog_accepted(d))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog, self._editing = dialog, row
        dialog.open()
        return dialog

    def _dialog_accepted(self, dialog: FilterDialog) -> None:
        row_filter = dialog.row_filter()
        if row_filter is None or dialog is not self.dialog:
            return
        filters = self.filters()
        if self._editing is None:
            filters.append(row_filter)
        else:
            filters[self._editing] = row_filter
        self.dialog = None
        self._user_changed(filters)
        self.view.selectRow(len(filters) - 1 if self._editing is None else self._editing)

    def _edit_index(self, index: QModelIndex) -> None:
        self.view.selectRow(index.row())
        self._open(index.row())

    def _user_changed(self, filters: list[RowFilter]) -> None:
        self.model.set_filters(filters)
        self._after_change()
        self.edited.emit()

    def _selected_row(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _update_buttons(self) -> None:
        selected = self._selected_row() is not None and self.view.isEnabled()
        self.edit_button.setEnabled(selected)
        self.remove_button.setEnabled(selected)

    # -- counting -----------------------------------------------------------------------------

    def _after_change(self) -> None:
        self._update_buttons()
        self._cancel_count()
        if self._table is None or not self.filters():
            self._count_timer.stop()
            self.model.set_counts(None)
            self.summary.setText(EMPTY_TEXT)
            return
        self.model.set_counting(True)
        self.summary.setText("Counting the rows left out…")
        self._count_timer.start()

    def _start_count(self) -> None:
        if self._table is None or not self.filters():
            return
        id_columns, grouped = self._grouping
        profile = MappingProfile(
            columns={"conversion_id": id_columns[0]} if id_columns else {},
            fallbacks={"conversion_id": list(id_columns[1:])} if id_columns[1:] else {},
            filters=self.filters(),
            group_by_conversion_id=grouped and bool(id_columns),
        )
        worker = FunctionWorker(count_left_out, self._table, profile)
        worker.signals.succeeded.connect(lambda counts, w=worker: self._counted(w, counts))
        worker.signals.failed.connect(lambda message, w=worker: self._count_failed(w, message))
        worker.signals.finished.connect(lambda w=worker: self._running.discard(w))
        self._worker = worker
        self._running.add(worker)
        self._pool.start(worker)

    def _cancel_count(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            self._worker = None

    def _counted(self, worker: FunctionWorker, counts: list[int]) -> None:
        if worker is not self._worker or not shiboken6.isValid(self):
            return  # a count of filters or a file since changed
        self._worker = None
        self.model.set_counts(counts)
        total = sum(counts)
        self.summary.setText(
            f"In all, the filters {left_out_text(total, 'leave')} of the file."
            if len(counts) > 1
            else f"The filter {left_out_text(total)} of the file."
        )
        self.counted.emit(counts)

    def _count_failed(self, worker: FunctionWorker, message: str) -> None:
        if worker is not self._worker or not shiboken6.isValid(self):
            return
        self._worker = None
        self.model.set_counts(None)
        self.summary.setText(f"The rows left out could not be counted: {message}")
        self.counted.emit(None)
