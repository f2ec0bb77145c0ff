"""`twconv upload` and `history` once their options are read: send, report, look back."""

from __future__ import annotations

import argparse
import dataclasses
import json
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any, TextIO

from twconv_gui.cli.connection import api_settings, chosen_profile
from twconv_gui.core import paths
from twconv_gui.core.account.ad_accounts import unknown_event_ids, unknown_events_message
from twconv_gui.core.account.profiles import ProfileStore, resolve_credentials
from twconv_gui.core.api.client import ApiClient
from twconv_gui.core.api.pixel_token import PixelToken
from twconv_gui.core.errors import TwconvError
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.prepare.event_ids import event_ids_in_column
from twconv_gui.core.reading.table import Table
from twconv_gui.core.upload.engine import Upload
from twconv_gui.core.upload.journal import Journal
from twconv_gui.core.upload.model import (
    Phase,
    UploadOptions,
    UploadProgress,
    UploadSummary,
    duplicate_risk,
    summary_lines,
)
from twconv_gui.core.upload.policy import earlier_job, resend_warning
from twconv_gui.terminal import format_table, is_tty


def _check_event_column(
    table: Table, profile: MappingProfile, client: ApiClient, account_id: str
) -> None:
    """Event ids read from a column are checked against the account's events before anything
    is sent: a wrong one would otherwise stop the job with a 404 half-way."""
    found = event_ids_in_column(table, profile)
    if not found:
        return
    column = profile.columns["event_id"]
    if not account_id:
        print(
            f'Note: the event ids in column "{column}" are not checked against your ad '
            "account before sending (the profile names no account: `twconv credentials set "
            "--account-id A`).",
            file=sys.stderr,
        )
        return
    unknown = unknown_event_ids(client, account_id, found)
    if unknown:
        raise TwconvError(
            unknown_events_message(
                column, account_id, found, unknown, where_listed="`twconv events`"
            )
        )


def run_upload(args: argparse.Namespace, out: TextIO, profile: MappingProfile, table: Table) -> int:
    """The upload, once the mapping is loaded and the file opened (cli.upload does that)."""
    store = ProfileStore()
    sign_in = chosen_profile(args, store)
    pixel_id = (args.pixel_id or (sign_in.settings.pixel_id if sign_in else "")).strip()
    if not pixel_id:
        raise TwconvError(
            "Give the pixel (event source) id with --pixel-id P, or save it in the sign-in "
            "profile with `twconv credentials set --pixel-id P`."
        )
    event_id = args.event_id
    if not event_id and sign_in and "event_id" not in {*profile.columns, *profile.constants}:
        event_id = sign_in.settings.event_id or None
    options = UploadOptions(
        pixel_id=pixel_id,
        event_id=event_id,
        workers=args.workers,
        batch_size=args.batch_size,
        dry_run=args.dry_run,
        resume=args.resume,
        force=args.force,
        report_dir=args.report_dir,
        events_per_15min=args.max_events_per_15min,
    )
    risk = None if args.dry_run else duplicate_risk(profile.columns, profile.constants)
    if risk:
        print(f"Note: {risk}", file=sys.stderr)
    settings = api_settings(args, sign_in)
    credentials = None if args.dry_run else resolve_credentials(args.profile, store=store)[0]
    if isinstance(credentials, PixelToken):
        # X checks a pixel token only by answering a conversions request: the first batch
        # holds one sale, so a refused token has one sale at stake, not 500.
        options = dataclasses.replace(options, first_batch_size=1)
    if credentials is not None and not isinstance(credentials, PixelToken):
        account_id = sign_in.settings.account_id if sign_in else ""
        _check_event_column(table, profile, ApiClient(credentials, settings), account_id)
    journal = None if args.dry_run else Journal(paths.journal_path())
    if journal is not None and (args.resume or args.force):
        earlier = earlier_job(journal, table, profile, options, settings.base_url)
        warning = resend_warning(earlier)
        if warning:
            print(f"Warning: {warning}", file=sys.stderr)
    try:
        upload = Upload(
            table,
            profile,
            options,
            client_factory=(lambda: ApiClient(credentials, settings)) if credentials else None,
            journal=journal,
            api_base=settings.base_url,
        )
        progress = upload.run()
        try:
            with _ctrl_c_cancels(upload.cancel):
                _render(progress, out, quiet=args.json, cancel=upload.cancel)
        finally:
            progress.close()  # a second Ctrl-C: the job is still recorded, journal open
    finally:
        if journal is not None:
            journal.close()
    summary = upload.summary
    if args.json:
        json.dump(summary_dict(summary), out, indent=2)
        out.write("\n")
    else:
        _print_summary(summary, out)
    return summary.exit_code


class _ctrl_c_cancels:  # noqa: N801 - reads as a phrase at the with statement
    """First Ctrl-C asks the upload to stop cleanly; a second one stops at once."""

    def __init__(self, cancel: threading.Event) -> None:
        self.cancel = cancel
        self.previous: Any = None

    def __enter__(self) -> None:
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, self._handle)

    def _handle(self, _signum: int, _frame: FrameType | None) -> None:
        print(
            "\nStopping after the requests in flight (Ctrl-C again to quit now)…", file=sys.stderr
        )
        self.cancel.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    def __exit__(self, *exc: object) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)


def _render(
    progress: Iterator[UploadProgress], out: TextIO, *, quiet: bool, cancel: threading.Event
) -> None:
    """One line per batch with its debug_id (or error); a live bar on a terminal.

    When what reads the output goes away (`twconv upload ... | head`), the upload stops as
    after a Ctrl-C, so the job ends recorded and resumable; nothing more is written.
    """
    bar = None
    if is_tty(sys.stderr):
        from tqdm import tqdm  # noqa: PLC0415 - only for terminals

        bar = tqdm(total=0, unit=" batches", file=sys.stderr, leave=False, dynamic_ncols=True)
    try:
        for item in progress:
            if bar is not None:
                bar.total = item.batches_total
                bar.n = item.batches_done
                bar.set_description(_phase_label(item))
                bar.refresh()
            for batch in () if quiet else item.finished_batches:
                line = f"batch {batch.number}/{item.batches_total}  rows {batch.rows}  "
                line += f"{batch.events} events  {batch.status.value}"
                if batch.debug_ids:
                    line += f"  debug_id {' '.join(batch.debug_ids)}"
                if batch.error:
                    line += f"  — {batch.error}"
                try:
                    if bar is not None:
                        bar.write(line, file=out)
                    else:
                        out.write(line + "\n")
                        out.flush()
                except BrokenPipeError:
                    cancel.set()
                    quiet = True
                    break
    finally:
        if bar is not None:
            bar.close()


def _phase_label(item: UploadProgress) -> str:
    if item.phase is Phase.PREPARING:
        return f"Preparing ({item.rows_read:,} rows)"
    if item.waiting_until:
        return "Waiting for X's rate limit"
    eta = f", ETA {item.eta_seconds:.0f} s" if item.eta_seconds is not None else ""
    return f"Sending ({item.rate:,.0f} events/s{eta})"


def _print_summary(summary: UploadSummary, out: TextIO) -> None:
    for line in summary_lines(summary, how_to_resume="run the same command with --resume"):
        out.write(line + "\n")
    for path in summary.reports:
        out.write(f"Report: {path}\n")


def summary_dict(summary: UploadSummary) -> dict[str, Any]:
    return {
        "job_id": summary.job.id if summary.job else None,
        "status": summary.job.status.value
        if summary.job
        else ("dry-run" if summary.dry_run else None),
        "rows_read": summary.rows_read,
        "rows_rejected": summary.rows_rejected,
        "rows_left_out": summary.rows_left_out,
        "events_total": summary.events_total,
        "events_acknowledged": summary.events_acknowledged,
        "events_rejected": summary.events_rejected,
        "events_failed": summary.events_failed,
        "batches_total": summary.batches_total,
        "batches_sent": summary.batches_sent,
        "batches_skipped": summary.batches_skipped,
        "flagged_batches": summary.flagged_batches,
        "stopped": summary.stopped,
        "cancelled": summary.cancelled,
        "reports": [str(p) for p in summary.reports],
        "exit_code": summary.exit_code,
    }


def run_history(args: argparse.Namespace, out: TextIO) -> int:
    with Journal(paths.journal_path()) as journal:
        jobs = journal.jobs(limit=args.limit)
    if args.json:
        rows = [
            {
                "id": job.id,
                "started_at": job.started_at.isoformat(),
                "finished_at": job.finished_at.isoformat() if job.finished_at else None,
                "file": job.file_name,
                "pixel_id": job.pixel_id,
                "status": job.status.value,
                "events_total": job.events_total,
                "events_acknowledged": job.events_acknowledged,
                "events_rejected": job.events_rejected,
                "rows_rejected": job.rows_rejected,
                "report_dir": job.report_dir,
                "message": job.message,
            }
            for job in jobs
        ]
        json.dump(rows, out, indent=2)
        out.write("\n")
        return 0
    if not jobs:
        out.write("No uploads yet.\n")
        return 0
    table = [
        (
            job.id,
            job.started_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            job.file_name,
            job.pixel_id,
            job.status.value,
            f"{job.events_acknowledged:,}/{job.events_total:,}",
            job.events_rejected + job.rows_rejected,
            job.report_dir or "",
        )
        for job in jobs
    ]
    headers = ("Job", "Started", "File", "Pixel", "Status", "Acknowledged", "Rejected", "Reports")
    out.write(format_table(headers, table) + "\n")
    return 0
