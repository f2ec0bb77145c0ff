"""Python's cycle collector runs on the GUI thread only, where freeing Qt objects is safe."""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QTimer

CHECK_INTERVAL_MS = 300
# How long a thread may keep the interpreter lock while another waits for it (Python's
# default: 5 ms). The window's thread waits for it after every call into Qt that lets it go;
# at 5 ms a turn, a preview built beside it stalled the window for 90-140 ms at a time
# (1M-row CSV, measured), at 1 ms for at most 60.
SWITCH_INTERVAL_S = 0.001


_quiet = [0]  # how many preparations are running (a list: one mutable count, lock-free reads)
_quiet_lock = threading.Lock()


@contextmanager
def collections_held() -> Iterator[None]:
    """While a preparation runs in a worker thread, the GUI thread's collections wait.

    A preparation makes objects by the hundred thousand (the lines of grouped orders wait for
    their order's last line) and none of them is in a reference cycle. Collecting while
    it runs walked them all on the GUI thread, again and again: 170-450 ms stalls on a
    1M-line grouped export (measured). The collections resume when the last one ends.
    """
    with _quiet_lock:
        _quiet[0] += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet[0] -= 1


def favour_the_window() -> None:
    """Hand the interpreter lock over sooner, so the window's thread waits less for it."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)


class MainThreadCollector(QObject):
    """Switches automatic garbage collection off and collects from a GUI-thread timer instead.

    Automatic collection starts in whichever thread happens to allocate. When it frees the
    Python wrapper of a Qt object from a worker thread (an upload producer, a preview build),
    Qt destroys that object off its thread and the process can crash. Collecting on the GUI
    thread, with the interpreter's own thresholds, keeps that from happening; reference
    counting still frees everything that is not in a cycle at once, in any thread.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        """Collect the generations whose counts passed the interpreter's thresholds (none
        while a preparation runs: see collections_held)."""
        if _quiet[0]:
            return
        first, second, third = gc.get_threshold()
        young, middle, old = gc.get_count()
        if young > first:
            gc.collect(0)
            if middle > second:
                gc.collect(1)
                if old > third:
                    gc.collect(2)

    def settle(self) -> None:
        """Collect once, then keep what exists now out of every later collection.

        Called once the window is up: the modules, Qt wrappers and widgets made at start-up
        live as long as the app. A full collection walked all of them on the GUI thread
        (60 ms on a quiet machine, over 100 ms while a file was read beside it: a visible
        stall); frozen, a collection walks only what came after. Reference counting still
        frees them when they go.
        """
        gc.collect()
        gc.freeze()

    def stop(self) -> None:
        """Collect once more here, then give collection back to the interpreter."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
