"""The main window: open an export and see its sheets, header, columns and suggested mapping."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from twconv_gui import APP_NAME
from twconv_gui.core.inspection import Inspection, inspect_file
from twconv_gui.core.reading.opening import SUPPORTED_EXTENSIONS
from twconv_gui.gui.columns_model import ColumnsModel
from twconv_gui.gui.workers import FunctionWorker

FILE_FILTER = (
    "Spreadsheet exports ("
    + " ".join(f"*{ext}" for ext in SUPPORTED_EXTENSIONS)
    + ");;All files (*)"
)


def _inspect(
    path: Path, sheet: str | None, header_row: int | None, *, cancel: threading.Event
) -> Inspection:
    return inspect_file(path, sheet=sheet, header_row=header_row)


class MainWindow(QMainWindow):
    """Load step of the app.

    Signals:
        file_loaded(object): the Inspection of the file just read.
        load_failed(str): the user-facing message of a file that could not be read.
    """

    file_loaded = Signal(object)
    load_failed = Signal(str)

    def __init__(self, pool: QThreadPool | None = None) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)
        self.resize(1100, 700)
        self._pool = pool or QThreadPool.globalInstance()
        self._worker: FunctionWorker | None = None
        self.inspection: Inspection | None = None
        self._path: Path | None = None

        self.open_action = QAction("&Open export…", self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self._choose_file)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.open_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        self.prompt = QLabel(
            "Open an Excel or CSV export (File › Open, Ctrl+O) or drop it on this window."
        )
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        open_button = QPushButton("Open export…")
        open_button.clicked.connect(self._choose_file)

        self.file_label = QLabel("No file")
        self.sheet_combo = QComboBox()
        self.sheet_combo.setEnabled(False)
        self.sheet_combo.activated.connect(self._reload)
        self.header_spin = QSpinBox()
        self.header_spin.setRange(0, 1_000_000)
        self.header_spin.setSpecialValueText("detect")
        self.header_spin.setEnabled(False)
        self.header_spin.editingFinished.connect(self._reload)
        self.sheet_combo.setMinimumContentsLength(24)
        self.header_spin.setMaximumWidth(120)
        self.text_label = QLabel()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow("File:", self.file_label)
        form.addRow("Sheet:", self.sheet_combo)
        form.addRow("Text:", self.text_label)
        form.addRow("Header row:", self.header_spin)
        self._form = form

        self.columns_model = ColumnsModel()
        self.columns_view = QTableView()
        self.columns_view.setModel(self.columns_model)
        self.columns_view.verticalHeader().hide()
        self.columns_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive
        )
        self.columns_view.horizontalHeader().setStretchLastSection(True)

        top = QHBoxLayout()
        top.addLayout(form, 1)
        top.addWidget(open_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout()
        layout.addWidget(self.prompt)
        layout.addLayout(top)
        layout.addWidget(self.columns_view, 1)
        central = QWidget()
        central.setLayout(layout)
        self.setCentralWidget(central)
        self.statusBar().showMessage("Ready")

    # -- public -------------------------------------------------------------------------------

    def open_file(
        self, path: str | Path, sheet: str | None = None, header_row: int | None = None
    ) -> None:
        """Read `path` in the background; the window stays responsive and shows the result."""
        if self._worker is not None:
            self._worker.cancel()
        self._path = Path(path)
        self.statusBar().showMessage(f"Reading {self._path.name}…")
        worker = FunctionWorker(_inspect, self._path, sheet, header_row)
        worker.signals.succeeded.connect(lambda result, w=worker: self._show(w, result))
        worker.signals.failed.connect(lambda message, w=worker: self._show_error(w, message))
        worker.signals.finished.connect(lambda w=worker: self._forget(w))
        self._worker = worker
        self._pool.start(worker)

    # -- slots --------------------------------------------------------------------------------

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open export", "", FILE_FILTER)
        if path:
            self.open_file(path)

    def _reload(self) -> None:
        if self._path is None or self.inspection is None:
            return
        header = self.header_spin.value() or None
        sheet = self.sheet_combo.currentText() or None
        if header == self.inspection.table.header_row and sheet == self.inspection.table.sheet:
            return
        self.open_file(self._path, sheet, header)

    def _show(self, worker: FunctionWorker, inspection: Inspection) -> None:
        if worker is not self._worker:
            return  # an older load, superseded by a newer one
        self.inspection = inspection
        table = inspection.table
        self.prompt.hide()
        rows = f", about {table.estimated_rows:,} rows" if table.estimated_rows else ""
        self.file_label.setText(f"{table.path.name} — {inspection.kind_label}{rows}")
        self.sheet_combo.clear()
        self.sheet_combo.addItems(list(table.sheets))
        self.sheet_combo.setEnabled(len(table.sheets) > 1)
        if table.sheet:
            self.sheet_combo.setCurrentText(table.sheet)
        self._form.setRowVisible(self.sheet_combo, bool(table.sheets))
        self._form.setRowVisible(self.text_label, table.encoding is not None)
        if table.encoding:
            self.text_label.setText(f"{table.encoding}, {inspection.delimiter_label}-separated")
        self.header_spin.setEnabled(True)
        self.header_spin.setValue(table.header_row)
        self.columns_model.set_columns(inspection.columns, inspection.suggestion.details)
        self.columns_view.resizeColumnsToContents()
        mapped = len(inspection.suggestion.columns)
        self.statusBar().showMessage(
            f"{len(table.columns)} columns, {mapped} matched to conversion fields"
        )
        self.file_loaded.emit(inspection)

    def _show_error(self, worker: FunctionWorker, message: str) -> None:
        if worker is not self._worker:
            return
        self.statusBar().showMessage("The file could not be read")
        self.load_failed.emit(message)
        QMessageBox.warning(self, "Cannot read this file", message)

    def _forget(self, worker: FunctionWorker) -> None:
        if self._worker is worker:
            self._worker = None

    # -- drag and drop ------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        for url in event.mimeData().urls():
            if url.isLocalFile():
                self.open_file(url.toLocalFile())
                event.acceptProposedAction()
                return
