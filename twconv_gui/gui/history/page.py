"""The History step: past upload jobs from the journal, their batches, debug ids and reports."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QThreadPool,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from twconv_gui.core import paths
from twconv_gui.core.upload.journal import BatchRecord, JobRecord, JobStatus, Journal
from twconv_gui.gui.plain_text import literal, plain_label
from twconv_gui.gui.upload.batch_model import BatchTableModel, batch_actions, setup_batch_view
from twconv_gui.gui.workers import FunctionWorker

Index = QModelIndex | QPersistentModelIndex

JobRole = Qt.ItemDataRole.UserRole + 1  # the JobRecord
JobIdRole = Qt.ItemDataRole.UserRole + 2  # its id (int)

JOB_HEADERS = (
    "Job",
    "Started",
    "File",
    "Pixel",
    "Status",
    "Acknowledged/Total",
    "Rejected",
    "Reports",
)
JOB, STARTED, FILE, PIXEL, STATUS, ACKNOWLEDGED, REJECTED, REPORTS = range(len(JOB_HEADERS))
JOB_LIMIT = 200


def _read_jobs(request: int, limit: int, *, cancel: threading.Event) -> tuple[int, list[JobRecord]]:
    with Journal(paths.journal_path()) as journal:
        return request, journal.jobs(limit=limit)


def _read_batches(job_id: int, *, cancel: threading.Event) -> tuple[int, list[BatchRecord]]:
    with Journal(paths.journal_path()) as journal:
        return job_id, journal.batches(job_id)


class JobsModel(QAbstractTableModel):
    """Read-only past jobs, newest first, as `Journal.jobs()` returns them."""

    def __init__(self) -> None:
        super().__init__()
        self._jobs: list[JobRecord] = []

    def set_jobs(self, jobs: list[JobRecord]) -> None:
        self.beginResetModel()
        self._jobs = list(jobs)
        self.endResetModel()

    def job(self, row: int) -> JobRecord:
        return self._jobs[row]

    def row_of(self, job_id: int) -> int | None:
        return next((row for row, job in enumerate(self._jobs) if job.id == job_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._jobs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(JOB_HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._jobs):
            return None
        job = self._jobs[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(job, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == STATUS and job.message:
                return literal(job.message)
            if column == REJECTED:
                return (
                    f"{job.events_rejected:,} conversions rejected by X, "
                    f"{job.rows_rejected:,} rows rejected before sending"
                )
            if column == FILE:
                return job.file_path
            if column == REPORTS and job.report_dir:
                return job.report_dir
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (JOB, ACKNOWLEDGED, REJECTED):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == JobRole:
            return job
        if role == JobIdRole:
            return job.id
        return None

    @staticmethod
    def _display(job: JobRecord, column: int) -> object:
        if column == JOB:
            return job.id
        if column == STARTED:
            return job.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
        if column == FILE:
            return job.file_name
        if column == PIXEL:
            return job.pixel_id
        if column == STATUS:
            return job.status.value
        if column == ACKNOWLEDGED:
            if job.status is JobStatus.DRY_RUN:
                return f"— /{job.events_total:,}"
            return f"{job.events_acknowledged:,}/{job.events_total:,}"
        if column == REJECTED:
            return job.events_rejected + job.rows_rejected
        return job.report_dir or ""

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(JOB_HEADERS)
        ):
            return JOB_HEADERS[section]
        return None


class HistoryPage(QWidget):
    """History step: the journal's jobs; pick one to see its batches and debug ids.

    The journal is read in the background (it may be locked for a moment by an upload).

    Signals:
        jobs_loaded(int): the job list was (re)read; the number of jobs shown.
        batches_loaded(int): the selected job's batches are shown; the job's id.
        load_failed(str): the journal could not be read (a message a user can act on).
    """

    jobs_loaded = Signal(int)
    batches_loaded = Signal(int)
    load_failed = Signal(str)

    def __init__(self, pool: QThreadPool | None = None) -> None:
        super().__init__()
        self._pool = pool or QThreadPool.globalInstance()
        self._workers: set[FunctionWorker] = set()
        self._jobs_request = 0
        self._shown_job: int | None = None

        self.jobs_model = JobsModel()
        self.jobs_view = QTableView()
        self.jobs_view.setModel(self.jobs_model)
        self.jobs_view.verticalHeader().hide()
        self.jobs_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.jobs_view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.jobs_view.setWordWrap(False)
        self.jobs_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.jobs_view.horizontalHeader().setStretchLastSection(True)
        self.jobs_view.selectionModel().selectionChanged.connect(self._job_selected)

        self.batch_model = BatchTableModel()
        self.batch_view = QTableView()
        setup_batch_view(self.batch_view, self.batch_model)

        self.copy_action, self.open_reports_action = batch_actions(
            self, self.copy_debug_ids, self.open_report_folder, "Copy debug ids"
        )
        for view in (self.jobs_view, self.batch_view):
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            view.addActions([self.copy_action, self.open_reports_action])

        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setShortcut(QKeySequence.StandardKey.Refresh)
        self.refresh_button.clicked.connect(self.refresh)
        self.message_label = plain_label()
        self.message_label.setWordWrap(True)
        self.detail_label = plain_label("Select a job to see its batches.")
        self.detail_label.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(QLabel("Past uploads (newest first)"))
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail_label)
        detail_layout.addWidget(self.batch_view, 1)
        actions = QHBoxLayout()
        for action in (self.copy_action, self.open_reports_action):
            tool = QToolButton()
            tool.setDefaultAction(action)
            actions.addWidget(tool)
        actions.addStretch(1)
        detail_layout.addLayout(actions)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.jobs_view)
        splitter.addWidget(detail)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message_label)
        layout.addWidget(splitter, 1)
        self._update_actions()

    # -- public -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the job list again (in the background); the selected job stays selected."""
        self._jobs_request += 1
        worker = FunctionWorker(_read_jobs, self._jobs_request, JOB_LIMIT)
        worker.signals.succeeded.connect(self._show_jobs)
        worker.signals.failed.connect(self._show_failure)
        self._run(worker)

    def selected_job(self) -> JobRecord | None:
        rows = self.jobs_view.selectionModel().selectedRows()
        return self.jobs_model.job(rows[0].row()) if rows else None

    def select_job(self, job_id: int) -> bool:
        """Select a job by id (its batches load in the background); False when not listed."""
        row = self.jobs_model.row_of(job_id)
        if row is None:
            return False
        self.jobs_view.selectRow(row)
        return True

    def copy_debug_ids(self) -> None:
        rows = {index.row() for index in self.batch_view.selectionModel().selectedRows()}
        debug_ids = self.batch_model.debug_ids(rows or None)
        if debug_ids:
            QGuiApplication.clipboard().setText("\n".join(debug_ids))

    def open_report_folder(self) -> None:
        job = self.selected_job()
        if job is not None and job.report_dir:
            QDesktopServices.openUrl(QUrl.fromLocalFile(job.report_dir))

    # -- background reads ---------------------------------------------------------------------

    def _run(self, worker: FunctionWorker) -> None:
        # Bound-method slots only: a lambda holding the worker would keep it alive for ever.
        self._workers.add(worker)
        worker.signals.finished.connect(self._forget)
        self._pool.start(worker)

    @Slot()
    def _forget(self) -> None:
        sender = self.sender()
        self._workers = {w for w in self._workers if w.signals is not sender}

    @Slot(object)
    def _show_jobs(self, result: tuple[int, list[JobRecord]]) -> None:
        request, jobs = result
        if request != self._jobs_request:
            return  # a newer refresh is on its way
        selected = self.selected_job()
        self.jobs_model.set_jobs(jobs)
        self.jobs_view.resizeColumnsToContents()
        self.message_label.setText("" if jobs else "No uploads yet.")
        if selected is None or not self.select_job(selected.id):
            self._shown_job = None
            self.batch_model.clear()
            self.detail_label.setText("Select a job to see its batches.")
        self._update_actions()
        self.jobs_loaded.emit(len(jobs))

    @Slot(str)
    def _show_failure(self, message: str) -> None:
        self.message_label.setText(message)
        self.load_failed.emit(message)

    def _job_selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        job = self.selected_job()
        self._update_actions()
        if job is None:
            return
        self._shown_job = job.id
        self.detail_label.setText(f"Batches of job {job.id} ({job.file_name}): loading…")
        worker = FunctionWorker(_read_batches, job.id)
        worker.signals.succeeded.connect(self._show_batches)
        worker.signals.failed.connect(self._show_failure)
        self._run(worker)

    @Slot(object)
    def _show_batches(self, result: tuple[int, list[BatchRecord]]) -> None:
        job_id, batches = result
        if job_id != self._shown_job:
            return  # another job was selected meanwhile
        self.batch_model.set_batches(batches)
        job = self.selected_job()
        name = job.file_name if job is not None else ""
        detail = f"Batches of job {job_id} ({name}): {len(batches):,}"
        if job is not None and job.message:
            detail += f". {job.message}"
        self.detail_label.setText(detail)
        self._update_actions()
        self.batches_loaded.emit(job_id)

    def _update_actions(self) -> None:
        job = self.selected_job()
        self.copy_action.setEnabled(bool(self.batch_model.debug_ids()))
        folder = job.report_dir if job is not None else None
        self.open_reports_action.setEnabled(bool(folder) and Path(folder or "").is_dir())
