"""What the upload journal records: job and batch statuses, records, row ranges, fingerprints."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from itertools import groupby
from pathlib import Path
from typing import Any

from twconv_gui.core.errors import TwconvError

_BLOCK = 1024 * 1024


class JobStatus(StrEnum):
    """Where an upload job stands."""

    RUNNING = "running"
    COMPLETED = "completed"
    PARTIAL = "partial"  # some rows or batches failed or were rejected
    FAILED = "failed"  # stopped by an auth/access error or a crash
    CANCELLED = "cancelled"
    DRY_RUN = "dry-run"  # nothing was sent


class BatchStatus(StrEnum):
    """Where one batch stands; ACKNOWLEDGED and PARTIAL batches are never sent again."""

    PENDING = "pending"
    IN_FLIGHT = "in_flight"
    ACKNOWLEDGED = "acknowledged"  # all its events accepted, possibly via bisection
    PARTIAL = "partial"  # bisection: some events rejected by X, the rest acknowledged
    FAILED = "failed"  # retries exhausted, or the job stopped


SENT_FOR_GOOD = (BatchStatus.ACKNOWLEDGED, BatchStatus.PARTIAL)  # never to be sent again


@dataclass(frozen=True)
class JobRecord:
    """One upload job: a file sent to one pixel with one mapping, and how it went."""

    id: int
    fingerprint: str
    file_name: str
    file_path: str
    pixel_id: str
    event_id: str | None
    api_base: str
    started_at: datetime
    finished_at: datetime | None
    status: JobStatus
    batches_total: int
    events_total: int
    events_acknowledged: int
    events_rejected: int
    rows_rejected: int
    report_dir: str | None
    message: str | None


@dataclass(frozen=True)
class BatchRecord:
    """One batch of a job: its source rows (e.g. "2-250,252-503"), attempts and outcome."""

    job_id: int
    number: int
    rows: str
    first_row: int
    last_row: int
    events: int
    payload_sha256: str
    status: BatchStatus
    attempts: int
    debug_ids: tuple[str, ...]
    processed: int | None
    error: str | None
    updated_at: datetime


@dataclass(frozen=True)
class RejectedEvent:
    """An event X refused, pinned down by bisection, with the source rows it came from."""

    job_id: int
    batch: int
    rows: str
    code: str
    message: str


def compact_rows(rows: Iterable[int]) -> str:
    """Row numbers as compact ranges: [2, 3, 4, 7] → "2-4,7" (sorted, duplicates dropped)."""
    ordered = sorted(set(rows))
    if ordered and ordered[0] < 0:
        raise ValueError(f"row numbers cannot be negative: {ordered[0]}")
    parts: list[str] = []
    # Consecutive rows share the same (row - position): each group is one range.
    for _, run in groupby(enumerate(ordered), key=lambda item: item[1] - item[0]):
        values = [row for _, row in run]
        parts.append(str(values[0]) if len(values) == 1 else f"{values[0]}-{values[-1]}")
    return ",".join(parts)


def expand_rows(text: str) -> list[int]:
    """The row numbers of compact ranges: "2-4,7" → [2, 3, 4, 7] (sorted, no duplicates)."""
    rows: set[int] = set()
    for raw_part in text.split(","):
        part = raw_part.strip()
        if not part:
            continue
        low, dash, high = part.partition("-")
        try:
            first = int(low)
            last = int(high) if dash else first
        except ValueError:
            raise ValueError(f"not a row range: {part!r}") from None
        if first < 0 or last < first:
            raise ValueError(f"not a row range: {part!r}")
        rows.update(range(first, last + 1))
    return sorted(rows)


def job_fingerprint(
    file_path: Path, profile: Mapping[str, Any], pixel_id: str, event_id: str | None
) -> str:
    """What makes two uploads "the same job": the file's bytes, the mapping, pixel and event.

    Raises:
        TwconvError: the file cannot be read.
    """
    content = hashlib.sha256()
    try:
        with Path(file_path).open("rb") as handle:
            while block := handle.read(_BLOCK):
                content.update(block)
    except OSError as exc:
        raise TwconvError(f"Cannot read {file_path}: {exc.strerror or exc}.") from None
    identity = {
        "file_sha256": content.hexdigest(),
        "profile": profile,
        "pixel_id": pixel_id,
        "event_id": event_id,
    }
    canonical = json.dumps(
        identity, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
