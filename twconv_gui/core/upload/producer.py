"""Preparing the export in a thread and handing batches to the senders as they are ready."""

from __future__ import annotations

import hashlib
import queue
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime

from twconv_gui.core.payload import join_conversions
from twconv_gui.core.prepare.batching import batches
from twconv_gui.core.prepare.preparation import Preparation
from twconv_gui.core.upload.journal_records import (
    SENT_FOR_GOOD,
    BatchRecord,
    BatchStatus,
    compact_rows,
)
from twconv_gui.core.upload.model import UploadRefused

_NONE: frozenset[int] = frozenset()

PUT_WAIT = 0.2  # seconds between checks of the halt flag while the queue is full


@dataclass(frozen=True)
class ReadyBatch:
    """A prepared batch on its way to a sender; `digest` identifies the whole batch's payload.

    On a resume only the events an earlier run did not deliver are sent: `positions` are their
    places in the whole batch, `total` its size, and `earlier_acknowledged` and
    `earlier_rejected` what X answered before.
    """

    number: int
    events: tuple[bytes, ...]  # each conversion as the compact JSON that is sent
    rows: tuple[tuple[int, ...], ...]
    body: bytes  # the request body, joined once
    digest: str
    positions: Sequence[int] = ()
    total: int = 0
    batch_rows: tuple[int, ...] = ()  # the whole batch's source rows, when only some are sent
    earlier_acknowledged: frozenset[int] = _NONE
    earlier_rejected: frozenset[int] = _NONE

    @property
    def flat_rows(self) -> list[int]:
        return [row for group in self.rows for row in group]

    @property
    def journal_rows(self) -> list[int]:
        return list(self.batch_rows) if self.batch_rows else self.flat_rows


def payload_digest(body: bytes) -> str:
    """SHA-256 of the body as sent: the journal keeps it to recognise the batch on resume."""
    return hashlib.sha256(body).hexdigest()


class BatchProducer:
    """Runs the preparation in its own thread, so sending starts with the first full batch.

    At most `queue_size` batches wait in memory, so memory stays flat whatever the file size.
    Batches an earlier run of the job recorded (`earlier`: number → record) are checked to be
    the same; those X answered in full are not queued, the others only with the events X did
    not answer. `finished` is set when the producer stops; `complete` when it went through the
    whole file; `error` holds what stopped it early (Cancelled, ReadError, UploadRefused...).
    """

    def __init__(
        self,
        preparation: Preparation,
        batch_size: int,
        *,
        earlier: Mapping[int, BatchRecord],
        halt: threading.Event,
        queue_size: int,
        first_batch_size: int | None = None,
    ) -> None:
        self.preparation = preparation
        self.batch_size = batch_size
        self.first_batch_size = first_batch_size
        self.earlier = earlier
        self.halt = halt
        self.queue: queue.Queue[ReadyBatch] = queue.Queue(maxsize=queue_size)
        self.finished = threading.Event()
        self.error: BaseException | None = None
        self.batches_total = 0
        self.events_total = 0
        self.complete = False
        self.skipped_batches = 0
        self.earlier_acknowledged = 0  # events X acknowledged in earlier runs of the job
        self.earlier_rejected = 0
        self._thread = threading.Thread(target=self._run, name="twconv-prepare", daemon=True)
        self._arrival_lock = threading.Lock()
        self._arrival: Future[None] | None = None

    def start(self) -> BatchProducer:
        self._thread.start()
        return self

    def join(self) -> None:
        self._thread.join()

    def next_arrival(self) -> Future[None]:
        """Done once a batch is queued after this call, or the producer stops.

        The engine waits on it beside the requests in flight: a batch that is ready while
        every sender is busy or idle goes out at once, not when the next answer comes in.
        """
        with self._arrival_lock:
            if self._arrival is None or self._arrival.done():
                self._arrival = Future()
                if self.finished.is_set():
                    self._arrival.set_result(None)
            return self._arrival

    def _announce(self) -> None:
        with self._arrival_lock:
            if self._arrival is not None and not self._arrival.done():
                self._arrival.set_result(None)

    def _run(self) -> None:
        try:
            chunks = self.preparation.encoded_chunks()
            for batch in batches(chunks, self.batch_size, first_size=self.first_batch_size):
                body = batch.body()
                size = len(batch.events)
                whole = ReadyBatch(
                    batch.number, batch.events, batch.rows, body, payload_digest(body),
                    range(size), size,
                )  # fmt: skip
                self.batches_total = batch.number
                self.events_total += size
                ready = self._owed(whole) if batch.number in self.earlier else whole
                if ready is None:
                    continue
                while not self.halt.is_set():
                    try:
                        self.queue.put(ready, timeout=PUT_WAIT)
                    except queue.Full:
                        continue
                    self._announce()
                    break
                if self.halt.is_set():
                    return
            self.complete = True
        except Exception as exc:  # handed to the engine's thread, which reports it
            self.error = exc
        finally:
            self.finished.set()
            self._announce()

    def _owed(self, ready: ReadyBatch) -> ReadyBatch | None:
        """What an earlier run left of this batch to send: None when X answered it all."""
        record = self.earlier[ready.number]
        if record.payload_sha256 != ready.digest:
            raise UploadRefused(
                f"Batch {ready.number} differs from the one the earlier run sent, so resuming "
                "could send sales twice or skip some. Resume with the same --batch-size (and "
                "file, mapping and event) as the first run."
            )
        self.earlier_acknowledged += record.events_acknowledged
        self.earlier_rejected += record.events_rejected
        if record.status in SENT_FOR_GOOD:
            self.skipped_batches += 1
            return None
        acknowledged, rejected = record.answered_positions()
        answered = acknowledged | rejected
        owed = [i for i in range(ready.total) if i not in answered]
        if not owed:
            self.skipped_batches += 1
            return None
        if len(owed) == ready.total:
            return ready
        events = tuple(ready.events[i] for i in owed)
        return ReadyBatch(
            ready.number,
            events,
            tuple(ready.rows[i] for i in owed),
            join_conversions(events),
            ready.digest,
            owed,
            ready.total,
            tuple(ready.flat_rows),
            acknowledged,
            rejected,
        )


def batch_plan(batch: ReadyBatch) -> BatchRecord:
    """A dry run's batch report line: what would be sent, never sent."""
    flat = batch.flat_rows
    return BatchRecord(
        job_id=0,
        number=batch.number,
        rows=compact_rows(flat),
        first_row=flat[0],
        last_row=max(flat),
        events=len(batch.events),
        payload_sha256=batch.digest,
        status=BatchStatus.PENDING,
        attempts=0,
        debug_ids=(),
        processed=None,
        error="dry run: not sent",
        updated_at=datetime.now(UTC),
    )
