"""Showing the shape of personal data without showing the data (terminal output, samples)."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from twconv_gui.core.reading.table import Cell

_EMAIL = re.compile(r"^\s*([^@\s]+)@([^@\s]+)\s*$")
_PHONE_CHARS = re.compile(r"^[\s\d+().\-/]{7,}$")
_DATE_LIKE = re.compile(r"^\s*\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}(\s|$|T)")


def mask_cell(cell: Cell) -> str:
    """A cell as text, with emails and phone-like values masked (`j•••@example.com`, `•••••34`)."""
    if cell is None:
        return ""
    if isinstance(cell, datetime | date | time):
        return cell.isoformat(sep=" ") if isinstance(cell, datetime) else cell.isoformat()
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 1e16:
        text = str(int(cell))
    else:
        text = str(cell)
    match = _EMAIL.match(text)
    if match:
        local, domain = match.groups()
        return f"{local[0]}•••@{domain}"
    if (
        _PHONE_CHARS.match(text)
        and not _DATE_LIKE.match(text)
        and sum(c.isdigit() for c in text) >= 7
    ):
        digits = [c for c in text if c.isdigit()]
        return "•" * (len(digits) - 2) + "".join(digits[-2:])
    return text
