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
    """Where one batch stands; ACKNOWLEDGED and PARTIAL batches are never sent again.

    Of the other ones, a resume sends exactly the events neither acknowledged nor rejected.
    """

    PENDING = "pending"
    IN_FLIGHT = "in_flight"
    ACKNOWLEDGED = "acknowledged"  # all its events accepted, possibly via bisection
    PARTIAL = "partial"  # every event answered: some rejected by X, the rest acknowledged
    FAILED = "failed"  # some events not delivered (retries exhausted, cancelled, stopped)


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
    batches_answered: int = 0  # batches X answered in full (acknowledged or rejected)

    @property
    def nothing_left_to_send(self) -> bool:
        """Every batch of a job whose preparation ended was answered in full by X."""
        if self.status is JobStatus.COMPLETED:
            return True
        # Only a PARTIAL job surely went through the whole file (cancelled and stopped ones
        # record the batches made so far).
        if self.status is not JobStatus.PARTIAL or not self.batches_total:
            return False
        return self.batches_answered == self.batches_total


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
    # Which of its events (0-based positions in the batch, compact ranges such as "0-3,7")
    # X acknowledged and rejected; every other one was not delivered.
    acknowledged_events: str = ""
    rejected_events: str = ""
    events_acknowledged: int = 0
    events_rejected: int = 0

    @property
    def events_not_delivered(self) -> int:
        return self.events - self.events_acknowledged - self.events_rejected

    def answered_positions(self) -> tuple[frozenset[int], frozenset[int]]:
        """The positions X acknowledged, and those it rejected."""
        return (
            frozenset(expand_rows(self.acknowledged_events)),
            frozenset(expand_rows(self.rejected_events)),
        )


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


def compact_positions(positions: Iterable[int], total: int) -> str:
    """Positions in a batch of `total` events as compact ranges; all of them costs nothing."""
    chosen = positions if isinstance(positions, set | frozenset) else set(positions)
    if len(chosen) == total and total:
        return "0" if total == 1 else f"0-{total - 1}"
    return compact_rows(chosen)


def job_fingerprint(
    file_path: Path,
    profile: Mapping[str, Any],
    pixel_id: str,
    event_id: str | None,
    *,
    api_base: str = "",
) -> str:
    """What makes two uploads "the same job": the file's bytes, the mapping, pixel, event and
    API host (a job sent to the Sandbox or a wrong host is not one sent to X).

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
        "api_base": api_base.rstrip("/").lower(),
    }
    canonical = json.dumps(
        identity, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
