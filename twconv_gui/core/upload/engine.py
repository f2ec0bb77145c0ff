"""The upload job: prepare, batch, send concurrently, journal every batch, report the truth."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple, TextIO

from twconv_gui.core import paths
from twconv_gui.core.api.client import ApiClient
from twconv_gui.core.api.throttle import RateGovernor
from twconv_gui.core.batching import batches, check_batch_size
from twconv_gui.core.errors import Cancelled, TwconvError
from twconv_gui.core.mapping import MappingProfile
from twconv_gui.core.prepare import Preparation, PrepareSummary
from twconv_gui.core.reading.table import Table
from twconv_gui.core.upload.journal import (
    BatchRecord,
    BatchStatus,
    JobRecord,
    JobStatus,
    Journal,
    compact_rows,
    job_fingerprint,
)
from twconv_gui.core.upload.model import (
    BatchResult,
    Phase,
    UploadOptions,
    UploadProgress,
    UploadRefused,
    UploadSummary,
    judge,
    stop_message,
)
from twconv_gui.core.upload.reports import write_batch_report, write_upload_rejections
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
        self._governor = RateGovernor(
            events_per_15min=options.events_per_15min, workers=options.workers
        )
        self._preparation: Preparation | None = None
        self._last: BatchResult | None = None
        self._sent_at = 0.0
        self._skipped = 0  # events acknowledged by an earlier run of a resumed job

    # -- the job ------------------------------------------------------------------------------

    def run(self) -> Iterator[UploadProgress]:
        """Prepare, then send; yields progress throughout and finishes with Phase.FINISHED."""
        job: JobRecord | None = None
        fingerprint = "" if self.options.dry_run else self._check_journal()
        spool_dir = paths.data_dir() / "spool"
        spool_dir.mkdir(exist_ok=True)
        # Prepared batches wait on disk, not in memory: memory stays flat for any file size.
        with tempfile.TemporaryFile("w+", encoding="utf-8", dir=spool_dir) as spool:
            try:
                yield from self._prepare_into(spool)
                if self.options.dry_run:
                    self._finish_dry_run(spool)
                else:
                    job = self._open_job(fingerprint)
                    yield from self._send_all(job, spool)
            except Cancelled:
                self.summary.cancelled = True
            finally:
                self._halt.set()
                if job is not None:
                    self._close_job(job)
        yield self._progress(Phase.FINISHED)

    def _check_journal(self) -> str:
        assert self.journal is not None
        options = self.options
        fingerprint = job_fingerprint(
            self.table.path, self.profile.to_dict(), options.pixel_id, options.event_id
        )
        previous = self.journal.latest_job(fingerprint)
        name = self.table.path.name
        if options.force or previous is None:
            if options.resume and previous is None:
                raise UploadRefused(
                    f"There is no earlier upload of {name} with this mapping and pixel to "
                    "resume. Start it without --resume."
                )
            return fingerprint
        when = previous.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
        if previous.status is JobStatus.COMPLETED:
            raise UploadRefused(
                f"{name} was already uploaded with this mapping to pixel {options.pixel_id} on "
                f"{when} (job {previous.id}): every event was acknowledged. Sending it again "
                "would count the sales twice unless they carry a conversion_id. Use --force "
                "to send it anyway."
            )
        if not options.resume:
            raise UploadRefused(
                f"An upload of {name} with this mapping to pixel {options.pixel_id} did not "
                f"finish (job {previous.id}, started {when}, {previous.status.value}). Use "
                "--resume to send only what was not acknowledged, or --force to start over."
            )
        return fingerprint

    def _prepare_into(self, spool: TextIO) -> Iterator[UploadProgress]:
        preparation = Preparation(
            self.table, self.profile, event_id_override=self.options.event_id, cancel=self.cancel
        )
        self._preparation = preparation
        yield self._progress(Phase.PREPARING)
        for batch in batches(preparation, self.options.batch_size):
            line = {"number": batch.number, "rows": batch.rows, "events": batch.events}
            spool.write(json.dumps(line, separators=(",", ":")) + "\n")
            self.summary.batches_total = batch.number
            self.summary.events_total += len(batch.events)
            yield self._progress(Phase.PREPARING)
        spool.flush()
        prepared = preparation.summary
        self.summary.rows_read = prepared.rows_read
        self.summary.rows_rejected = prepared.rows_rejected

    def _open_job(self, fingerprint: str) -> JobRecord:
        assert self.journal is not None
        options, summary = self.options, self.summary
        if options.resume and not options.force:
            previous = self.journal.latest_job(fingerprint)
            assert previous is not None
            if previous.batches_total != summary.batches_total:
                raise UploadRefused(
                    f"The earlier run cut {self.table.path.name} into {previous.batches_total} "
                    f"batches, this one into {summary.batches_total}: resume with the same "
                    "--batch-size as the first run."
                )
            job = self.journal.resume_job(previous.id)
        else:
            job = self.journal.start_job(
                fingerprint=fingerprint,
                file_name=self.table.path.name,
                file_path=str(self.table.path),
                pixel_id=options.pixel_id,
                event_id=options.event_id,
                api_base=self.api_base,
                batches_total=summary.batches_total,
                events_total=summary.events_total,
                rows_rejected=summary.rows_rejected,
                report_dir=str(options.report_dir) if options.report_dir else None,
            )
        summary.job = job
        log.info(
            "job %s: %s batches, %s events to pixel %s (%s)",
            job.id,
            summary.batches_total,
            summary.events_total,
            options.pixel_id,
            "resumed" if options.resume else "new",
        )
        return job

    def _send_all(self, job: JobRecord, spool: TextIO) -> Iterator[UploadProgress]:
        assert self.journal is not None
        assert self.client_factory is not None
        summary, workers = self.summary, self.options.workers
        done = self.journal.acknowledged(job.id)
        for record in self.journal.batches(job.id):
            if record.number in done:
                summary.batches_skipped += 1
                summary.events_acknowledged += record.events
                self._skipped += record.events
        client = self.client_factory()
        sender = BatchSender(
            client,
            self.options.pixel_id,
            governor=self._governor,
            backoff=self.options.backoff,
            cancel=self._halt,
            resume=self.running,
        )
        self._sent_at = time.monotonic()
        spool.seek(0)
        lines = iter(spool)
        try:
            with ThreadPoolExecutor(workers, thread_name_prefix="twconv-upload") as pool:
                pending: set[Future[_Delivered]] = set()
                while True:
                    if self.cancel.is_set():
                        self._halt.set()
                    while not self._halt.is_set() and len(pending) < 2 * workers:
                        line = next(lines, None)
                        if line is None:
                            break
                        item = json.loads(line)
                        if item["number"] not in done:
                            pending.add(pool.submit(self._deliver, job, sender, item))
                    if not pending:
                        break
                    finished, pending = wait(
                        pending, timeout=PROGRESS_INTERVAL, return_when=FIRST_COMPLETED
                    )
                    results = [r for r in map(self._collect, finished) if r is not None]
                    yield self._progress(Phase.SENDING, tuple(results))
        finally:
            client.close()
        if self.cancel.is_set():
            raise Cancelled

    def _deliver(self, job: JobRecord, sender: BatchSender, item: dict[str, Any]) -> _Delivered:
        """Runs in a worker thread: journal, send (with retries and bisection), journal."""
        assert self.journal is not None
        number, events = item["number"], item["events"]
        rows = [tuple(group) for group in item["rows"]]
        flat = [row for group in rows for row in group]
        digest = hashlib.sha256(
            json.dumps(events, sort_keys=True, separators=(",", ":")).encode()
        ).hexdigest()
        self.journal.batch_in_flight(
            job.id, number, rows=flat, events=len(events), payload_sha256=digest
        )
        try:
            outcome = sender.send(events, rows)
        except StopUpload as stop:
            self.journal.batch_done(
                job.id,
                number,
                status=BatchStatus.FAILED,
                debug_ids=(),
                processed=None,
                error=stop.response.describe(),
            )
            raise
        status, error = judge(outcome, len(events))
        processed = outcome.processed_total if outcome.acknowledged else None
        self.journal.batch_done(
            job.id,
            number,
            status=status,
            debug_ids=outcome.debug_ids,
            processed=processed,
            error=error,
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

    def _collect(self, future: Future[_Delivered]) -> BatchResult | None:
        summary = self.summary
        try:
            result, outcome = future.result()
        except StopUpload as stop:
            if summary.stopped is None:
                summary.stopped = stop_message(stop.response, self.options)
                log.warning("job stopped: %s", summary.stopped)
            self._halt.set()
            return None
        summary.batches_sent += 1
        summary.events_acknowledged += outcome.acknowledged
        summary.events_rejected += sum(r.events for r in outcome.rejections)
        summary.events_failed += outcome.failed_events
        if outcome.short_processed:
            summary.flagged_batches.append(result.number)
        self._last = result
        return result

    # -- the end ------------------------------------------------------------------------------

    def _close_job(self, job: JobRecord) -> None:
        assert self.journal is not None
        summary = self.summary
        if summary.cancelled:
            status = JobStatus.CANCELLED
        elif summary.stopped:
            status = JobStatus.FAILED
        elif summary.exit_code:
            status = JobStatus.PARTIAL
        else:
            status = JobStatus.COMPLETED
        directory = self.options.report_dir or paths.job_reports_dir(job.id, job.started_at)
        with contextlib.suppress(TwconvError):  # a report that cannot be written is said below
            summary.reports = self._write_reports(directory, self.journal.batches(job.id), job)
        summary.job = self.journal.finish_job(
            job.id,
            status=status,
            events_acknowledged=summary.events_acknowledged,
            events_rejected=summary.events_rejected,
            message=summary.stopped,
            report_dir=str(directory),
        )

    def _write_reports(
        self, directory: Path, records: list[BatchRecord], job: JobRecord | None
    ) -> list[Path]:
        problems = self._preparation.summary.problems if self._preparation else []
        rejected = self.journal.rejected(job.id) if (self.journal and job) else []
        written = write_batch_report(records, directory)
        written += write_upload_rejections(problems, rejected, directory)
        return written

    def _finish_dry_run(self, spool: TextIO) -> None:
        spool.seek(0)
        now = datetime.now(UTC)
        records = []
        for line in spool:
            item = json.loads(line)
            flat = [row for group in item["rows"] for row in group]
            records.append(
                BatchRecord(
                    job_id=0,
                    number=item["number"],
                    rows=compact_rows(flat),
                    first_row=flat[0],
                    last_row=max(flat),
                    events=len(item["events"]),
                    payload_sha256="",
                    status=BatchStatus.PENDING,
                    attempts=0,
                    debug_ids=(),
                    processed=None,
                    error="dry run: not sent",
                    updated_at=now,
                )
            )
        directory = self.options.report_dir or (
            paths.data_dir() / "reports" / f"{now:%Y%m%d-%H%M%S}-dry-run"
        )
        self.summary.reports = self._write_reports(directory, records, None)

    def _progress(self, phase: Phase, finished: tuple[BatchResult, ...] = ()) -> UploadProgress:
        summary = self.summary
        prepared = self._preparation.summary if self._preparation else PrepareSummary()
        elapsed = time.monotonic() - self._sent_at if self._sent_at else 0.0
        fresh = summary.events_acknowledged - self._skipped
        rate = fresh / elapsed if elapsed > 0 else 0.0
        remaining = summary.events_total - summary.events_acknowledged
        remaining -= summary.events_rejected + summary.events_failed
        eta = remaining / rate if rate > 0 and phase is Phase.SENDING else None
        return UploadProgress(
            phase=phase,
            rows_read=prepared.rows_read,
            rows_estimated=self.table.estimated_rows,
            batches_done=summary.batches_sent + summary.batches_skipped,
            batches_total=summary.batches_total,
            events_total=summary.events_total,
            events_sent=summary.events_acknowledged + summary.events_rejected,
            events_acknowledged=summary.events_acknowledged,
            events_rejected=summary.events_rejected,
            events_failed=summary.events_failed,
            rate=rate,
            eta_seconds=eta,
            last_batch=self._last,
            finished_batches=finished,
            waiting_until=self._governor.paused_until(),
        )
