"""Checks of a zip-packed workbook before it is loaded: zip bombs, and how far its sheets reach.

The spreadsheet library lays a sheet out as a full grid from A1 to its last cell: two cells
far apart (A1 and XFD1048576) in a 5 KB file ask for hundreds of GB and end the process before
Python can report anything. The extent comes from each sheet's dimension record and every
cell reference, streamed out of the zip in pieces, so nothing big is held.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass

from defusedxml import ElementTree

from twconv_gui.core.errors import ReadError

MAX_TOTAL_UNCOMPRESSED = 3 * 1024**3
MAX_COMPRESSION_RATIO = 200
RATIO_CHECK_SIZE = 50 * 1024**2
# About 1.5 GB of grid in the spreadsheet library: a million rows of 40 columns.
MAX_SHEET_CELLS = 40_000_000
_CHUNK = 1024 * 1024
_REFERENCE = re.compile(
    rb'<(?:\w+:)?(?:c|dimension)\b[^>]*?\br(?:ef)?="\$?([A-Z]{1,3})\$?(\d{1,7})'
)
_RANGE_END = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="[^":]*:\$?([A-Z]{1,3})\$?(\d{1,7})"')
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def check_zip_bomb(members: list[zipfile.ZipInfo], name: str) -> None:
    """Refuse a zip whose parts expand too far (a zip bomb) before any is unpacked."""
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_CHECK_SIZE and ratio > MAX_COMPRESSION_RATIO:
            raise _zip_bomb(name, f"one part expands {ratio:,.0f} times")
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise _zip_bomb(name, f"it would expand to {total / 1024**3:,.1f} GB")


def _zip_bomb(name: str, detail: str) -> ReadError:
    return ReadError(
        f"{name} was refused because it is packed in a way that could be a zip bomb ({detail}). "
        "If you trust it, open it in Excel and save it as .csv, then use the .csv file."
    )


@dataclass(frozen=True)
class SheetExtent:
    """The last row and column a sheet's XML names (1-based)."""

    name: str
    rows: int
    columns: int

    @property
    def last_cell(self) -> str:
        return f"{_column_letters(self.columns)}{self.rows}"


def check_sheet_extents(archive: zipfile.ZipFile, file_name: str) -> None:
    """Refuse an .xlsx whose sheet reaches past MAX_SHEET_CELLS, before it is loaded.

    Raises:
        ReadError: a sheet is too large or too sparse; the message names the file, the sheet,
            its last cell and what to do.
    """
    for extent in sheet_extents(archive):
        if extent.rows * extent.columns > MAX_SHEET_CELLS:
            raise ReadError(
                f"Sheet \u201c{extent.name}\u201d of {file_name} reaches cell {extent.last_cell} "
                f"({extent.rows:,} rows × {extent.columns:,} columns): its cells are too far "
                "apart to be read safely. In Excel, press Ctrl+End on that sheet to find the "
                "last cell, delete the rows and columns between your table and it, save and "
                "try again; or save the sheet with your table as .csv and use that file."
            )


def sheet_extents(archive: zipfile.ZipFile) -> list[SheetExtent]:
    """The extent of every worksheet of an .xlsx archive (unnamed parts by their path)."""
    names = set(archive.namelist())
    parts = _sheet_parts(archive, names)
    return [_extent(archive, part, name) for part, name in parts]


def _sheet_parts(archive: zipfile.ZipFile, names: set[str]) -> list[tuple[str, str]]:
    """(part path, sheet name) of each worksheet; every worksheet part when the index is bad."""
    found: list[tuple[str, str]] = []
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {
            rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_RELS}Relationship")
        }
        for sheet in workbook.iter(f"{_MAIN}sheet"):
            target = targets.get(sheet.get(_REL_ID), "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            part = posixpath.normpath(part)
            if part in names:
                found.append((part, sheet.get("name") or part))
    except (KeyError, ElementTree.ParseError, ValueError):
        found = []
    listed = {part for part, _ in found}
    for name in sorted(names):
        if name.startswith("xl/worksheets/") and name.endswith(".xml") and name not in listed:
            found.append((name, posixpath.basename(name)))
    return found


def _extent(archive: zipfile.ZipFile, part: str, name: str) -> SheetExtent:
    rows = columns = 0
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            text = tail + chunk
            for pattern in (_REFERENCE, _RANGE_END):
                for letters, digits in pattern.findall(text):
                    rows = max(rows, int(digits))
                    columns = max(columns, _column_number(letters))
            tail = text[-256:]  # a reference cut by the chunk's end is read whole next time
    return SheetExtent(name, rows, columns)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters or "A"
