"""The Load step: open an export (dialog, drop, recent files), choose sheet and header row."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from twconv_gui.core.errors import ReadError
from twconv_gui.core.mapping.inspection import Inspection, inspect_file
from twconv_gui.core.reading.opening import list_sheets
from twconv_gui.gui.load.columns_model import ColumnsModel
from twconv_gui.gui.load.raw_model import RawTableModel
from twconv_gui.gui.plain_text import literal, plain_label
from twconv_gui.gui.session import Session
from twconv_gui.gui.workers import FunctionWorker


@dataclass(frozen=True)
class LoadFailure:
    """A file that could not be read as asked, with what the page needs to offer a fix.

    Attributes:
        message: the reader's message (names the file, sheet and what to do).
        sheets: the workbook's sheet names, for the Sheet chooser (empty for text files or
            when the file is no workbook at all).
        sheet: the sheet asked for (None: the reader chose).
        header_row: the header row asked for (None: detected).
    """

    message: str
    sheets: tuple[str, ...]
    sheet: str | None
    header_row: int | None


def _inspect(
    path: Path, sheet: str | None, header_row: int | None, *, cancel: threading.Event
) -> Inspection | LoadFailure:
    """Inspect the file; a ReadError comes back as a LoadFailure listing the sheets."""
    try:
        return inspect_file(path, sheet=sheet, header_row=header_row)
    except ReadError as error:
        try:
            sheets = tuple(list_sheets(path))
        except ReadError:
            sheets = ()
        return LoadFailure(str(error), sheets, sheet, header_row)


class LoadPage(QWidget):
    """Reads a file in the background and shows its sheets, header, columns and first rows.

    A file that cannot be read as asked stays open on the page: its name, the message (in
    the page, not only in a dialog), and the Sheet and Header row choosers, so picking the
    sheet that holds the data reads it.

    Signals:
        file_loaded(object): the Inspection of the file just read.
        load_failed(str): the message of a file that could not be read (names the file and
            says what to do); the page shows it too.
        open_requested(): the user asked for the open dialog.
    """

    file_loaded = Signal(object)
    load_failed = Signal(str)
    open_requested = Signal()

    def __init__(self, session: Session, pool: QThreadPool | None = None) -> None:
        super().__init__()
        self.session = session
        self._pool = pool or QThreadPool.globalInstance()
        self._worker: FunctionWorker | None = None
        self._path: Path | None = None
        self._failure: LoadFailure | None = None

        self.prompt = QLabel(
            "<h3>Open an export</h3>Excel (.xlsx, .xls, .xlsb), OpenDocument (.ods) or text "
            "(.csv, .tsv, .txt) — use <b>Open export…</b> (Ctrl+O) or drop the file on this "
            "window."
        )
        self.prompt.setWordWrap(True)
        open_button = QPushButton("&Open export…")
        open_button.clicked.connect(self.open_requested)

        self.file_label = plain_label("No file")
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sheet_combo = QComboBox()
        self.sheet_combo.setMinimumContentsLength(24)
        self.sheet_combo.setPlaceholderText("Choose a sheet…")
        self.sheet_combo.activated.connect(lambda _index: self._reload(force=True))
        self.text_label = plain_label()
        self.header_spin = QSpinBox()
        self.header_spin.setRange(0, 1_000_000)
        self.header_spin.setSpecialValueText("detect")
        self.header_spin.setMaximumWidth(120)
        self.header_spin.setToolTip("The row holding the column names, as numbered in your sheet")
        self.header_spin.editingFinished.connect(self._reload)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow("File:", self.file_label)
        form.addRow("&Sheet:", self.sheet_combo)
        form.addRow("Text:", self.text_label)
        form.addRow("&Header row:", self.header_spin)
        self._form = form
        self._show_file_rows(False)

        self.error_label = QLabel()
        self.error_label.setObjectName("loadError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet(
            "QLabel#loadError { color: #8a1c1c; background: #fdecea; border: 1px solid #f5c2c0;"
            " border-radius: 4px; padding: 8px; }"
        )
        self.error_label.hide()
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextFormat(Qt.TextFormat.PlainText)
        self.notes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes_label.hide()

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # reading a workbook gives no progress to show
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel)

        self.columns_model = ColumnsModel()
        self.columns_view = self._table(self.columns_model)
        self.columns_view.horizontalHeader().setStretchLastSection(True)
        self.raw_model = RawTableModel()
        self.raw_view = self._table(self.raw_model)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.columns_view, "Columns")
        self.tabs.addTab(self.raw_view, "First rows")

        top = QHBoxLayout()
        top.addLayout(form, 1)
        top.addWidget(open_button, 0, Qt.AlignmentFlag.AlignTop)
        busy = QHBoxLayout()
        busy.addWidget(self.progress, 1)
        busy.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addLayout(top)
        layout.addLayout(busy)
        layout.addWidget(self.error_label)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.tabs, 1)

    @staticmethod
    def _table(model: ColumnsModel | RawTableModel) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setAlternatingRowColors(True)
        view.verticalHeader().setDefaultSectionSize(24)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Fitting columns to contents measures every row on the GUI thread: 40 rows say enough.
        view.horizontalHeader().setResizeContentsPrecision(40)
        return view

    def _show_file_rows(self, visible: bool, text: bool = False) -> None:
        self._form.setRowVisible(self.sheet_combo, visible and not text)
        self._form.setRowVisible(self.text_label, visible and text)
        self._form.setRowVisible(self.header_spin, visible)

    # -- loading ------------------------------------------------------------------------------

    def open_file(
        self, path: str | Path, sheet: str | None = None, header_row: int | None = None
    ) -> None:
        """Read `path` in the background; the window stays responsive."""
        if self._worker is not None:
            self._worker.cancel()
        self._path = Path(path)
        self.progress.show()
        self.cancel_button.show()
        worker = FunctionWorker(_inspect, self._path, sheet, header_row)
        worker.signals.succeeded.connect(lambda result, w=worker: self._show(w, result))
        worker.signals.failed.connect(lambda message, w=worker: self._fail(w, message))
        worker.signals.finished.connect(lambda w=worker: self._forget(w))
        self._worker = worker
        self._pool.start(worker)

    def cancel(self) -> None:
        """Stop waiting for the file being read (the result, if any, is ignored)."""
        if self._worker is not None:
            self._worker.cancel()
            self._worker = None
        self._idle()

    def is_loading(self) -> bool:
        return self._worker is not None

    def _reload(self, *, force: bool = False) -> None:
        if self._path is None:
            return
        header = self.header_spin.value() or None
        sheet = self.sheet_combo.currentText() or None
        failure = self._failure
        if failure is not None:
            # Choosing a sheet reads again even when unchanged (the file may have been fixed);
            # the header box also reports leaving it unchanged, which must not.
            if force or (sheet, header) != (failure.sheet, failure.header_row):
                self.open_file(self._path, sheet, header)
            return
        inspection = self.session.inspection
        if inspection is None:
            return
        if header == inspection.table.header_row and sheet == inspection.table.sheet:
            return
        self.open_file(self._path, sheet, header)

    def _show(self, worker: FunctionWorker, result: Inspection | LoadFailure) -> None:
        if worker is not self._worker:
            return  # a load the user cancelled or replaced
        self._idle()
        if isinstance(result, LoadFailure):
            self._show_failure(result)
            return
        inspection = result
        self._failure = None
        self.error_label.hide()
        table = inspection.table
        self.notes_label.setText("\n".join(table.notes))
        self.notes_label.setVisible(bool(table.notes))
        self.prompt.hide()
        rows = f", about {table.estimated_rows:,} rows" if table.estimated_rows else ""
        self.file_label.setText(f"{table.path.name} — {inspection.kind_label}{rows}")
        self.file_label.setToolTip(literal(str(table.path)))
        self.sheet_combo.clear()
        self.sheet_combo.addItems(list(table.sheets))
        self.sheet_combo.setEnabled(len(table.sheets) > 1)
        if table.sheet:
            self.sheet_combo.setCurrentText(table.sheet)
        self._show_file_rows(True, text=table.encoding is not None)
        if table.encoding:
            self.text_label.setText(f"{table.encoding}, {inspection.delimiter_label}-separated")
        self.header_spin.setValue(table.header_row)
        self.columns_model.set_columns(inspection.columns, inspection.suggestion.details)
        self.columns_view.resizeColumnsToContents()
        self.raw_model.set_rows(table.columns, inspection.sample_rows, inspection.sample_numbers)
        self.raw_view.resizeColumnsToContents()
        self.session.set_inspection(inspection)
        self.file_loaded.emit(inspection)

    def _fail(self, worker: FunctionWorker, message: str) -> None:
        if worker is not self._worker:
            return
        self._idle()
        self._show_failure(LoadFailure(message, (), None, None))

    def _show_failure(self, failure: LoadFailure) -> None:
        """Keep the file on the page with the message and choosers to read it another way."""
        self._failure = failure
        path = self._path
        self.prompt.hide()
        if path is not None:
            self.file_label.setText(f"{path.name} — not read")
            self.file_label.setToolTip(literal(str(path)))
        self.error_label.setText(failure.message)
        self.error_label.show()
        self.notes_label.hide()
        self.sheet_combo.clear()
        self.sheet_combo.addItems(list(failure.sheets))
        self.sheet_combo.setEnabled(bool(failure.sheets))
        self.sheet_combo.setCurrentIndex(
            failure.sheets.index(failure.sheet) if failure.sheet in failure.sheets else -1
        )
        self._show_file_rows(path is not None)
        self._form.setRowVisible(self.sheet_combo, bool(failure.sheets))
        self.header_spin.setValue(failure.header_row or 0)
        self.columns_model.set_columns(())
        self.raw_model.set_rows((), (), ())
        if self.session.inspection is not None:
            self.session.set_inspection(None)  # the page no longer shows that file
        self.load_failed.emit(failure.message)

    def _forget(self, worker: FunctionWorker) -> None:
        if self._worker is worker:
            self._worker = None

    def _idle(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
