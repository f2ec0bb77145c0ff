"""Spreading row conversion over processes: phone parsing and hashing are CPU-bound."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from twconv_gui.core.errors import TwconvError
from twconv_gui.core.normalize import identifiers
from twconv_gui.core.prepare.row_values import RowReader, RowValues
from twconv_gui.core.reading.table import Row

log = logging.getLogger(__name__)

# Below this many rows, starting processes costs more than it saves.
PARALLEL_MIN_ROWS = 30_000
CHUNK_ROWS = 2000  # rows converted together; also the progress and cancel cadence
# Workers convert in the background: a lower priority keeps the window, the threads that
# talk to X (whose answers must be read promptly) and the rest of the computer responsive.
WORKER_NICENESS = 10

Finish = Callable[[list[RowValues], RowReader], Any]  # converted rows -> what is sent back


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def default_workers(estimated_rows: int | None) -> int:
    """How many processes to use for a file of about this many rows (1 = in this process)."""
    if estimated_rows is None or estimated_rows < PARALLEL_MIN_ROWS:
        return 1
    return min(available_cores(), 8)


class ChunkConverter:
    """Converts chunks of rows, in this process (workers <= 1) or in a pool of processes.

    The pool starts at construction, so the workers' start-up (imports, phone metadata)
    overlaps with the caller's first look at the file; chunks that come before any worker is
    ready are converted here, so the first results (an upload's first batches) do not wait
    for it. If the processes cannot start, every chunk is converted here. Use it as a context
    manager: leaving it (cancel, error, early stop) shuts the pool down without waiting for
    queued chunks.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._warm_ups: list[Future[None]] = []
        if workers > 1:
            # Not in a helper thread: in the window's process, a pool started beside the
            # preview's first pass stalled the window for 150-200 ms (measured).
            self._pool, self._warm_ups = _take_early_pool(workers) or _start_pool(workers)

    def _ready_pool(self) -> ProcessPoolExecutor | None:
        """The pool once at least one worker has started, else None."""
        pool = self._pool
        if pool is not None and any(f.done() for f in self._warm_ups):
            return pool
        return None

    def __enter__(self) -> ChunkConverter:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def convert(
        self, reader: RowReader, chunks: Iterator[list[Row]], *, finish: Finish | None
    ) -> Iterator[Any]:
        """Each chunk converted, in order: its RowValues, or `finish(values, reader)` when given.

        At most a few chunks per worker are in flight, so memory stays bounded whatever the
        file size. `finish` must be a module-level function (workers receive it by name).
        """
        if self.workers <= 1:
            for chunk in chunks:
                yield _convert(reader, chunk, finish)
            return
        pending: deque[Future[Any]] = deque()
        try:
            for chunk in chunks:
                pool = self._pool if pending else self._ready_pool()
                if pool is None:
                    yield _convert(reader, chunk, finish)  # no worker is ready (yet)
                    continue
                pending.append(pool.submit(_convert, reader, chunk, finish))
                if len(pending) >= 3 * self.workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        except BrokenProcessPool:
            raise TwconvError(
                "The helper processes that prepare big files stopped unexpectedly (the "
                "computer may be out of memory). Close other programs and try again."
            ) from None


_early: dict[int, tuple[ProcessPoolExecutor | None, list[Future[None]]]] = {}
_early_lock = threading.Lock()


def start_early(
    estimated_rows: int | None, first: Callable[[], Any] | None = None
) -> Future[Any] | None:
    """Start the helper processes for a file of about this many rows now, for the next
    ChunkConverter of that size to take.

    For the `twconv` command, before it loads the rest of the app, so the helpers start
    while it loads rather than while it reads the file. It has no other thread yet, so on
    Linux the helpers are forked from it: ready at once, with what it has loaded, instead of
    each starting Python and importing again through the fork server (measured: the first
    request goes 0.1 s sooner). The window's process never calls it: Qt's own threads, which
    a fork would cut off mid-work, are not counted among Python's.

    Forked helpers also inherit `first`, which need not be picklable (a look at an open
    file): one of them runs it at once. Its Future is returned; None when nothing runs it.
    """
    workers = default_workers(estimated_rows)
    if workers <= 1:
        return None
    with _early_lock:
        if workers in _early:
            return None
        fork = _may_fork()
        if fork and first is not None:
            _inherited.append(first)  # before the helpers are forked, which copy it
        try:
            pool, _ = _early[workers] = _start_pool(workers, fork=fork)
            run_first = bool(_inherited) and pool is not None
        finally:
            _inherited.clear()  # the helpers have their copy (all are forked at the first job)
        return pool.submit(_run_inherited) if run_first and pool is not None else None


_inherited: list[Callable[[], Any]] = []


def _run_inherited() -> Any:
    """In a forked helper: what the process it was forked from left for it to run."""
    return _inherited[0]()


def _may_fork() -> bool:
    """Forking copies only the calling thread: safe while the process has no other one."""
    return (
        sys.platform.startswith("linux")
        and threading.active_count() == 1
        and "PySide6" not in sys.modules  # a Qt process has threads Python does not count
    )


def _take_early_pool(
    workers: int,
) -> tuple[ProcessPoolExecutor | None, list[Future[None]]] | None:
    with _early_lock:
        return _early.pop(workers, None)


def _start_pool(
    workers: int, *, fork: bool = False
) -> tuple[ProcessPoolExecutor | None, list[Future[None]]]:
    default = "forkserver" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context("fork" if fork else default)
    try:
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_lower_priority)
        return pool, [pool.submit(_warm_up) for _ in range(workers)]
    except (OSError, RuntimeError) as exc:
        log.warning("helper processes did not start (%s); converting in one process", exc)
        return None, []


def _lower_priority() -> None:
    """Runs first in each worker: background priority where the system has one (not Windows)."""
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(WORKER_NICENESS)


def _warm_up() -> None:
    """Load the phone metadata in a fresh worker before the first chunk arrives."""
    identifiers.PhoneHasher("US").hash("+12125550134")


def _convert(reader: RowReader, chunk: list[Row], finish: Finish | None) -> Any:
    # The reader travels with each chunk: about 1 KB against 2,000 rows of cells.
    values = reader.read_chunk(chunk)
    return finish(values, reader) if finish is not None else values
