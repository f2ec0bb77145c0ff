"""Cyclic garbage is collected by the GUI thread's timer, not by whichever thread allocates."""

import gc
import weakref

from twconv_gui.gui.gc_guard import MainThreadCollector, collections_held


class Node:
    def __init__(self):
        self.me = self  # a reference cycle: only the cycle collector frees it


def test_collection_moves_to_the_gui_thread_and_back(qtbot):
    outer = MainThreadCollector()  # the suite's own guard is active too: both turn gc off
    assert not gc.isenabled()
    ref = weakref.ref(Node())
    for _ in range(gc.get_threshold()[0] + 10):
        Node()  # enough allocations that automatic collection would have run by now
    assert ref() is not None  # not collected behind the GUI thread's back
    qtbot.waitUntil(lambda: ref() is None, timeout=3_000)  # the timer on this thread did it
    outer.stop()
    outer.deleteLater()


def test_settling_keeps_start_up_objects_out_of_later_collections(qtbot):
    # What exists when the window is up lives as long as the app: a full collection walking
    # it all stalled the window; after settle() the collector sees only what came after.
    collector = MainThreadCollector()
    try:
        before = len(gc.get_objects())
        collector.settle()
        assert gc.get_freeze_count() >= before // 2
        assert len(gc.get_objects()) < before // 10
        ref = weakref.ref(Node())  # made after: still freed by the timer
        for _ in range(gc.get_threshold()[0] + 10):
            Node()
        qtbot.waitUntil(lambda: ref() is None, timeout=3_000)
    finally:
        gc.unfreeze()
        collector.stop()
        collector.deleteLater()


def test_collections_wait_while_a_preparation_runs(qtbot):
    collector = MainThreadCollector()
    try:
        with collections_held():
            ref = weakref.ref(Node())
            for _ in range(gc.get_threshold()[0] + 10):
                Node()
            collector.check()  # what the timer calls: nothing is collected meanwhile
            assert ref() is not None
        qtbot.waitUntil(lambda: ref() is None, timeout=3_000)  # collected once it ended
    finally:
        collector.stop()
        collector.deleteLater()
