"""Running the core upload engine off the GUI thread, relaying throttled progress as signals."""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable
from enum import StrEnum

from PySide6.QtCore import QObject, QRunnable, Signal

from twconv_gui.core import paths
from twconv_gui.core.account.ad_accounts import unknown_event_ids, unknown_events_message
from twconv_gui.core.api.client import ApiClient
from twconv_gui.core.errors import TwconvError
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.prepare.event_ids import event_ids_in_column
from twconv_gui.core.reading.table import Table
from twconv_gui.core.upload.engine import Upload
from twconv_gui.core.upload.journal import JobRecord, Journal
from twconv_gui.core.upload.model import (
    BatchResult,
    Phase,
    UploadOptions,
    UploadProgress,
    UploadRefused,
)
from twconv_gui.core.upload.policy import earlier_job, is_fully_uploaded

log = logging.getLogger(__name__)

PROGRESS_EVERY = 0.1  # seconds: at most ~10 progress signals a second reach the GUI thread


class Conflict(StrEnum):
    """What the journal already holds for the same file, mapping, pixel and event."""

    UNFINISHED = "unfinished"  # a job that can be resumed
    UPLOADED = "uploaded"  # a job of which nothing is left to send


def conflict_of(job: JobRecord) -> Conflict:
    """How the core's policy treats an earlier job of the same file, mapping and pixel."""
    return Conflict.UPLOADED if is_fully_uploaded(job) else Conflict.UNFINISHED


class UploadSignals(QObject):
    """Signals of one upload run (a QRunnable cannot declare signals itself).

    Signals:
        conflict(object): the journal holds an earlier job of this file (a JobRecord); nothing
            was sent. Only when the worker was asked to check first (no resume, no force).
        started(object): the upload began; the journal's JobRecord (None for a dry run).
        progress(object): an UploadProgress, at most ~10 a second; its `finished_batches`
            holds every batch finished since the previous signal, none is ever dropped.
        finished(object): the UploadSummary, when the engine ran to its end (completed,
            partial, stopped by X or cancelled).
        refused(str): the journal's policy refused to start the upload as asked.
        failed(str): a message a user can act on; the upload could not run or broke off.
        done(): always last.
    """

    conflict = Signal(object)
    started = Signal(object)
    progress = Signal(object)
    finished = Signal(object)
    refused = Signal(str)
    failed = Signal(str)
    done = Signal()


class UploadWorker(QRunnable):
    """One upload in a thread pool: builds the journal and the engine in its own thread.

    Args:
        table: the opened export.
        profile: the mapping profile.
        options: what the user chose (resume/force decide how the journal policy acts).
        client_factory: makes the API client, e.g. `Connection.client`; called in the worker
            thread. None for a dry run.
        api_base: recorded in the journal with the job.
        check_first: look in the journal before sending and emit `conflict` (sending nothing)
            when an earlier job of the same file exists, so the page can ask the user.
        journal_factory: opens the journal (tests may swap it); the default is the app's.
    """

    def __init__(
        self,
        table: Table,
        profile: MappingProfile,
        options: UploadOptions,
        *,
        client_factory: Callable[[], ApiClient] | None,
        api_base: str = "",
        check_first: bool = True,
        journal_factory: Callable[[], Journal] | None = None,
        account_id: str = "",
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the page keeps the worker until it is replaced
        self.signals = UploadSignals()
        self.table, self.profile, self.options = table, profile, options
        self.client_factory, self.api_base = client_factory, api_base
        self.account_id = account_id  # event ids read from a column are checked against it
        self.check_first = check_first and not (options.resume or options.force)
        self._journal_factory = journal_factory or (lambda: Journal(paths.journal_path()))
        self.cancel_event = threading.Event()
        self.running_event = threading.Event()
        self.running_event.set()
        self.ended = threading.Event()  # set when run() has returned its last signal

    # -- control (any thread) -----------------------------------------------------------------

    def cancel(self) -> None:
        """Stop after the requests in flight; the journal stays consistent (job cancelled)."""
        self.cancel_event.set()
        self.running_event.set()  # a paused upload must wake up to stop

    def pause(self) -> None:
        """Hold every worker before its next request (requests in flight complete)."""
        if not self.cancel_event.is_set():
            self.running_event.clear()

    def resume(self) -> None:
        self.running_event.set()

    @property
    def paused(self) -> bool:
        return not self.running_event.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until run() has ended; False on timeout."""
        return self.ended.wait(timeout)

    # -- the job (pool thread) ----------------------------------------------------------------

    def run(self) -> None:
        try:
            self._run()
        except UploadRefused as exc:
            self.signals.refused.emit(str(exc))
        except TwconvError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # the window must survive any failure
            # The type only: an exception's text could hold personal data or identifiers.
            log.error("upload worker failed: %s", type(exc).__name__)
            self.signals.failed.emit(
                f"Unexpected error during the upload ({type(exc).__name__}). The journal keeps "
                "what was sent: start again to resume, and please report the steps that led "
                "to it."
            )
        finally:
            self.signals.done.emit()
            self.ended.set()

    def _run(self) -> None:
        journal = None if self.options.dry_run else self._journal_factory()
        try:
            if journal is not None and self.check_first:
                previous = self._previous_job(journal)
                if previous is not None and not self.cancel_event.is_set():
                    self.signals.conflict.emit(previous)
                    return
            if self.cancel_event.is_set():
                return
            self._check_event_column()
            upload = Upload(
                self.table,
                self.profile,
                self.options,
                client_factory=self.client_factory,
                journal=journal,
                api_base=self.api_base,
                cancel=self.cancel_event,
                running=self.running_event,
            )
            self._relay(upload)
        finally:
            if journal is not None:
                journal.close()

    def _check_event_column(self) -> None:
        """Event ids read from a column must be events of the account (OAuth profiles, whose
        account is known), or the job would stop with a 404 half-way."""
        if self.options.dry_run or not self.account_id or self.client_factory is None:
            return
        found = event_ids_in_column(self.table, self.profile)
        if not found:
            return
        client = self.client_factory()
        if client.uses_pixel_token:
            return
        unknown = unknown_event_ids(client, self.account_id, found)
        if unknown:
            column = self.profile.columns["event_id"]
            raise UploadRefused(
                unknown_events_message(
                    column, self.account_id, found, unknown, where_listed="the Upload step"
                )
            )

    def _previous_job(self, journal: Journal) -> JobRecord | None:
        return earlier_job(journal, self.table, self.profile, self.options, self.api_base)

    def _relay(self, upload: Upload) -> None:
        """Iterate the engine; emit progress at most every PROGRESS_EVERY seconds."""
        finished: list[BatchResult] = []
        last: UploadProgress | None = None
        last_emit = 0.0
        try:
            for progress in upload.run():
                if last is None:
                    self.signals.started.emit(upload.summary.job)
                last = progress
                finished.extend(progress.finished_batches)
                now = time.monotonic()
                if progress.phase is not Phase.FINISHED and now - last_emit < PROGRESS_EVERY:
                    continue
                last_emit = now
                self.signals.progress.emit(
                    dataclasses.replace(progress, finished_batches=tuple(finished))
                )
                finished = []
        finally:
            if finished and last is not None:  # broke off: the table still gets every batch
                self.signals.progress.emit(
                    dataclasses.replace(last, finished_batches=tuple(finished))
                )
        self.signals.finished.emit(upload.summary)
