"""The upload job: prepare, batch, send concurrently, journal every batch, report the truth."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, NamedTuple

from twconv_gui.core.api.client import ApiClient
from twconv_gui.core.api.throttle import RateGovernor
from twconv_gui.core.errors import Cancelled, TwconvError
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.prepare.batching import check_batch_size
from twconv_gui.core.prepare.preparation import Preparation
from twconv_gui.core.prepare.reports import load_xlsx_writer
from twconv_gui.core.reading.table import Table
from twconv_gui.core.upload.closing import close_job, dry_run_reports_dir, write_reports
from twconv_gui.core.upload.journal import (
    BatchRecord,
    BatchStatus,
    JobRecord,
    Journal,
    compact_rows,
)
from twconv_gui.core.upload.model import (
    BatchResult,
    Phase,
    UploadOptions,
    UploadProgress,
    UploadSummary,
    judge,
    stop_message,
)
from twconv_gui.core.upload.policy import OpenedJob, open_job
from twconv_gui.core.upload.producer import BatchProducer, ReadyBatch, batch_plan
from twconv_gui.core.upload.sender import BatchSender, SendOutcome, StopUpload

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.25  # seconds between progress objects while waiting on the network


class _Delivered(NamedTuple):
    result: BatchResult
    outcome: SendOutcome


ClientFactory = Callable[[], ApiClient]


class Upload:
    """One upload job. Iterate `run()` for progress; read `summary` afterwards.

    Args:
        table: the opened export.
        profile: the mapping profile.
        options: pixel, event override, workers, batch size, resume/force, dry run...
        client_factory: makes the API client (called once, only when something is sent).
        journal: the SQLite journal (not used for dry runs).
        api_base: recorded in the journal with the job.
        cancel: set it to stop cleanly (between requests); the journal stays consistent.
        running: cleared to pause, set to go on (between requests).
    """

    def __init__(
        self,
        table: Table,
        profile: MappingProfile,
        options: UploadOptions,
        *,
        client_factory: ClientFactory | None,
        journal: Journal | None,
        api_base: str = "",
        cancel: threading.Event | None = None,
        running: threading.Event | None = None,
    ) -> None:
        check_batch_size(options.batch_size)
        if options.workers < 1:
            raise TwconvError("Workers must be at least 1.")
        if not options.dry_run and (client_factory is None or journal is None):
            raise TwconvError("An upload needs credentials and a journal (or use a dry run).")
        self.table, self.profile, self.options = table, profile, options
        self.client_factory, self.journal, self.api_base = client_factory, journal, api_base
        self.cancel = cancel or threading.Event()
        self.running = running or threading.Event()
        if running is None:
            self.running.set()
        self.summary = UploadSummary(dry_run=options.dry_run)
        self._halt = threading.Event()  # cancel or a job-stopping answer: workers stop
        self._pixel_token = False  # the client signs in with a pixel token (set per sender)
        # With a small first batch (a pixel token, which X checks only by answering), nothing
        # more is sent until that batch's answer is in.
        self._await_first_answer = options.first_batch_size is not None
        self._governor = RateGovernor(
            events_per_15min=options.events_per_15min, workers=options.workers
        )
        self._preparation: Preparation | None = None
        self._producer: BatchProducer | None = None
        self._planned: list[BatchRecord] = []  # dry run: what would be sent
        self._last: BatchResult | None = None
        self._sent_at = 0.0
        self._acknowledged_now = 0  # by this run; a resumed job adds the earlier runs' events
        self._rejected_now = 0
        self._failed_now = 0  # events this run's requests could not deliver
        self._opened: OpenedJob | None = None
        self._sent_any = False  # a batch of this run went in flight (the job changed)
        self._final = False  # the summary's counts are the journal's: no more live counting

    # -- the job ------------------------------------------------------------------------------

    def run(self) -> Iterator[UploadProgress]:
        """Prepare and send at once; yields progress throughout, Phase.FINISHED last."""
        job: JobRecord | None = None
        try:
            if not self.options.dry_run:
                assert self.journal is not None
                self._opened = open_job(
                    self.journal, self.table, self.profile, self.options, self.api_base
                )
                job = self.summary.job = self._opened.job
            yield from self._pipeline(job)
        except Cancelled:
            self.summary.cancelled = True
        except (KeyboardInterrupt, GeneratorExit):  # a second Ctrl-C; the caller stopped
            self.summary.cancelled = True  # listening: recorded as cancelled, never completed
            raise
        except TwconvError as exc:  # e.g. the file became unreadable half-way
            self.summary.stopped = str(exc)
            raise
        except Exception as exc:
            self.summary.stopped = f"Stopped by an unexpected error ({type(exc).__name__})."
            raise
        finally:
            self._halt.set()
            if self._producer is not None:
                self._producer.join()
            self._settle_totals()
            try:
                if job is not None:
                    self._close_job(job)
                elif self.options.dry_run and not self.summary.cancelled:
                    self._finish_dry_run()
            finally:
                if self._opened is not None:
                    self._opened.lease.release()
        yield self._progress(Phase.FINISHED)

    def _pipeline(self, job: JobRecord | None) -> Iterator[UploadProgress]:
        """Run the producer (preparation) and the senders side by side."""
        workers = self.options.workers
        earlier: dict[int, BatchRecord] = {}
        if job is not None and self.journal is not None:
            earlier = {record.number: record for record in self.journal.batches(job.id)}
        preparation = Preparation(
            self.table,
            self.profile,
            event_id_override=self.options.event_id,
            cancel=self._halt,
            pixel_id=self.options.pixel_id,
        )
        self._preparation = preparation
        self._producer = producer = BatchProducer(
            preparation, self.options.batch_size, earlier=earlier, halt=self._halt,
            queue_size=2 * workers, first_batch_size=self.options.first_batch_size,
        ).start()  # fmt: skip
        yield self._progress(Phase.PREPARING)
        if job is None:  # dry run: the plan only
            yield from self._plan()
            return
        sender = self._sender()
        # For the reports; it takes 0.15 s of this process's time. Now, while the producer
        # takes its first look at the file (for a big file, a helper process takes it): later,
        # it held up the sending threads (measured: after the first answer, it delayed the
        # next four requests by 0.1 s; at the very end, the threads reading the last answers).
        load_xlsx_writer()
        self._sent_at = time.monotonic()
        try:
            with ThreadPoolExecutor(workers, thread_name_prefix="twconv-upload") as pool:
                pending: set[Future[_Delivered | None]] = set()
                while True:
                    if self.cancel.is_set():
                        self._halt.set()
                    arrival = producer.next_arrival()  # before taking: none is missed
                    producing = self._take(pending, pool, job, sender)
                    if not pending:
                        if not producing or self._halt.is_set():
                            break
                        yield self._progress(Phase.PREPARING)
                        continue
                    watched: set[Future[Any]] = set(pending)
                    if producing and len(pending) < 2 * workers:
                        watched.add(arrival)  # room for more: take a new batch at once
                    finished, _ = wait(
                        watched, timeout=PROGRESS_INTERVAL, return_when=FIRST_COMPLETED
                    )
                    new_batch = arrival in finished
                    finished.discard(arrival)
                    pending -= finished
                    if finished:
                        self._await_first_answer = False
                    if finished or not new_batch:  # answers, or the regular progress beat
                        results = [r for r in map(self._collect, finished) if r is not None]
                        yield self._progress(Phase.SENDING, tuple(results))
        finally:
            sender.client.close()
        self._raise_producer_error()

    def _take(
        self,
        pending: set[Future[_Delivered | None]],
        pool: ThreadPoolExecutor,
        job: JobRecord,
        sender: BatchSender,
    ) -> bool:
        """Hand ready batches to the pool (a few per worker); False once nothing more comes."""
        producer = self._producer
        assert producer is not None
        while not self._halt.is_set() and len(pending) < 2 * self.options.workers:
            if pending and self._await_first_answer:
                return True  # the first answer says whether the credentials are taken
            if not pending and producer.finished.is_set() and producer.queue.empty():
                return False  # all taken: no need to wait out the timeout below
            try:
                batch = producer.queue.get(timeout=0 if pending else PROGRESS_INTERVAL)
            except queue.Empty:
                return not (producer.finished.is_set() and producer.queue.empty())
            pending.add(pool.submit(self._deliver, job, sender, batch))
        return True

    def _sender(self) -> BatchSender:
        assert self.client_factory is not None
        client = self.client_factory()
        self._pixel_token = client.uses_pixel_token
        return BatchSender(
            client,
            self.options.pixel_id,
            governor=self._governor,
            backoff=self.options.backoff,
            cancel=self._halt,
            resume=self.running,
        )

    def _raise_producer_error(self) -> None:
        producer = self._producer
        if producer is not None:
            producer.finished.wait()
            if producer.error is not None:
                raise producer.error
        if self.cancel.is_set():
            raise Cancelled

    def _plan(self) -> Iterator[UploadProgress]:
        """Dry run: take every batch and record what would be sent."""
        producer = self._producer
        assert producer is not None
        while not (producer.finished.is_set() and producer.queue.empty()):
            try:
                batch = producer.queue.get(timeout=PROGRESS_INTERVAL)
            except queue.Empty:
                continue
            self._planned.append(batch_plan(batch))
            yield self._progress(Phase.PREPARING)
        self._raise_producer_error()

    def _deliver(self, job: JobRecord, sender: BatchSender, batch: ReadyBatch) -> _Delivered | None:
        """Runs in a worker thread: journal, send (with retries and bisection), journal.

        None when the job was halted before this batch started: it stays unsent (pending).
        """
        assert self.journal is not None
        if self._halt.is_set():
            return None
        number, events, flat, total = batch.number, batch.events, batch.journal_rows, batch.total
        self._sent_any = True
        self.journal.batch_in_flight(
            job.id, number, rows=flat, events=total, payload_sha256=batch.digest
        )
        try:
            outcome = sender.send(events, batch.rows, batch.body, batch.positions)
        except StopUpload as stop:
            self._halt.set()  # at once: queued batches must not repeat a 401/403/404
            self.journal.batch_done(
                job.id,
                number,
                status=BatchStatus.FAILED,
                debug_ids=(),
                processed=None,
                error=stop.response.describe(),
                events=total,
                acknowledged=batch.earlier_acknowledged,
                rejected=batch.earlier_rejected,
            )
            raise
        acknowledged = batch.earlier_acknowledged.union(outcome.acknowledged_positions)
        rejected = batch.earlier_rejected.union(outcome.rejected_positions)
        status, error = judge(
            outcome, events=total, acknowledged=len(acknowledged), rejected=len(rejected)
        )
        processed = outcome.processed_total if outcome.acknowledged else None
        self.journal.batch_done(
            job.id,
            number,
            status=status,
            debug_ids=outcome.debug_ids,
            processed=processed,
            error=error,
            events=total,
            acknowledged=acknowledged,
            rejected=rejected,
        )
        for rejection in outcome.rejections:
            self.journal.add_rejected(
                job.id, number, rejection.rows, rejection.code, rejection.message
            )
        log.info("batch %s: %s %s", number, status.value, ", ".join(outcome.debug_ids))
        result = BatchResult(
            number=number,
            rows=compact_rows(flat),
            events=len(events),
            status=status,
            requests=outcome.requests,
            debug_ids=tuple(outcome.debug_ids),
            processed=processed,
            error=error,
        )
        return _Delivered(result, outcome)

    def _collect(self, future: Future[_Delivered | None]) -> BatchResult | None:
        summary = self.summary
        try:
            delivered = future.result()
        except StopUpload as stop:
            if summary.stopped is None:
                summary.stopped = stop_message(
                    stop.response, self.options, pixel_token=self._pixel_token
                )
                log.warning("job stopped: %s", summary.stopped)
            self._halt.set()
            return None
        if delivered is None:
            return None
        result, outcome = delivered
        summary.batches_sent += 1
        self._acknowledged_now += outcome.acknowledged
        self._rejected_now += sum(r.events for r in outcome.rejections)
        self._failed_now += outcome.failed_events
        if outcome.short_processed:
            summary.flagged_batches.append(result.number)
        self._last = result
        return result

    # -- the end ------------------------------------------------------------------------------

    def _close_job(self, job: JobRecord) -> None:
        assert self.journal is not None
        assert self._opened is not None
        records = self.journal.batches(job.id)
        self._final = True
        close_job(
            self.journal,
            job,
            records,
            self.summary,
            before=self._opened.before_resume,
            sent_any=self._sent_any,
            finished=self._producer is not None and self._producer.error is None,
            report_dir=self.options.report_dir,
            preparation=self._preparation,
        )

    def _finish_dry_run(self) -> None:
        directory = dry_run_reports_dir(self.options.report_dir)
        self.summary.reports = write_reports(
            directory, self._planned, self._preparation, None, None
        )

    def _settle_totals(self) -> None:
        """Bring the summary up to date with the producer (it counts while it prepares)."""
        producer, summary = self._producer, self.summary
        if producer is None or self._preparation is None:
            return
        summary.batches_total = producer.batches_total
        summary.events_total = producer.events_total
        summary.batches_skipped = producer.skipped_batches
        if not self._final:
            summary.events_acknowledged = self._acknowledged_now + producer.earlier_acknowledged
            summary.events_rejected = self._rejected_now + producer.earlier_rejected
            summary.events_failed = self._failed_now
        summary.rows_read = self._preparation.summary.rows_read
        summary.rows_rejected = self._preparation.summary.rows_rejected
        summary.rows_left_out = self._preparation.summary.rows_left_out

    def _progress(self, phase: Phase, finished: tuple[BatchResult, ...] = ()) -> UploadProgress:
        self._settle_totals()
        summary = self.summary
        elapsed = time.monotonic() - self._sent_at if self._sent_at else 0.0
        rate = self._acknowledged_now / elapsed if elapsed > 0 else 0.0
        expected = summary.events_total
        producer = self._producer
        if producer is not None and not producer.finished.is_set() and summary.rows_read:
            estimated_rows = self.table.estimated_rows or summary.rows_read
            expected = max(expected, round(expected / summary.rows_read * estimated_rows))
        remaining = expected - summary.events_acknowledged
        remaining -= summary.events_rejected + self._failed_now
        eta = remaining / rate if rate > 0 and phase is Phase.SENDING else None
        return UploadProgress(
            phase=phase,
            rows_read=summary.rows_read,
            rows_estimated=self.table.estimated_rows,
            batches_done=summary.batches_sent + summary.batches_skipped,
            batches_total=summary.batches_total,
            events_total=summary.events_total,
            events_sent=summary.events_acknowledged + summary.events_rejected,
            events_acknowledged=summary.events_acknowledged,
            events_rejected=summary.events_rejected,
            events_failed=self._failed_now,
            rate=rate,
            eta_seconds=eta,
            last_batch=self._last,
            finished_batches=finished,
            waiting_until=self._governor.paused_until(),
        )
