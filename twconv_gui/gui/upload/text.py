"""The upload page's words: progress lines, the final summary, and the journal's offers."""

from __future__ import annotations

import math
import time
from datetime import datetime
from pathlib import Path

from twconv_gui.core.upload.journal import JobRecord
from twconv_gui.core.upload.model import (
    Phase,
    UploadProgress,
    UploadSummary,
    sendable_all_acknowledged,
    summary_lines,
)
from twconv_gui.core.upload.policy import SENT_AGAIN, resend_warning

PROGRESS_STEPS = 1000  # the progress bar's range: tenths of a percent


def when(job: JobRecord) -> str:
    return job.started_at.astimezone().strftime("%Y-%m-%d %H:%M")


def unfinished_message(job: JobRecord) -> str:
    """The resume offer: an earlier run of the same file, mapping and pixel did not finish."""
    return (
        f"An upload of {job.file_name} with this mapping to pixel {job.pixel_id} did not finish "
        f"(job {job.id}, started {when(job)}, {job.status.value}; "
        f"{job.events_acknowledged:,} conversions acknowledged so far).\n\n"
        "Resume sends only the conversions X has not answered yet. Start over sends the whole file "
        "again as a new job: X would count the conversions it already took twice (a "
        "conversion_id only matches a pixel conversion of the same sale within 48 hours, not "
        "a second upload)." + _late(job)
    )


def uploaded_message(job: JobRecord) -> str:
    """The refusal: this very file went to this pixel with this mapping; nothing is owed."""
    if job.events_rejected or job.rows_rejected:
        answered = (
            f"X answered every conversion ({job.events_acknowledged:,} acknowledged, "
            f"{job.events_rejected:,} rejected; {job.rows_rejected:,} rows rejected before "
            "sending, see rejected-rows.csv). To send those, fix the rows and upload them as "
            "a new file."
        )
    else:
        answered = "every conversion was acknowledged."
    return (
        f"{job.file_name} was already uploaded with this mapping to pixel {job.pixel_id} on "
        f"{when(job)} (job {job.id}): {answered} {SENT_AGAIN}" + _late(job)
    )


def _late(job: JobRecord) -> str:
    warning = resend_warning(job)
    return f"\n\n{warning}" if warning else ""


def expected_events(progress: UploadProgress) -> int:
    """Conversions the whole file should make; estimated from the rows read while preparing."""
    expected = progress.events_total
    estimated = progress.rows_estimated
    if estimated and progress.rows_read and progress.rows_read < estimated:
        expected = max(expected, round(progress.events_total / progress.rows_read * estimated))
    return expected


def progress_value(progress: UploadProgress, *, dry_run: bool) -> int | None:
    """The bar's value out of PROGRESS_STEPS, or None while nothing can be estimated."""
    if progress.phase is Phase.FINISHED and (dry_run or not progress.events_total):
        return PROGRESS_STEPS
    if dry_run:
        total, done = progress.rows_estimated or 0, progress.rows_read
    else:
        total = expected_events(progress)
        done = progress.events_sent + progress.events_failed
    if total <= 0:
        return None
    return min(PROGRESS_STEPS, round(done / total * PROGRESS_STEPS))


def describe_eta(seconds: float) -> str:
    if seconds < 60:
        return f"about {max(1, math.ceil(seconds))} s left"
    minutes = math.ceil(seconds / 60)
    if minutes < 60:
        return f"about {minutes} min left"
    return f"about {minutes // 60} h {minutes % 60:02d} min left"


def describe_progress(progress: UploadProgress, *, dry_run: bool, paused: bool) -> str:
    """One line under the progress bar: what is happening, how fast, how long still."""
    if progress.phase is Phase.FINISHED:
        return "Finished."
    if dry_run or (progress.phase is Phase.PREPARING and not progress.events_sent):
        rows = f"{progress.rows_read:,}"
        if progress.rows_estimated:
            rows += f" of about {progress.rows_estimated:,}"
        return f"Preparing: {rows} rows read."
    total = expected_events(progress)
    about = "" if total == progress.events_total else "about "
    parts = [
        f"{progress.events_acknowledged:,} of {about}{total:,} conversions acknowledged",
        f"batch {progress.batches_done:,} of {progress.batches_total:,}",
    ]
    if paused:
        return "Paused (requests already sent finish; nothing new goes out): " + ", ".join(parts)
    parts.append(f"{progress.rate:,.0f} events/s")
    if progress.eta_seconds is not None:
        parts.append(describe_eta(progress.eta_seconds))
    return "Sending: " + " · ".join(parts) + "."


def describe_wait(progress: UploadProgress) -> str:
    """The rate-limit note, or "" when X's rate limit holds nobody."""
    until = progress.waiting_until
    if until is None or until <= time.time():
        return ""
    return f"Waiting for X's rate limit until {datetime.fromtimestamp(until):%H:%M:%S}."


def headline(summary: UploadSummary) -> str:
    if summary.cancelled:
        return "Upload cancelled"
    if summary.stopped:
        return "Upload stopped"
    if summary.dry_run:
        return "Dry run complete"
    if summary.exit_code == 0:
        return "Upload complete"
    if sendable_all_acknowledged(summary):
        return "Upload complete: every sendable conversion acknowledged"
    return "Upload finished with problems"


def describe_summary(summary: UploadSummary) -> list[str]:
    """The final summary in words, one line per fact (the same facts the CLI prints)."""
    return summary_lines(summary, how_to_resume="press Start and choose Resume")


def report_folder(summary: UploadSummary) -> Path | None:
    """Where this upload's reports are (or were to be written)."""
    if summary.reports:
        return summary.reports[0].parent
    if summary.job is not None and summary.job.report_dir:
        return Path(summary.job.report_dir)
    return None
