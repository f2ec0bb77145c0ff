"""Text out of identifier cells: trimming, hex digests, naming what a non-text cell holds."""

from __future__ import annotations

from twconv_gui.core.reading.table import Cell

__all__ = ["HEX_DIGITS", "cell_kind", "trim"]

HEX_DIGITS = "0123456789abcdefABCDEF"

# Trimmed around a value besides str.strip()'s white space (which includes the no-break spaces
# U+00A0 and U+202F): the zero-width characters and byte order mark web forms leave behind.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def trim(text: str) -> str:
    """Strips white space (incl. no-break spaces) and invisible characters around text."""
    text = text.strip()
    if text and (text[0] in _INVISIBLE or text[-1] in _INVISIBLE):
        text = text.strip(_INVISIBLE).strip()
    return text


def cell_kind(value: Cell) -> str:
    """What a non-text cell holds, in the user's words."""
    if isinstance(value, bool):
        return "TRUE/FALSE"
    return "a number" if isinstance(value, int | float) else "a date or time"
