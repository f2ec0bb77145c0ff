"""The end of an upload job: its counts as the journal has them, its final status, its reports."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from pathlib import Path

from twconv_gui.core import paths
from twconv_gui.core.errors import TwconvError
from twconv_gui.core.prepare.preparation import Preparation
from twconv_gui.core.upload.journal import BatchRecord, JobRecord, JobStatus, Journal
from twconv_gui.core.upload.model import UploadSummary
from twconv_gui.core.upload.reports import write_batch_report, write_upload_rejections


def close_job(
    journal: Journal,
    job: JobRecord,
    records: list[BatchRecord],
    summary: UploadSummary,
    *,
    before: JobRecord | None,
    sent_any: bool,
    finished: bool,
    report_dir: Path | None,
    preparation: Preparation | None,
) -> None:
    """Record how the job ended in the journal and in `summary`, and write its reports.

    Args:
        records: the job's batch records, read from the journal just now.
        before: the job as it was before this run resumed it (None: not a resume).
        sent_any: whether a batch of this run went in flight.
        finished: whether the producer went through the whole file.
        report_dir: where the reports go (None: the job's own folder).
    """
    count_from_records(summary, records)
    if before is not None and not sent_any:
        # A resume that sent nothing (refused, or nothing owed) leaves the job as it was.
        summary.job = journal.restore_job(before)
        return
    if summary.cancelled:
        status = JobStatus.CANCELLED
    elif summary.stopped:
        status = JobStatus.FAILED
    elif summary.events_rejected or summary.events_failed or not finished:
        status = JobStatus.PARTIAL if summary.exit_code else JobStatus.COMPLETED
    else:
        status = JobStatus.COMPLETED  # rows kept back before sending: X took all there was
    directory = report_dir or paths.job_reports_dir(job.id, job.started_at)
    with contextlib.suppress(TwconvError):  # the CLI and GUI say when no report was written
        summary.reports = write_reports(directory, records, preparation, journal, job)
    summary.job = journal.finish_job(
        job.id,
        status=status,
        message=summary.stopped,
        report_dir=str(directory),
        batches_total=summary.batches_total if finished else None,
        events_total=summary.events_total if finished else None,
        rows_rejected=summary.rows_rejected if finished else None,
    )


def count_from_records(summary: UploadSummary, records: list[BatchRecord]) -> None:
    """The summary's counts of events, as the job's batch records have them."""
    summary.events_acknowledged = sum(record.events_acknowledged for record in records)
    summary.events_rejected = sum(record.events_rejected for record in records)
    summary.events_failed = sum(record.events_not_delivered for record in records)


def write_reports(
    directory: Path,
    records: list[BatchRecord],
    preparation: Preparation | None,
    journal: Journal | None,
    job: JobRecord | None,
) -> list[Path]:
    """The batch report and the rejected rows (the preparation's and X's) into `directory`."""
    problems = preparation.summary.problems if preparation else []
    rejected = journal.rejected(job.id) if (journal and job) else []
    written = write_batch_report(records, directory)
    written += write_upload_rejections(problems, rejected, directory)
    return written


def dry_run_reports_dir(report_dir: Path | None) -> Path:
    """Where a dry run's reports go: `report_dir`, or a folder of its own named by the time."""
    now = datetime.now(UTC)
    return report_dir or (paths.data_dir() / "reports" / f"{now:%Y%m%d-%H%M%S}-dry-run")
