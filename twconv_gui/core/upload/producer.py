"""Preparing the export in a thread and handing batches to the senders as they are ready."""

from __future__ import annotations

import hashlib
import queue
import threading
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass

from twconv_gui.core.prepare.batching import batches
from twconv_gui.core.prepare.preparation import Preparation
from twconv_gui.core.upload.model import UploadRefused

PUT_WAIT = 0.2  # seconds between checks of the halt flag while the queue is full


@dataclass(frozen=True)
class ReadyBatch:
    """A prepared batch on its way to a sender; `digest` identifies its exact payload."""

    number: int
    events: tuple[bytes, ...]  # each conversion as the compact JSON that is sent
    rows: tuple[tuple[int, ...], ...]
    body: bytes  # the request body, joined once
    digest: str

    @property
    def flat_rows(self) -> list[int]:
        return [row for group in self.rows for row in group]


def payload_digest(body: bytes) -> str:
    """SHA-256 of the body as sent: the journal keeps it to recognise the batch on resume."""
    return hashlib.sha256(body).hexdigest()


class BatchProducer:
    """Runs the preparation in its own thread, so sending starts with the first full batch.

    At most `queue_size` batches wait in memory, so memory stays flat whatever the file size.
    Batches already acknowledged by an earlier run (`skip`: number → digest) are checked and
    not queued. `finished` is set when the producer stops; `error` then holds what stopped it
    early (Cancelled, ReadError, UploadRefused...), or None.
    """

    def __init__(
        self,
        preparation: Preparation,
        batch_size: int,
        *,
        skip: Mapping[int, str],
        halt: threading.Event,
        queue_size: int,
    ) -> None:
        self.preparation = preparation
        self.batch_size = batch_size
        self.skip = skip
        self.halt = halt
        self.queue: queue.Queue[ReadyBatch] = queue.Queue(maxsize=queue_size)
        self.finished = threading.Event()
        self.error: BaseException | None = None
        self.batches_total = 0
        self.events_total = 0
        self.skipped_batches = 0
        self.skipped_events = 0
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
            for batch in batches(self.preparation.encoded_chunks(), self.batch_size):
                body = batch.body()
                ready = ReadyBatch(
                    batch.number, batch.events, batch.rows, body, payload_digest(body)
                )
                self.batches_total = batch.number
                self.events_total += len(batch.events)
                if batch.number in self.skip:
                    self._check_unchanged(ready)
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
        except Exception as exc:  # handed to the engine's thread, which reports it
            self.error = exc
        finally:
            self.finished.set()
            self._announce()

    def _check_unchanged(self, ready: ReadyBatch) -> None:
        if self.skip[ready.number] != ready.digest:
            raise UploadRefused(
                f"Batch {ready.number} differs from the one the earlier run acknowledged, so "
                "resuming could send sales twice or skip some. Resume with the same "
                "--batch-size (and file, mapping and event) as the first run."
            )
        self.skipped_batches += 1
        self.skipped_events += len(ready.events)
