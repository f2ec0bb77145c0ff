"""Running core work off the GUI thread: a QRunnable that owns a QObject with its signals."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from twconv_gui.core.errors import Cancelled, TwconvError


class WorkerSignals(QObject):
    """Signals of one background job (a QRunnable cannot declare signals itself).

    Signals:
        succeeded(object): the function's return value.
        failed(str): a message a user can act on.
        cancelled(): the job stopped because cancel() was called.
        finished(): always last, after one of the three above.
    """

    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()


class FunctionWorker(QRunnable):
    """Runs `function(*args, cancel=<Event>)` in a thread pool and relays the outcome.

    The function receives a `threading.Event` it checks between steps; TwconvError becomes
    `failed(message)`; any other exception becomes a generic message (never a traceback in the
    window, and never the exception text, which could hold personal data).
    """

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the owner keeps the worker until `finished`
        self.signals = WorkerSignals()
        self.cancel_event = threading.Event()
        self._function = function
        self._args = args

    def cancel(self) -> None:
        self.cancel_event.set()

    def run(self) -> None:
        try:
            result = self._function(*self._args, cancel=self.cancel_event)
        except Cancelled:
            self.signals.cancelled.emit()
        except TwconvError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # the window must survive any failure
            self.signals.failed.emit(
                f"Unexpected error ({type(exc).__name__}). Please report it with the steps "
                "that led to it."
            )
        else:
            self.signals.succeeded.emit(result)
        self.signals.finished.emit()


def start(worker: FunctionWorker, pool: QThreadPool | None = None) -> FunctionWorker:
    (pool or QThreadPool.globalInstance()).start(worker)
    return worker
