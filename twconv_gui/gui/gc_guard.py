"""Python's cycle collector runs on the GUI thread only, where freeing Qt objects is safe."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_INTERVAL_MS = 300


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
        """Collect the generations whose counts passed the interpreter's thresholds."""
        first, second, third = gc.get_threshold()
        young, middle, old = gc.get_count()
        if young > first:
            gc.collect(0)
            if middle > second:
                gc.collect(1)
                if old > third:
                    gc.collect(2)

    def stop(self) -> None:
        """Collect once more here, then give collection back to the interpreter."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
