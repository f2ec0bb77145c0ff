"""What an upload is asked to do and what it reports: options, progress, summary, verdicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from twconv_gui.core.api.auth import refused_message
from twconv_gui.core.api.throttle import Backoff
from twconv_gui.core.errors import TwconvError
from twconv_gui.core.upload import DEFAULT_WORKERS
from twconv_gui.core.upload.journal import BatchStatus, JobRecord
from twconv_gui.core.upload.sender import SendOutcome


class Phase(StrEnum):
    PREPARING = "preparing"
    SENDING = "sending"
    FINISHED = "finished"


@dataclass(frozen=True)
class UploadOptions:
    """What the user chose for one upload (CLI flags, GUI upload page)."""

    pixel_id: str
    event_id: str | None = None
    workers: int = DEFAULT_WORKERS
    batch_size: int = 500
    # A smaller first batch: with a pixel token X checks the token on the first request only.
    first_batch_size: int | None = None
    dry_run: bool = False
    resume: bool = False
    force: bool = False
    report_dir: Path | None = None
    events_per_15min: int | None = None
    backoff: Backoff = field(default_factory=Backoff)
    program: str = "twconv"  # who sends, as a second program trying the same job is told


@dataclass(frozen=True)
class BatchResult:
    """One batch as the live table shows it."""

    number: int
    rows: str
    events: int
    status: BatchStatus
    requests: int
    debug_ids: tuple[str, ...]
    processed: int | None
    error: str | None


@dataclass(frozen=True)
class UploadProgress:
    """A snapshot for progress bars and live tables; cheap to make, made often."""

    phase: Phase
    rows_read: int
    rows_estimated: int | None
    batches_done: int
    batches_total: int
    events_total: int
    events_sent: int
    events_acknowledged: int
    events_rejected: int
    events_failed: int
    rate: float  # events acknowledged per second while sending
    eta_seconds: float | None
    last_batch: BatchResult | None = None
    finished_batches: tuple[BatchResult, ...] = ()  # every batch finished since the last snapshot
    waiting_until: float | None = None  # epoch seconds, while the rate limit holds everyone


@dataclass
class UploadSummary:
    """The truth about an upload, for the final screen, the CLI summary and --json."""

    job: JobRecord | None = None
    rows_read: int = 0
    rows_rejected: int = 0
    rows_left_out: int = 0  # not sales: left out by the mapping's filters or refunded in full
    events_total: int = 0
    events_acknowledged: int = 0
    events_rejected: int = 0
    events_failed: int = 0
    batches_total: int = 0
    batches_sent: int = 0
    batches_skipped: int = 0  # acknowledged by an earlier run (resume)
    flagged_batches: list[int] = field(default_factory=list)
    reports: list[Path] = field(default_factory=list)
    stopped: str | None = None  # why the job stopped early (401/403/404)
    cancelled: bool = False
    dry_run: bool = False

    @property
    def exit_code(self) -> int:
        if self.cancelled:
            return 130
        if self.stopped:
            return 2
        failed = self.rows_rejected or self.events_rejected or self.events_failed
        return 1 if failed else 0


class UploadRefused(TwconvError):  # noqa: N818 - refused is the message, not a bug
    """The journal says this upload should not start as asked (done already, or unfinished)."""


def judge(
    outcome: SendOutcome, *, events: int, acknowledged: int, rejected: int
) -> tuple[BatchStatus, str | None]:
    """A batch's journal status and the error text its report line shows.

    Args:
        outcome: what this run's requests for the batch did.
        events: the events of the whole batch.
        acknowledged: its events X acknowledged, this run and earlier ones.
        rejected: its events X rejected, this run and earlier ones.
    """
    owed = events - acknowledged - rejected
    notes = []
    if rejected:
        codes = sorted({r.code for r in outcome.rejections})
        how = f" ({', '.join(codes)})" if codes else ""
        notes.append(f"{rejected} of {events} events rejected by X{how}")
    if owed:
        reason = "cancelled before X answered" if outcome.cancelled else outcome.error
        reason = reason or "not sent"
        notes.append(f"{owed} of {events} events not delivered ({reason}); sent on resume")
    if outcome.short_processed:
        notes.append(
            f"X processed {outcome.processed_total} of {outcome.acknowledged} conversions sent"
        )
    error = "; ".join(notes) or None
    if owed:
        return BatchStatus.FAILED, error
    if rejected:
        return BatchStatus.PARTIAL, error
    return BatchStatus.ACKNOWLEDGED, error


def duplicate_risk(columns: object, constants: object) -> str | None:
    """What to say before sending when no conversion_id is mapped (None when one is)."""
    if "conversion_id" in columns or "conversion_id" in constants:  # type: ignore[operator]
        return None
    return (
        "No column is mapped to conversion_id. If a request times out or the upload is "
        "interrupted (a crash, a closed laptop) and then resumed, the conversions that were on "
        "their way may reach X twice and be counted twice. Mapping the order or transaction "
        "id to conversion_id gives each sale its own id (X uses it to match a sale its pixel "
        "saw too, within 48 hours)."
    )


def stop_message(response: Any, options: UploadOptions, *, pixel_token: bool = False) -> str:
    """Why the job stopped, in words that say what to check (for a pixel token: that X
    refused the token or it belongs to another pixel, and where to get the right one)."""
    detail = response.describe()
    if response.status in (401, 403):
        return refused_message(
            response.status, detail, pixel_token=pixel_token, pixel_id=options.pixel_id
        )
    event = f" and the event id ({options.event_id})" if options.event_id else " and event ids"
    return (
        f"X did not find what was asked for ({detail}). Check the pixel id "
        f"({options.pixel_id}){event} in X Ads Events Manager."
    )


def summary_lines(summary: UploadSummary, *, how_to_resume: str) -> list[str]:
    """The summary in words, one fact a line, for the CLI and the window alike.

    Args:
        summary: the finished upload.
        how_to_resume: what this front end tells users to do to send the rest, e.g.
            "run the same command with --resume" or "press Start and choose Resume".
    """
    lines: list[str] = []
    if summary.dry_run:
        lines.append(
            f"Dry run: {summary.events_total:,} conversions in {summary.batches_total:,} batches "
            "would be sent. Nothing was sent."
        )
    elif sendable_all_acknowledged(summary) and summary.rows_rejected:
        # Everything that could be sent went through: not a partial upload, and the rows
        # kept back before sending are a different matter from conversions X refused.
        rows = summary.rows_rejected
        lines.append(
            f"All {summary.events_total:,} sendable conversions acknowledged by X; "
            f"{rows:,} row{' was' if rows == 1 else 's were'} not sendable — see "
            f"{_rejections_report(summary)}."
        )
    else:
        line = (
            f"Acknowledged by X: {summary.events_acknowledged:,} of {summary.events_total:,} "
            f"conversions in {summary.batches_total:,} batches"
        )
        if summary.batches_skipped:
            line += f" ({summary.batches_skipped:,} batches acknowledged by the earlier run)"
        lines.append(line + ".")
    if summary.events_rejected:
        lines.append(f"Rejected by X: {_count(summary.events_rejected)} (see rejected-rows.csv).")
    if summary.events_failed:
        lines.append(
            f"Not delivered (see the batch report for why): {_count(summary.events_failed)}; "
            f"{how_to_resume} to send them."
        )
    if summary.rows_rejected and (summary.dry_run or not sendable_all_acknowledged(summary)):
        lines.append(
            f"Rows rejected before sending: {summary.rows_rejected:,} (see rejected-rows.csv)."
        )
    if summary.rows_left_out:
        lines.append(
            f"Rows left out as no sale (filters, full refunds): {summary.rows_left_out:,}."
        )
    if summary.flagged_batches:
        listed = ", ".join(map(str, summary.flagged_batches))
        lines.append(f"X processed fewer conversions than were sent in batch(es) {listed}.")
    if summary.stopped:
        lines.append(f"Stopped: {summary.stopped}")
    if summary.cancelled:
        lines.append(f"Cancelled: {how_to_resume} to send the rest.")
    if summary.job is not None:
        lines.append(f"Job {summary.job.id} in the journal ({summary.job.status.value}).")
    return lines


def sendable_all_acknowledged(summary: UploadSummary) -> bool:
    """Every conversion that could be sent was acknowledged by X (rows may have been kept
    back before sending): a complete upload, not a partial one."""
    return (
        not summary.dry_run
        and not summary.stopped
        and not summary.cancelled
        and not summary.events_rejected
        and not summary.events_failed
        and summary.events_acknowledged == summary.events_total
    )


def _rejections_report(summary: UploadSummary) -> str:
    """The name of the rejected-rows workbook written for this upload (the file users open)."""
    names = [p.name for p in summary.reports if p.stem.startswith("rejected-rows")]
    xlsx = [name for name in names if name.endswith(".xlsx")]
    return (xlsx or names or ["rejected-rows.xlsx"])[0]


def _count(events: int) -> str:
    return f"{events:,} conversion{'' if events == 1 else 's'}"
