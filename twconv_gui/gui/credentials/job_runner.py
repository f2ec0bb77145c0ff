"""The dialog's background jobs: started in a pool and kept referenced until they finish."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

from twconv_gui.gui.workers import FunctionWorker


class JobRunner(QObject):
    """Runs FunctionWorkers, holds each until `finished`, and says when none is left.

    Signals:
        changed(): a job started or ended (always before busy_changed).
        busy_changed(bool): True as each job starts; False when the last one has ended.
        failed(str): a job's message a user can act on.
    """

    changed = Signal()
    busy_changed = Signal(bool)
    failed = Signal(str)

    def __init__(self, pool: QThreadPool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = pool
        self._workers: set[FunctionWorker] = set()

    @property
    def busy(self) -> bool:
        return bool(self._workers)

    def run(
        self, on_success: Callable[[Any], None], function: Callable[..., Any], *args: Any
    ) -> None:
        worker = FunctionWorker(function, *args)
        worker.signals.succeeded.connect(on_success)
        worker.signals.failed.connect(self.failed)
        worker.signals.finished.connect(self._forget)
        self._workers.add(worker)
        self.changed.emit()
        self.busy_changed.emit(True)
        self._pool.start(worker)

    def cancel_all(self) -> None:
        for worker in self._workers:
            worker.cancel()

    @Slot()
    def _forget(self) -> None:
        sender = self.sender()
        self._workers = {w for w in self._workers if w.signals is not sender}
        self.changed.emit()
        if not self._workers:
            self.busy_changed.emit(False)
