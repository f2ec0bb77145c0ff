"""Building the preview off the GUI thread: progress polling, worker lifetime, a quiet GC."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from twconv_gui.core.errors import Cancelled
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.prepare.preparation import PrepareProgress
from twconv_gui.core.prepare.preview import PreviewResult, build_preview
from twconv_gui.core.reading.table import Table
from twconv_gui.gui.preview.reasons import ReasonIndex
from twconv_gui.gui.workers import FunctionWorker

_RUNNING: set[FunctionWorker] = set()  # a QRunnable without auto-delete must outlive its run


def keep_until_finished(worker: FunctionWorker) -> None:
    _RUNNING.add(worker)
    # A weak reference: the connection lives in C++, where a strong one would never be freed.
    ref = weakref.ref(worker)
    worker.signals.finished.connect(lambda: _RUNNING.discard(ref()))


class LatestProgress:
    """The worker writes the newest progress, the GUI timer reads it: one atomic assignment."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value: PrepareProgress | None = None

    def set(self, progress: PrepareProgress) -> None:
        self.value = progress


class _CollectorPause:
    """Keeps Python's cyclic garbage collector still while previews are built.

    A full collection walks every live container object holding the GIL: with hundreds of
    thousands of prepared events kept for the table, each one froze the window for 0.2–0.7 s
    (200k rows), again and again as the list grew. The events hold no reference cycles, so
    skipping collections loses nothing; when the last build ends, gc.freeze() moves what it
    kept out of the collector's sight (reference counting still frees it with the preview).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._builds = 0
        self._was_enabled = True

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._builds == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._builds += 1
        try:
            yield
        finally:
            with self._lock:
                self._builds -= 1
                if self._builds == 0:
                    gc.freeze()
                    if self._was_enabled:
                        gc.enable()


_collector_paused = _CollectorPause()


@dataclass
class PreviewBuild:
    """A preview and the index of its rows by reason, both built off the GUI thread."""

    result: PreviewResult
    reasons: ReasonIndex


def build(
    table: Table,
    profile: MappingProfile,
    box: LatestProgress,
    workers: int | None,
    *,
    cancel: threading.Event,
) -> PreviewBuild:
    """build_preview for a FunctionWorker, reporting into `box`, the collector paused."""
    with _collector_paused():
        result = build_preview(table, profile, progress=box.set, cancel=cancel, workers=workers)
        reasons = ReasonIndex.build(result)
        if cancel.is_set():  # asked while the last steps ran: the user sees it cancelled
            raise Cancelled
        return PreviewBuild(result, reasons)
