"""Sharing the interpreter lock with the window while big files are read and freed.

Freeing a million strings at once (the last reference to a list of a column's values goes)
holds the interpreter lock until the last one is freed: 50-100 ms on this project's machines,
during which the window, which needs the lock to run, stands still. Freed a slice at a time,
the thread lets the lock go between slices.

A thread reading a file lets the lock go at every read from the disk and takes it straight
back, which resets the turn a waiting thread is owed: while the columns of a 1M-row CSV were
read, the window waited up to 170 ms at a time (measured). A real pause after each chunk of
rows hands the lock over; the longest wait fell to about 50 ms, for 0.25 s more per million
rows and pass.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

SLICE = 20_000  # about 1 ms of freeing
PAUSE_S = 0.0005  # long enough for a waiting thread to wake and take the lock


def let_others_run() -> None:
    """Pause briefly so that a thread waiting for the interpreter lock gets it."""
    time.sleep(PAUSE_S)


def release(items: list[Any]) -> None:
    """Empty `items` a slice at a time, from the end (no shifting of what remains)."""
    while items:
        del items[-SLICE:]


def release_all(collections: Iterable[list[Any] | dict[Any, Any]]) -> None:
    """Empty each list (a slice at a time) and each dict (one at a time: keep them small)."""
    for collection in collections:
        if isinstance(collection, list):
            release(collection)
        else:
            collection.clear()
