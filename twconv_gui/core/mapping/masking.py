"""Showing the shape of personal data without showing the data (terminal output, samples)."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from twconv_gui.core.reading.table import Cell

_EMAIL = re.compile(r"^\s*([^@\s]+)@([^@\s]+)\s*$")
_PHONE_CHARS = re.compile(r"^[\s\d+().\-/]{7,}$")
_SHA256_HEX = re.compile(r"^\s*[0-9a-fA-F]{64}\s*$")
_DATE_LIKE = re.compile(r"^\s*\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}(\s|$|T)")


def mask_cell(cell: Cell, *, personal: bool = False) -> str:
    """A cell as text, with emails and phone-like text masked (`j•••@example.com`, `•••••34`).

    Numbers are shown as they are (ids, amounts) unless `personal` says the column holds
    emails or phone numbers, in which case every value is masked. SHA-256 hashes are shown
    shortened: they are what gets sent anyway.
    """
    if cell is None:
        return ""
    if isinstance(cell, datetime | date | time):
        return cell.isoformat(sep=" ") if isinstance(cell, datetime) else cell.isoformat()
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 1e16:
        text = str(int(cell))
    else:
        text = str(cell)
    if _SHA256_HEX.match(text):
        return text[:12] + "…"  # already hashed: nothing personal to hide
    match = _EMAIL.match(text)
    if match:
        local, domain = match.groups()
        return f"{local[0]}•••@{domain}"
    looks_like_phone = (
        isinstance(cell, str)
        and _PHONE_CHARS.match(text) is not None
        and _DATE_LIKE.match(text) is None
        and not text.strip().isdigit()
    )
    if (personal or looks_like_phone) and sum(c.isdigit() for c in text) >= 7:
        digits = [c for c in text if c.isdigit()]
        return "•" * (len(digits) - 2) + "".join(digits[-2:])
    if personal and text:
        return text[0] + "•••"  # not an email or phone, but in a column of them
    return text
