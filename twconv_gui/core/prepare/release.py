"""Letting go of big collections without stalling the window.

Freeing a million strings at once (the last reference to a list of a column's values goes)
holds the interpreter lock until the last one is freed: 50-100 ms on this project's machines,
during which the window, which needs the lock to run, stands still. Freed a slice at a time,
the thread lets the lock go between slices.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

SLICE = 20_000  # about 1 ms of freeing


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
