"""Terminal rendering for the `twconv` command: progress bars, aligned tables, messages."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from tqdm import tqdm

from twconv_gui.core.prepare.preparation import PrepareProgress

# C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a line shows.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text from a file made safe for a terminal: an escape sequence in a header name could
    retitle the window or rewrite what was printed; each control character becomes a space."""
    return _CONTROLS.sub(" ", text)


def is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class ProgressBar:
    """A tqdm bar on stderr when it is a terminal; silent otherwise (pipes, CI logs)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = is_tty(self.stream)
        self._bar: tqdm[None] | None = None
        self._phase = ""

    def __enter__(self) -> Callable[[PrepareProgress], None]:
        return self.update

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.close()

    def update(self, progress: PrepareProgress) -> None:
        if not self.enabled:
            return
        if self._bar is None or progress.phase != self._phase:
            if self._bar is not None:
                self._bar.close()
            self._phase = progress.phase
            self._bar = tqdm(
                total=progress.rows_estimated,
                desc=progress.phase.capitalize(),
                unit=" rows",
                file=self.stream,
                leave=False,
                dynamic_ncols=True,
            )
        self._bar.n = progress.rows_done
        self._bar.refresh()


def format_table(
    headers: Sequence[str], rows: Sequence[Sequence[object]], max_width: int = 60
) -> str:
    """Left-aligned columns separated by two spaces; long cells are cut with an ellipsis,
    except in the last column (reasons, samples), which the terminal may wrap."""
    last = len(headers) - 1
    cells = [
        [_cut(str(c), max_width if i < last else 10_000) for i, c in enumerate(row)] for row in rows
    ]
    headers = [_cut(str(h), 10_000) for h in headers]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    return "\n".join(lines)


def _cut(text: str, width: int) -> str:
    text = printable(text)
    return text if len(text) <= width else text[: width - 1] + "…"
