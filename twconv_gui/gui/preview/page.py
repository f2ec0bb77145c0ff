"""The Preview step: every conversion as it will be sent, problems first-class, before uploading.

Rows and Quality are two tabs of this one step rather than a step of their own: both come from
the same preparation (nothing more to wait for), and "Show these rows" on the Quality tab
lands on the Rows tab with its filter set, one click away.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.normalize.problems import Problem
from twconv_gui.core.prepare.diagnostics import ReasonGroup
from twconv_gui.core.prepare.preparation import PrepareProgress
from twconv_gui.core.prepare.preview import PreviewResult
from twconv_gui.core.prepare.reports import write_rejected_rows
from twconv_gui.gui.plain_text import literal, plain_label
from twconv_gui.gui.preview.detail import DetailPane
from twconv_gui.gui.preview.filter_combo import RowFilterCombo
from twconv_gui.gui.preview.model import PreviewModel
from twconv_gui.gui.preview.quality import QualityView
from twconv_gui.gui.preview.reasons import ReasonIndex, reason_text
from twconv_gui.gui.preview.rows_table import RowsTable
from twconv_gui.gui.preview.worker import (
    LatestProgress,
    PreviewBuild,
    build,
    keep_until_finished,
)
from twconv_gui.gui.session import Session
from twconv_gui.gui.workers import FunctionWorker

POLL_MS = 100  # progress is read at most this often, whatever the worker's pace
PHASES = {
    "analysing": "Reading the time and amount columns…",
    "preparing": "Preparing conversions…",
    "identifiers": "Reading emails and phones for display…",
}


def _export(
    problems: list[Problem], folder: str, stem: str, *, cancel: threading.Event
) -> list[Path]:
    return write_rejected_rows(problems, folder, stem)


class PreviewPage(QWidget):
    """Prepares the mapped file in the background and shows each conversion as it will be sent.

    Signals:
        prepared(object): the PreviewResult just shown.
        prepare_failed(str): the core's message when the file or mapping cannot be prepared.
        prepare_cancelled(): the user stopped the preparation.
        progress_changed(str, int, int): phase text, rows done, rows expected (0 = unknown);
            at most every 100 ms.
        rejected_exported(object): the report files written (list of Paths).
    """

    prepared = Signal(object)
    prepare_failed = Signal(str)
    prepare_cancelled = Signal()
    progress_changed = Signal(str, int, int)
    rejected_exported = Signal(object)

    def __init__(
        self, session: Session, pool: QThreadPool | None = None, *, workers: int | None = None
    ) -> None:
        super().__init__()
        self.session = session
        self._pool = pool or QThreadPool.globalInstance()
        self._workers_setting = workers
        self._worker: FunctionWorker | None = None
        self._progress = LatestProgress()
        self._shown_progress: PrepareProgress | None = None
        self._stale = True
        self._prepared_profile: MappingProfile | None = None
        self._export_folder = ""
        self._reasons = ReasonIndex()

        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.setToolTip("Prepare the file again with the current mapping (F5)")
        self.refresh_button.clicked.connect(self.prepare)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop preparing (Esc)")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        self.progress_bar = QProgressBar()
        self.progress_bar.hide()
        self.phase_label = plain_label()
        self.counts_label = plain_label()
        self.filter_combo = RowFilterCombo()
        self.filter_combo.rows_chosen.connect(self._filter_rows)
        filter_label = QLabel("&Show:")
        filter_label.setBuddy(self.filter_combo)
        self.copy_button = QPushButton("Copy &batch JSON")
        self.copy_button.setToolTip(
            "Copy the request body of the 500-conversion batch holding the selected row "
            "(Ctrl+Shift+C)"
        )
        self.copy_button.clicked.connect(self.copy_batch_json)
        self.export_button = QPushButton("&Export rejected rows…")
        self.export_button.setToolTip("Save the rejected rows and their reasons (CSV and XLSX)")
        self.export_button.clicked.connect(self._choose_export_folder)

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setStyleSheet(
            "background: #fff3c4; color: #000; border: 1px solid #e0c060; padding: 6px;"
        )
        self.banner.hide()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)

        self.model = PreviewModel()
        self.view = RowsTable(self.model)
        self.view.selectionModel().currentRowChanged.connect(self._show_current)

        self.detail = DetailPane()
        self.detail_label, self.json_pane = self.detail.detail_label, self.detail.json_pane
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.view)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([900, 380])

        top = QHBoxLayout()
        for widget in (self.refresh_button, self.cancel_button, self.progress_bar):
            top.addWidget(widget)
        top.addWidget(self.phase_label, 1)
        tools = QHBoxLayout()
        tools.addWidget(self.counts_label, 1)
        for tool in (filter_label, self.filter_combo, self.copy_button, self.export_button):
            tools.addWidget(tool)
        rows_tab = QWidget()
        rows_layout = QVBoxLayout(rows_tab)
        rows_layout.addLayout(tools)
        rows_layout.addWidget(splitter, 1)
        self.quality = QualityView()
        self.quality.show_rows.connect(self.show_group_rows)
        self.tabs = QTabWidget()
        self.tabs.addTab(rows_tab, "&Rows")
        self.tabs.addTab(self.quality, "&Quality")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h3>Preview what will be sent</h3>"))
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.status_label)
        layout.addWidget(self.tabs, 1)

        for keys, slot in (
            (QKeySequence(Qt.Key.Key_F5), self.prepare),
            (QKeySequence(Qt.Key.Key_Escape), self.cancel),
            (QKeySequence("Ctrl+Shift+C"), self.copy_batch_json),
        ):
            action = QAction(self)
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._show_progress)
        session.inspection_changed.connect(self._on_inspection)
        session.profile_changed.connect(self._on_profile)
        self._update_actions()
        self._show_waiting()

    # -- public -------------------------------------------------------------------------------

    @property
    def result(self) -> PreviewResult | None:
        return self.model.result

    def prepare(self) -> bool:
        """Prepare the session's file with its mapping in the background; False when unmapped."""
        table, profile = self.session.table, self.session.profile
        if table is None or profile is None:
            self._show_waiting()
            return False
        self._abandon()
        # The previous preview goes first: two of them would double the memory of a big file.
        self._set_result(None)
        self._stale = False
        self._prepared_profile = profile
        self._progress = LatestProgress()
        self._shown_progress = None
        worker = FunctionWorker(build, table, profile, self._progress, self._workers_setting)
        # Bound slots, not lambdas: Qt drops them if the page goes before the worker ends.
        worker.signals.succeeded.connect(self._succeeded)
        worker.signals.failed.connect(self._failed)
        worker.signals.cancelled.connect(self._cancelled)
        worker.signals.finished.connect(self._finished)
        self._worker = worker
        keep_until_finished(worker)
        self.status_label.setText(f"Preparing {table.path.name}…")
        self.progress_bar.setRange(0, 0)
        self.progress_bar.show()
        self.cancel_button.show()
        self.phase_label.setText(PHASES["analysing"])
        self._poll.start()
        self._pool.start(worker)
        return True

    def show_group_rows(self, group: ReasonGroup) -> bool:
        """Filter the table to the rows of one reason of the quality figures and show it."""
        keys = self._reasons.keys_of(group)
        label = reason_text(group.column or group.field, group.reason)
        if not self.filter_combo.choose(keys, label):
            self.status_label.setText("No row of the preview has this reason.")
            return False
        self.tabs.setCurrentIndex(0)
        return True

    def cancel(self) -> None:
        """Stop the running preparation, if any (`prepare_cancelled` follows)."""
        if self._worker is not None:
            self._worker.cancel()

    def copy_batch_json(self) -> None:
        """Put the request body of the batch that sends the selected row on the clipboard."""
        result, position = self.result, self.view.current_position()
        if result is None or position is None:
            return
        found = result.batch_of(position)
        payload = result.batch_payload(position)
        if found is None or payload is None:
            self.status_label.setText("This row is rejected: it is in no batch.")
            return
        QGuiApplication.clipboard().setText(json.dumps(payload, indent=2, ensure_ascii=False))
        self.status_label.setText(
            f"Batch {found[0]} ({len(found[1]):,} conversions) copied to the clipboard."
        )

    def export_rejected_rows(self, folder: str | Path) -> None:
        """Write the rejected-rows report into `folder` in the background."""
        result, table = self.result, self.session.table
        if result is None:
            return
        stem = f"{table.path.stem}-rejected-rows" if table is not None else "rejected-rows"
        worker = FunctionWorker(_export, list(result.summary.problems), str(folder), stem)
        worker.signals.succeeded.connect(self._exported)
        worker.signals.failed.connect(self._export_failed)
        keep_until_finished(worker)
        self.status_label.setText("Writing the rejected rows…")
        self._pool.start(worker)

    # -- events -------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale and self._worker is None:
            self.prepare()

    def _on_inspection(self, _inspection: object) -> None:
        self._prepared_profile = None
        self._abandon()
        self._set_result(None)
        self._stale = True
        self._show_waiting()

    def _on_profile(self, profile: MappingProfile | None) -> None:
        if profile is not None and profile == self._prepared_profile and not self._stale:
            return  # rebuilt but unchanged (e.g. the event list arrived): nothing to redo
        self._stale = True
        if self.isVisible():
            self.prepare()
        elif self.result is not None:
            self.status_label.setText("The mapping changed: the preview is refreshed when shown.")

    # -- worker outcomes ----------------------------------------------------------------------

    def _is_current(self) -> bool:
        """Whether the signal being handled comes from the running preparation (not one
        replaced by a newer one)."""
        return self._worker is not None and self.sender() is self._worker.signals

    def _succeeded(self, built: PreviewBuild) -> None:
        if not self._is_current():
            return
        result = built.result
        self._set_result(result, built.reasons)
        summary = result.summary
        self.status_label.setText("" if summary.rows_read else "The file has no data rows.")
        self.prepared.emit(result)

    def _failed(self, message: str) -> None:
        if not self._is_current():
            return
        self.status_label.setText(message)
        self.prepare_failed.emit(message)

    def _cancelled(self) -> None:
        if not self._is_current():
            return
        self._stale = True
        self.status_label.setText("Preview cancelled. Refresh (F5) to prepare it again.")
        self.prepare_cancelled.emit()

    def _finished(self) -> None:
        if self._is_current():
            self._abandon()

    def _abandon(self) -> None:
        """Stop following the running preparation (cancelled if still running)."""
        if self._worker is not None:
            self._worker.cancel()
        self._worker = None
        self._poll.stop()
        self.progress_bar.hide()
        self.cancel_button.hide()
        self.phase_label.clear()

    def _show_progress(self) -> None:
        progress = self._progress.value
        if progress is None or progress == self._shown_progress:
            return
        self._shown_progress = progress
        expected = progress.rows_estimated or 0
        self.progress_bar.setRange(0, expected)
        if expected:
            self.progress_bar.setValue(min(progress.rows_done, expected))
        phase = PHASES.get(progress.phase, progress.phase)
        self.phase_label.setText(f"{phase} {progress.rows_done:,} rows")
        self.progress_changed.emit(phase, progress.rows_done, expected)

    def _exported(self, paths: list[Path]) -> None:
        self.status_label.setText("Saved " + " and ".join(str(p) for p in paths))
        self.rejected_exported.emit(paths)

    def _export_failed(self, message: str) -> None:
        self.status_label.setText(message)
        QMessageBox.warning(self, "Export rejected rows", literal(message))

    # -- showing ------------------------------------------------------------------------------

    def _set_result(self, result: PreviewResult | None, reasons: ReasonIndex | None = None) -> None:
        self._reasons = reasons or ReasonIndex()
        self.model.set_result(result)
        self.filter_combo.set_preview(result, self._reasons)
        self.model.set_visible(self.filter_combo.positions())
        self._show_current(QModelIndex())
        self.quality.set_diagnostics(
            getattr(result.summary, "diagnostics", None) if result else None
        )
        if result is None:
            self.counts_label.clear()
            self.banner.hide()
        else:
            summary = result.summary
            left_out = (
                f"{summary.rows_left_out:,} left out (not sales) · "
                if summary.rows_left_out
                else ""
            )
            self.counts_label.setText(
                f"{summary.rows_ready:,} ready · {summary.rows_rejected:,} rejected · {left_out}"
                f"{summary.warnings:,} warnings · {summary.events_ready:,} conversions to send"
            )
            self.banner.setText("\n".join(summary.column_notes))
            self.banner.setVisible(bool(summary.column_notes))
        self._update_actions()

    def _filter_rows(self, positions: object) -> None:
        if not self.view.show_positions(positions):  # type: ignore[arg-type]
            self._show_current(QModelIndex())

    def _show_current(self, current: QModelIndex, _previous: object = None) -> None:
        item = self.model.preview_row(current.row()) if current.isValid() else None
        self.detail.show_row(item, has_result=self.result is not None)
        self._update_actions()

    def _update_actions(self) -> None:
        result = self.result
        current = self.view.selectionModel().currentIndex()
        selected = self.model.preview_row(current.row()) if current.isValid() else None
        self.copy_button.setEnabled(selected is not None and selected.event is not None)
        self.export_button.setEnabled(result is not None and bool(result.summary.problems))

    def _show_waiting(self) -> None:
        if self.session.table is None:
            self.status_label.setText("Open an export on the Load step first.")
        elif self.session.profile is None:
            self.status_label.setText("Complete the mapping on the Map step to see the preview.")

    def _choose_export_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Export rejected rows to", self._export_folder or str(Path.home())
        )
        if folder:
            self._export_folder = folder
            self.export_rejected_rows(folder)
