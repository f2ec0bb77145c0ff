"""Building the preview off the GUI thread: progress polling and worker lifetime."""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

from twconv_gui.core.errors import Cancelled
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.prepare.preparation import PrepareProgress
from twconv_gui.core.prepare.preview import PreviewResult, build_preview
from twconv_gui.core.reading.table import Table
from twconv_gui.gui.gc_guard import collections_held
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
    """build_preview for a FunctionWorker, reporting into `box`, collections held meanwhile.

    The preview it leaves keeps no Python object per conversion (see
    core.prepare.preview_store), so the collections that follow have little of it to walk.
    """
    with collections_held():
        result = build_preview(table, profile, progress=box.set, cancel=cancel, workers=workers)
        reasons = ReasonIndex.build(result)
    if cancel.is_set():  # asked while the last steps ran: the user sees it cancelled
        raise Cancelled
    return PreviewBuild(result, reasons)
