"""An upload's reports: every batch as X answered it, and every row not sent or refused by X."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from twconv_gui.core.normalize.problems import Problem, Severity
from twconv_gui.core.prepare.reports import REJECTED_HEADERS, write_report
from twconv_gui.core.upload.journal_records import BatchRecord, RejectedEvent, expand_rows

BATCH_STEM = "batches"
BATCH_HEADERS = (
    "Batch",
    "Source rows",
    "Events",
    "Status",
    "Attempts",
    "Debug id(s)",
    "Processed",
    "Error",
)
REJECTIONS_STEM = "rejected-rows"
# The preparation report's columns first, so both "rejected-rows" files read the same way.
UPLOAD_REJECTED_HEADERS = (*REJECTED_HEADERS, "X code", "X message")


def write_batch_report(batches: Sequence[BatchRecord], directory: Path) -> list[Path]:
    """batches.csv and batches.xlsx: one line per batch, by number; return both paths.

    Raises:
        TwconvError: the folder or a file cannot be written.
    """
    rows = [
        (
            batch.number,
            batch.rows,
            batch.events,
            batch.status.value,
            batch.attempts,
            ", ".join(batch.debug_ids),
            "" if batch.processed is None else batch.processed,
            batch.error or "",
        )
        for batch in sorted(batches, key=lambda b: b.number)
    ]
    return write_report(directory, BATCH_STEM, BATCH_HEADERS, rows)


def _refusal_reason(event: RejectedEvent, rows: Sequence[int]) -> str:
    if len(rows) > 1:
        return (
            f"X refused the conversion made from rows {event.rows} (batch {event.batch}); "
            "see the X code and message"
        )
    return f"X refused this conversion (batch {event.batch}); see the X code and message"


def write_upload_rejections(
    problems: Iterable[Problem], rejected: Iterable[RejectedEvent], directory: Path
) -> list[Path]:
    """rejected-rows.csv and .xlsx: every source row not sent, or sent and refused by X.

    Columns: Source row, Conversion id, Severity, Field, Column, Reason, X code, X message
    (the conversion id of rows kept back before sending; X's refusals are found by row). Preparation
    problems come with their severity (an "error" row was not sent; a "warning" row was sent
    with something dropped or assumed, listed so the user can fix the source) and empty X
    columns. Each source row of an event X refused gets its own line with severity "error"
    and X's code and message. Lines are in row order: errors, then warnings, then X refusals.

    Raises:
        TwconvError: the folder or a file cannot be written.
    """
    keyed: list[tuple[tuple[int, int], Sequence[Any]]] = []
    for problem in problems:
        line = (
            problem.row,
            problem.conversion_id or "",
            problem.severity.value,
            problem.field,
            problem.column or "",
            problem.message,
            "",
            "",
        )
        keyed.append(((problem.row, 0 if problem.is_error else 1), line))
    for event in rejected:
        rows = expand_rows(event.rows)
        reason = _refusal_reason(event, rows)
        for row in rows:
            line = (row, "", Severity.ERROR.value, "", "", reason, event.code, event.message)
            keyed.append(((row, 2), line))
    keyed.sort(key=lambda item: item[0])  # stable: same-row problems keep their order
    return write_report(
        directory, REJECTIONS_STEM, UPLOAD_REJECTED_HEADERS, [line for _, line in keyed]
    )
