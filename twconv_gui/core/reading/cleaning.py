"""Cell clean-up shared by the readers: placeholder values that mean "empty", stray control
characters in text files, and telling a text file from a binary one."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from twconv_gui.core.reading.table import Cell

# Whole-cell values exports write for "no value". "None" is not one: it can be a real name.
PLACEHOLDERS: tuple[str, ...] = (
    "null",
    "NULL",
    "Null",
    "nil",
    "NIL",
    "Nil",
    "N/A",
    "n/a",
    "N/a",
    "#N/A",
    "-",
    "(blank)",
    "(Blank)",
    "(BLANK)",
    # Google Analytics and the tools that export its dimensions: no value was recorded.
    "(not set)",
)
# The padding tolerated around a placeholder. Listing the padded forms keeps the per-cell
# test to one dict lookup (a strip() of every cell costs about three times as much).
_PADS = ("", " ", "  ", "\t", "\xa0")

# Cell value -> None for "" and every placeholder; any other value is not a key.
EMPTY_VALUES: dict[Cell, None] = {"": None}
EMPTY_VALUES.update(
    {f"{left}{token}{right}": None for token in PLACEHOLDERS for left in _PADS for right in _PADS}
)

# C0 control characters other than tab, LF and CR: dropped from text files' cells.
CONTROL_CHARS = "".join(chr(code) for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)))
# Control characters (C1 included) and undecodable bytes, to tell binary data from text.
_BINARY_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]+")
# A text file with a few stray control characters has them in a few places; binary data
# has them everywhere. Above this share of runs (or of characters), it is binary.
MAX_CONTROL_RUN_SHARE = 0.01
MAX_CONTROL_SHARE = 0.3
MIN_CONTROL_RUNS = 8
_SCAN_CHUNK = 1024 * 1024

# Leading bytes of files people pick by mistake, and what to call them.
_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "a program"),
    (b"SQLite format 3\x00", "an SQLite database"),
)


def binary_kind(head: bytes) -> str | None:
    """What a known binary format is called ("a PDF document"), from its first bytes."""
    for magic, what in _MAGICS:
        if head.startswith(magic):
            return what
    return None


def looks_binary(text: str) -> bool:
    """True when control characters are spread through `text` as they are in binary data.

    A text file with NUL bytes in one rich-text field passes; random bytes do not.
    """
    runs = _BINARY_CHARS.findall(text)
    if len(runs) <= 2:
        return False
    chars = sum(map(len, runs))
    if chars > len(text) * MAX_CONTROL_SHARE:
        return True
    return len(runs) > MIN_CONTROL_RUNS and len(runs) > len(text) * MAX_CONTROL_RUN_SHARE


def control_pattern(delimiter: str) -> re.Pattern[str]:
    """The control characters to drop from a file split by `delimiter` (never the delimiter)."""
    chars = CONTROL_CHARS.replace(delimiter, "")
    return re.compile(f"[{re.escape(chars)}]+")


def has_control_chars(path: Path, encoding: str, delimiter: str) -> bool:
    """True when the file holds a C0 control character other than tab, CR, LF (one pass).

    Single-byte encodings and UTF-8 are searched as bytes (a C0 byte is never part of a
    UTF-8 sequence), which is several times quicker than a regular expression.
    """
    chars = CONTROL_CHARS.replace(delimiter, "")
    if encoding.startswith("utf-16"):
        pattern = re.compile(f"[{re.escape(chars)}]")
        with path.open(encoding=encoding, errors="replace", newline="") as text:
            while chunk := text.read(_SCAN_CHUNK):
                if pattern.search(chunk):
                    return True
        return False
    needles = tuple(char.encode("latin-1") for char in chars)
    with path.open("rb") as handle:
        while data := handle.read(_SCAN_CHUNK):
            if any(needle in data for needle in needles):
                return True
    return False


def control_note(name: str, counts: dict[str, tuple[int, int]]) -> str:
    """The one note for control characters dropped, given column -> (rows, first row)."""

    def rows(count: int) -> str:
        return f"{count} row" if count == 1 else f"{count} rows"

    if len(counts) == 1:
        ((column, (count, first)),) = counts.items()
        return (
            f"Column \u201c{column}\u201d of {name} held NUL or other control characters in "
            f"{rows(count)} (first: row {first}); they were dropped from the cells."
        )
    parts = [
        f"\u201c{column}\u201d ({rows(count)}, first: row {first})"
        for column, (count, first) in counts.items()
    ]
    listed = ", ".join(parts[:-1]) + " and " + parts[-1]
    return (
        f"Columns {listed} of {name} held NUL or other control characters; they were "
        "dropped from the cells."
    )


def count_control_cells(
    records: Iterable[tuple[int, list[str]]], pattern: re.Pattern[str], columns: tuple[str, ...]
) -> dict[str, tuple[int, int]]:
    """Column name -> (rows whose cell held control characters, first such row)."""
    found: dict[int, tuple[int, int]] = {}
    width = len(columns)
    search = pattern.search
    for number, record in records:
        for index, value in enumerate(record[:width]):
            if search(value):
                count, first = found.get(index, (0, number))
                found[index] = (count + 1, first)
    return {columns[index]: found[index] for index in sorted(found)}
