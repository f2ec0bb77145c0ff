"""The Upload step: send the mapped file to X (or dry-run it) and watch every batch's outcome."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

from PySide6.QtCore import QItemSelection, Qt, QThreadPool, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from twconv_gui import APP_NAME
from twconv_gui.core.api.pixel_token import PixelToken
from twconv_gui.core.upload.journal import JobRecord
from twconv_gui.core.upload.model import UploadProgress, duplicate_risk
from twconv_gui.core.upload.model import UploadSummary as Summary
from twconv_gui.gui.session import Connection, Session
from twconv_gui.gui.upload import notices, text
from twconv_gui.gui.upload.batch_model import BatchTableModel, batch_actions, setup_batch_view
from twconv_gui.gui.upload.form import UploadOptionsForm
from twconv_gui.gui.upload.prompts import Choice, ask_about_earlier_job
from twconv_gui.gui.upload.worker import Conflict, UploadWorker, conflict_of


class UploadPage(QWidget):
    """Upload step: options, Start / Pause / Cancel, progress, live batches and the summary.

    Signals:
        upload_started(): an upload (or dry run) began sending or preparing.
        upload_finished(object): the UploadSummary of an upload that ran to its end
            (completed, partial, stopped by X or cancelled).
    """

    upload_started = Signal()
    upload_finished = Signal(object)

    notify_after_seconds = 30.0  # a longer upload ends with a desktop notification

    def __init__(self, session: Session, pool: QThreadPool | None = None) -> None:
        super().__init__()
        self.session = session
        self._pool = pool or QThreadPool.globalInstance()
        self._worker: UploadWorker | None = None
        self._retired: list[UploadWorker] = []  # kept until their run() has returned
        self._active = False
        self._cancelling = False
        self._dry_run = False
        self._started_at = 0.0
        self._report_dir: Path | None = None
        self._notifier = notices.DesktopNotifier(self)
        self.last_summary: Summary | None = None

        self.form = UploadOptionsForm()
        # The form's widgets, reachable from the page (tests, settings, tab order).
        self.pixel_edit, self.event_combo = self.form.pixel_edit, self.form.event_combo
        self.workers_spin, self.batch_spin = self.form.workers_spin, self.form.batch_spin
        self.dry_run_check = self.form.dry_run_check
        self.form.changed.connect(self._update_controls)
        self._build_controls()
        self._build_batches()
        self._build_layout()

        self.batch_model.rowsInserted.connect(self._update_controls)
        self.batch_model.modelReset.connect(self._update_controls)
        session.inspection_changed.connect(self._update_controls)
        session.profile_changed.connect(self._update_controls)
        session.connection_changed.connect(self._follow_connection)
        self._follow_connection(session.connection)
        self._update_controls()

    # -- building -----------------------------------------------------------------------------

    def _build_controls(self) -> None:
        self.start_button = QPushButton("Start upload")
        self.start_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.start_button.clicked.connect(self._start_clicked)
        self.pause_button = QPushButton("Pause")
        self.pause_button.clicked.connect(self._toggle_pause)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.notice_label = notices.notice_label()
        # Said before anything is sent: without a conversion_id, a resumed upload may count
        # the sales that were on their way twice.
        self.risk_label = notices.risk_label()
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, text.PROGRESS_STEPS)
        self.progress_bar.setValue(0)
        self.progress_label = QLabel("Not started.")
        self.wait_label = QLabel()
        self.wait_label.hide()

    def _build_batches(self) -> None:
        self.batch_model = BatchTableModel()
        self.batch_view = QTableView()
        setup_batch_view(self.batch_view, self.batch_model)
        self.copy_action, self.open_reports_action = batch_actions(
            self, self.copy_debug_ids, self.open_report_folder, "Copy debug id"
        )
        self.batch_view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.batch_view.addActions([self.copy_action, self.open_reports_action])
        self.batch_view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.summary_label = notices.summary_label()

    def _build_layout(self) -> None:
        buttons = QHBoxLayout()
        for button in (self.start_button, self.pause_button, self.cancel_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        batch_buttons = QHBoxLayout()
        for action in (self.copy_action, self.open_reports_action):
            tool = QToolButton()
            tool.setDefaultAction(action)
            batch_buttons.addWidget(tool)
        batch_buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addLayout(buttons)
        layout.addWidget(self.notice_label)
        layout.addWidget(self.risk_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.wait_label)
        layout.addWidget(self.batch_view, 1)
        layout.addLayout(batch_buttons)
        layout.addWidget(self.summary_label)

    # -- public -------------------------------------------------------------------------------

    def set_event_choices(self, choices: list[tuple[str, str]]) -> None:
        """Offer these (event id, label) pairs in the event picker; keeps the current choice."""
        self.form.set_event_choices(choices)

    def event_id(self) -> str | None:
        """The event override: None to use the mapping's event id."""
        return self.form.event_id()

    def is_running(self) -> bool:
        """True from Start until the upload (or the journal check before it) has ended."""
        return self._active

    def start(self, force: bool = False, resume: bool = False) -> None:
        """Check the journal, then upload (or dry-run) in the background.

        Args:
            force: send even if the journal holds this file already (a new job).
            resume: go on with the unfinished job of this file, sending only what X has not
                acknowledged.
        """
        if self._active:
            return
        problem = self._missing()
        if problem:
            self._show_notice(problem)
            return
        table, profile = self.session.table, self.session.profile
        assert table is not None
        assert profile is not None
        dry_run = self.form.dry_run
        connection = None if dry_run else self.session.connection
        options = self.form.options(resume=resume, force=force)
        if connection is not None and isinstance(connection.credentials, PixelToken):
            # X checks a pixel token by answering the first request: one sale at stake.
            options = dataclasses.replace(options, first_batch_size=1)
        worker = UploadWorker(
            table,
            profile,
            options,
            client_factory=connection.client if connection else None,
            api_base=connection.settings.base_url if connection else "",
            account_id=connection.account_id if connection else "",
        )
        signals = worker.signals
        signals.conflict.connect(self._on_conflict)
        signals.started.connect(self._on_started)
        signals.progress.connect(self._on_progress)
        signals.finished.connect(self._on_finished)
        signals.refused.connect(self._on_problem)
        signals.failed.connect(self._on_problem)
        signals.done.connect(self._on_done)
        self._retire(worker)
        self._active, self._cancelling, self._dry_run = True, False, dry_run
        self._hide_notice()
        self.progress_label.setText("Checking the journal…" if worker.check_first else "Starting…")
        self._update_controls()
        self._pool.start(worker)

    def cancel(self) -> None:
        """Stop after the requests in flight; Start again offers to resume."""
        if self._worker is None or not self._active:
            return
        self._worker.cancel()
        self._cancelling = True
        self.progress_label.setText("Cancelling: waiting for the requests already sent…")
        self._update_controls()

    def pause(self) -> None:
        if self._worker is not None and self._active and not self._cancelling:
            self._worker.pause()
            self.pause_button.setText("Resume")
            self.progress_label.setText(
                "Paused: requests already sent finish; nothing new goes out."
            )

    def resume(self) -> None:
        if self._worker is not None and self._active:
            self._worker.resume()
            self.pause_button.setText("Pause")
            self.progress_label.setText("Sending…")

    def is_paused(self) -> bool:
        return self._active and self._worker is not None and self._worker.paused

    def cancel_and_wait(self, timeout_ms: int) -> bool:
        """Cancel a running upload and block until it has stopped (closing the window).

        Returns:
            True when nothing runs any more (the journal records the job as cancelled);
            False when the upload did not stop within `timeout_ms`.
        """
        worker = self._worker
        if worker is None or not self._active:
            return True
        self.cancel()
        if not worker.wait(max(0, timeout_ms) / 1000):
            return False
        self._active = self._cancelling = False
        self._update_controls()
        return True

    def ask(self, conflict: Conflict, job: JobRecord, message: str) -> Choice:
        """Ask what to do about an earlier job of the same file; tests override this."""
        return ask_about_earlier_job(self, conflict, message)

    def notify(self, title: str, message: str) -> None:
        """A desktop notification (or a flashing taskbar entry where there is no tray)."""
        self._notifier.notify(title, message)

    def copy_debug_ids(self) -> None:
        rows = {index.row() for index in self.batch_view.selectionModel().selectedRows()}
        debug_ids = self.batch_model.debug_ids(rows or None)
        if debug_ids:
            QGuiApplication.clipboard().setText("\n".join(debug_ids))

    def open_report_folder(self) -> None:
        if self._report_dir is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._report_dir)))

    # -- worker signals (GUI thread) ----------------------------------------------------------

    def _current(self) -> UploadWorker | None:
        """The worker whose signal is being handled, if it is the page's current one."""
        worker = self._worker
        if worker is None or self.sender() is not worker.signals:
            return None  # a signal queued by an earlier worker
        return worker

    @Slot(object)
    def _on_conflict(self, job: JobRecord) -> None:
        if self._current() is None or self._cancelling:
            return
        self._active = False
        conflict = conflict_of(job)
        if conflict is Conflict.UNFINISHED:
            message = text.unfinished_message(job)
        else:
            message = text.uploaded_message(job)
        choice = self.ask(conflict, job, message)
        self.progress_label.setText("Not started.")
        if choice is Choice.RESUME:
            self.start(resume=True)
        elif choice in (Choice.START_OVER, Choice.UPLOAD_AGAIN):
            self.start(force=True)
        else:
            self._show_notice(f"{message}\n\nNothing was sent.")
            self._update_controls()

    @Slot(object)
    def _on_started(self, _job: JobRecord | None) -> None:
        if self._current() is None:
            return
        self._started_at = time.monotonic()
        self.batch_model.clear()
        self.summary_label.hide()
        self._report_dir = None
        self.last_summary = None
        self.progress_label.setText("Preparing…")
        self._update_controls()
        self.upload_started.emit()

    @Slot(object)
    def _on_progress(self, progress: UploadProgress) -> None:
        worker = self._current()
        if worker is None:
            return
        self.batch_model.add_batches(progress.finished_batches)
        value = text.progress_value(progress, dry_run=self._dry_run)
        if value is None:
            self.progress_bar.setRange(0, 0)  # busy: nothing to estimate yet
        else:
            self.progress_bar.setRange(0, text.PROGRESS_STEPS)
            self.progress_bar.setValue(value)
        if not self._cancelling:
            paused = worker.paused
            self.progress_label.setText(
                text.describe_progress(progress, dry_run=self._dry_run, paused=paused)
            )
        wait = text.describe_wait(progress)
        self.wait_label.setText(wait)
        self.wait_label.setVisible(bool(wait))

    @Slot(object)
    def _on_finished(self, summary: Summary) -> None:
        if self._current() is None:
            return
        self.last_summary = summary
        self._report_dir = text.report_folder(summary)
        title = text.headline(summary)
        lines = text.describe_summary(summary)
        self.progress_label.setText(f"{title}.")
        self.progress_bar.setRange(0, text.PROGRESS_STEPS)
        if not (summary.cancelled or summary.stopped):
            self.progress_bar.setValue(text.PROGRESS_STEPS)
        self.wait_label.hide()
        notices.show_summary(self.summary_label, title, lines, summary)
        # The job is over (only the worker's tidy-up remains): Start may be pressed again, and
        # a slot of upload_finished may start the next upload at once.
        self._active = self._cancelling = False
        self.pause_button.setText("Pause")
        self._update_controls()
        took = time.monotonic() - self._started_at if self._started_at else 0.0
        if took >= self.notify_after_seconds and not summary.cancelled:
            self.notify(f"{APP_NAME}: {title}", lines[0])
        self.upload_finished.emit(summary)

    @Slot(str)
    def _on_problem(self, message: str) -> None:
        if self._current() is not None:
            self.progress_label.setText("Not finished.")
            self._show_notice(message)

    @Slot()
    def _on_done(self) -> None:
        if self._current() is not None:
            self._active = self._cancelling = False
            self.pause_button.setText("Pause")
            self._update_controls()

    # -- helpers ------------------------------------------------------------------------------

    def _missing(self) -> str | None:
        """Why Start cannot go ahead now, in words; None when it can."""
        if self.session.table is None:
            return "Open an export first (Load step)."
        if self.session.profile is None:
            return "Finish the mapping first (Map step): a required field has no source yet."
        if self.form.dry_run:
            return None
        if self.session.connection is None:
            return (
                "Sign in before uploading: choose or add a profile with your X credentials, or "
                "use Sandbox mode to try the app without an account. A dry run works without "
                "signing in."
            )
        if not self.form.pixel_id:
            return "Enter the pixel id (X Ads › Events Manager › the event source's id)."
        return None

    def _retire(self, worker: UploadWorker) -> None:
        if self._worker is not None:
            self._retired.append(self._worker)
        self._retired = [w for w in self._retired if not w.ended.is_set()]
        self._worker = worker

    def _start_clicked(self) -> None:
        self.start()  # clicked(bool) must not reach start's `force`

    def _toggle_pause(self) -> None:
        if self.is_paused():
            self.resume()
        else:
            self.pause()

    def _follow_connection(self, connection: Connection | None) -> None:
        self.form.follow_connection(connection)
        self._update_controls()

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_controls()

    def _update_controls(self, *_args: object) -> None:
        active = self._active
        ready = self.session.table is not None and self.session.profile is not None
        self.start_button.setEnabled(not active and ready)
        self.start_button.setToolTip("" if ready else "Load a file and finish the mapping first")
        self.start_button.setText("Start dry run" if self.form.dry_run else "Start upload")
        self.pause_button.setEnabled(active and not self._cancelling and not self._dry_run)
        self.cancel_button.setEnabled(active and not self._cancelling)
        self.form.setEnabled(not active)
        self.copy_action.setEnabled(self.batch_model.rowCount() > 0)
        self.open_reports_action.setEnabled(self._report_dir is not None)
        profile = self.session.profile
        risk = duplicate_risk(profile.columns, profile.constants) if profile else None
        self.risk_label.setText(f"Note: {risk}" if risk else "")
        self.risk_label.setVisible(bool(risk) and not self.form.dry_run)

    def _show_notice(self, message: str) -> None:
        notices.show_notice(self.notice_label, message)

    def _hide_notice(self) -> None:
        notices.hide_notice(self.notice_label)
