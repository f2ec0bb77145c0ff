"""The upload journal's SQLite layout, its migrations, and the file errors users can meet."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from twconv_gui.core.errors import TwconvError
from twconv_gui.core.upload.journal_records import BatchRecord, BatchStatus, JobRecord, JobStatus

SCHEMA_VERSION = 2
# Statements that bring a journal from version N-1 to version N; index 0 creates version 1.
_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE jobs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            fingerprint TEXT NOT NULL,
            file_name TEXT NOT NULL,
            file_path TEXT NOT NULL,
            pixel_id TEXT NOT NULL,
            event_id TEXT,
            api_base TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL,
            batches_total INTEGER NOT NULL,
            events_total INTEGER NOT NULL,
            events_acknowledged INTEGER NOT NULL DEFAULT 0,
            events_rejected INTEGER NOT NULL DEFAULT 0,
            rows_rejected INTEGER NOT NULL DEFAULT 0,
            report_dir TEXT,
            message TEXT)""",
        "CREATE INDEX jobs_by_fingerprint ON jobs (fingerprint, id)",
        """CREATE TABLE batches (
            job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            rows TEXT NOT NULL,
            first_row INTEGER NOT NULL,
            last_row INTEGER NOT NULL,
            events INTEGER NOT NULL,
            payload_sha256 TEXT NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            debug_ids TEXT NOT NULL DEFAULT '[]',
            processed INTEGER,
            error TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (job_id, number))""",
        """CREATE TABLE rejected (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            batch INTEGER NOT NULL,
            rows TEXT NOT NULL,
            code TEXT NOT NULL,
            message TEXT NOT NULL)""",
        "CREATE INDEX rejected_by_job ON rejected (job_id, id)",
    ),
    # Version 2: which events of each batch X acknowledged and rejected (positions in the
    # batch); every other one is owed. Version 1 knew only a batch's status: an acknowledged
    # batch had all its events taken; a partial one is taken as answered in full (its
    # rejections counted from the rejected table), as version 1 treated it.
    (
        "ALTER TABLE batches ADD COLUMN acknowledged_events TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE batches ADD COLUMN rejected_events TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE batches ADD COLUMN events_acknowledged INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE batches ADD COLUMN events_rejected INTEGER NOT NULL DEFAULT 0",
        """UPDATE batches SET events_rejected = min(events, (SELECT count(*) FROM rejected r
            WHERE r.job_id = batches.job_id AND r.batch = batches.number))
            WHERE status = 'partial'""",
        """UPDATE batches SET events_acknowledged = events - events_rejected,
            acknowledged_events = CASE WHEN events > 1 THEN '0-' || (events - 1) ELSE '0' END
            WHERE status IN ('acknowledged', 'partial')""",
    ),
)
JOB_COLUMNS = (
    "id, fingerprint, file_name, file_path, pixel_id, event_id, api_base, started_at,"
    " finished_at, status, batches_total, events_total, events_acknowledged, events_rejected,"
    " rows_rejected, report_dir, message"
)
BATCH_COLUMNS = (
    "job_id, number, rows, first_row, last_row, events, payload_sha256, status, attempts,"
    " debug_ids, processed, error, updated_at, acknowledged_events, rejected_events,"
    " events_acknowledged, events_rejected"
)
# A job's counts of events acknowledged and rejected by X are those of its batch records.
_COUNTED = {
    "events_acknowledged": "(SELECT coalesce(sum(b.events_acknowledged), 0) FROM batches b"
    " WHERE b.job_id = jobs.id)",
    "events_rejected": "(SELECT coalesce(sum(b.events_rejected), 0) FROM batches b"
    " WHERE b.job_id = jobs.id)",
}
_BATCHES_ANSWERED = (
    "(SELECT count(*) FROM batches b WHERE b.job_id = jobs.id"
    " AND b.status IN ('acknowledged', 'partial')) AS batches_answered"
)
_JOB_SELECTED = ", ".join(_COUNTED.get(name, name) for name in JOB_COLUMNS.split(", "))
_JOB_SELECTED += ", " + _BATCHES_ANSWERED
SELECT_JOBS = f"SELECT {_JOB_SELECTED} FROM jobs"  # noqa: S608 - constants, no user input
SELECT_BATCHES = f"SELECT {BATCH_COLUMNS} FROM batches"  # noqa: S608 - constants, no user input


def migrate(db: sqlite3.Connection, path: Path) -> None:
    """Create or upgrade the tables, inside the caller's transaction.

    Raises:
        TwconvError: the journal was written by a newer version of the app.
    """
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise TwconvError(
            f"The upload journal {path} was written by a newer twconv-gui (format {version}). "
            "Install the latest twconv-gui, or set TWCONV_DATA_DIR to another folder to keep "
            "a separate journal."
        )
    for statements in _MIGRATIONS[version:]:
        for statement in statements:
            db.execute(statement)
    if version != SCHEMA_VERSION:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def job_from_row(row: tuple[Any, ...]) -> JobRecord:
    """A JobRecord from a row selected with JOB_COLUMNS."""
    values = dict(zip([*JOB_COLUMNS.split(", "), "batches_answered"], row, strict=True))
    values["started_at"] = datetime.fromisoformat(values["started_at"])
    if values["finished_at"] is not None:
        values["finished_at"] = datetime.fromisoformat(values["finished_at"])
    values["status"] = JobStatus(values["status"])
    return JobRecord(**values)


def batch_from_row(row: tuple[Any, ...]) -> BatchRecord:
    """A BatchRecord from a row selected with BATCH_COLUMNS."""
    values = dict(zip(BATCH_COLUMNS.split(", "), row, strict=True))
    values["status"] = BatchStatus(values["status"])
    values["debug_ids"] = tuple(json.loads(values["debug_ids"]))
    values["updated_at"] = datetime.fromisoformat(values["updated_at"])
    return BatchRecord(**values)


def journal_error(exc: Exception, path: Path) -> TwconvError:
    """A sqlite3 or OS error as a message the user can act on."""
    text = str(exc).lower()
    where = f"The upload journal {path}"
    if "locked" in text or "busy" in text:
        return TwconvError(
            f"{where} is in use by another twconv-gui window or `twconv` command. "
            "Wait for that upload to finish (or close it), then try again."
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return TwconvError(
            f"{where} is damaged ({exc}). Rename or move it aside and try again: a new "
            "journal is created, but earlier uploads can then no longer be resumed."
        )
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return TwconvError(
        f"{where} cannot be opened or written ({reason}). Check the folder's permissions "
        "and free disk space, or set TWCONV_DATA_DIR to a folder you can write to."
    )
