"""Checks of a zip-packed workbook before it is loaded: zip bombs, and how far its sheets reach.

The spreadsheet library lays a sheet out as a full grid from A1 to its last cell: two cells
far apart (A1 and XFD1048576) in a 5 KB file ask for hundreds of GB and end the process before
Python can report anything. The extent is streamed out of the zip in pieces, so nothing big is
held: for .xlsx/.xlsm each sheet's dimension record and every cell reference; for .xlsb the
BrtWsDim record and every row header and value cell record; for .ods the rows and cells of
content.xml holding a value, repeats counted (empty repeated rows and columns at the end,
which every .ods has, do not count).

Legacy .xls (BIFF8 in an OLE2 file, not a zip) is checked the same way, against the same
budget and with the same message, by biff_extents.py: its format's 65,536 × 256 limit does not
bound it, as a cell record's column is a 16-bit field (a hand-edited file with a cell in column
65,536 would make the library ask for a 65,536 × 65,536 grid and abort).
"""

from __future__ import annotations

import contextlib
import html
import posixpath
import re
import struct
import time
import zipfile
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import IO

from defusedxml import ElementTree

from twconv_gui.core.errors import ReadError

MAX_TOTAL_UNCOMPRESSED = 3 * 1024**3
MAX_COMPRESSION_RATIO = 200
RATIO_CHECK_SIZE = 50 * 1024**2
# About 1.5 GB of grid in the spreadsheet library: a million rows of 40 columns.
MAX_SHEET_CELLS = 40_000_000
_CHUNK = 1024 * 1024
# A cell's reference (the r attribute of <c>, the only one written letters-then-digits: a
# row's r is digits only) and the end of a dimension's range. One pass per chunk; the matches
# are reduced by C-level zip/set/map (a sheet of 200,000 rows holds over a million
# references: a Python loop over them took 1.6 s).
_REFERENCE = re.compile(rb'\sr="\$?([A-Z]{1,3})\$?(\d{1,7})"')
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
    """Refuse a workbook whose sheet reaches past MAX_SHEET_CELLS, before it is loaded.

    Raises:
        ReadError: a sheet is too large or too sparse; the message names the file, the sheet,
            its last cell and what to do.
    """
    names = set(archive.namelist())
    if "mimetype" in names and "content.xml" in names:
        _refuse_large(_ods_extents(archive), file_name, "LibreOffice Calc")
    if "xl/workbook.bin" in names:
        _refuse_large(_xlsb_extents(archive, names), file_name, "Excel")
    if "xl/workbook.xml" in names:
        _refuse_large((extent for extent in sheet_extents(archive)), file_name, "Excel")


def _refuse_large(
    extents: Generator[SheetExtent, None, None], file_name: str, program: str
) -> None:
    with contextlib.closing(extents):  # closes the part being read when a sheet is refused
        for extent in extents:
            if extent.rows * extent.columns > MAX_SHEET_CELLS:
                raise too_far_apart(extent, file_name, program)


def too_far_apart(extent: SheetExtent, file_name: str, program: str) -> ReadError:
    return ReadError(
        f"Sheet \u201c{extent.name}\u201d of {file_name} reaches cell {extent.last_cell} "
        f"({extent.rows:,} rows × {extent.columns:,} columns): its cells are too far "
        f"apart to be read safely. In {program}, press Ctrl+End on that sheet to find "
        "the last cell, delete the rows and columns between your table and it, save "
        "and try again; or save the sheet with your table as .csv and use that file."
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
        # Quarter-megabyte pieces: a regex pass holds the interpreter lock while it runs, and
        # the window (which reads files in a worker thread) must keep ticking.
        while chunk := stream.read(_CHUNK // 4):
            text = tail + chunk
            found = _REFERENCE.findall(text)
            if b"dimension" in text:  # one element, before the cells; a quick test finds it
                found += _RANGE_END.findall(text)
            if found:
                letters, digits = zip(*found, strict=True)
                rows = max(rows, *map(int, digits))
                columns = max(columns, *map(_column_number, set(letters)))
            tail = text[-256:]  # a reference cut by the chunk's end is read whole next time
            time.sleep(0)  # hand the lock to a waiting window thread (reads alone would not)
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


# OpenDocument: the tags calamine reads, with the prefixes it matches (table:, office:).
_ROW_END = b"</table:table-row>"
_ROW_START = b"<table:table-row"
_ODS_OTHER = re.compile(  # what may come between two rows: sheet starts and ends, empty rows
    rb"<table:table(?=[\s>])([^>]*)>|(</table:table>)|<table:table-row(?=[\s/])([^>]*?)/>"
)
_ODS_MAX_COLUMNS = 16_384
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]*)")
_ODS_NAME = re.compile(rb'\btable:name="([^"]*)"')
_ODS_ROWS = re.compile(rb'\btable:number-rows-repeated="(\d{1,12})"')
_ODS_COLUMNS = re.compile(rb'\btable:number-columns-repeated="(\d{1,12})"')
# What makes calamine keep a cell: office:value-type, office:value, office:string-value... or
# table:formula (an office: attribute that is none of these only makes the check stricter).
_ODS_VALUES = (b"office:", b"table:formula=")
_OdsEvent = tuple[str, str, int, int]  # ("sheet", name, 0, 0), ("end", ...), ("row", "", n, w)


def _ods_extents(archive: zipfile.ZipFile) -> Generator[SheetExtent, None, None]:
    """The used extent of each table of content.xml; stops at the first one past the budget.

    Rows and cells repeated (table:number-rows-repeated, table:number-columns-repeated) count
    as many times as they are repeated when they hold a value; empty ones count only when a
    value follows them, so the trailing empty rows and columns every .ods has never count.
    """
    name, rows, columns, position = "", 0, 0, 0
    with archive.open("content.xml") as stream:
        for kind, text, repeat, width in _ods_events(stream):
            if kind == "sheet":
                name, rows, columns, position = text, 0, 0, 0
            elif kind == "end":
                yield SheetExtent(name or "(unnamed)", rows, columns)
            else:
                position += repeat
                if width:
                    rows, columns = position, max(columns, width)
                    if rows * columns > MAX_SHEET_CELLS:
                        yield SheetExtent(name or "(unnamed)", rows, columns)
                        return


def _ods_events(stream: IO[bytes]) -> Iterator[_OdsEvent]:
    """Sheet starts and ends and rows (repeat, width) of content.xml, read in pieces.

    The text is split at each row's end tag (fast, in C); a row cut by a piece's end is read
    whole next time ("<" never occurs inside a value, so tags are never split wrongly).
    """
    tail = b""
    while True:
        chunk = stream.read(max(_CHUNK, len(tail)))  # a very long row doubles the read
        pieces = (tail + chunk).split(_ROW_END)
        tail = pieces.pop()
        for piece in pieces:
            start = _row_start(piece)
            if b"table:table" in piece[:start]:
                yield from _ods_others(piece[:start])
            if start < 0:
                continue
            close = piece.find(b">", start)
            attributes = piece[start:close]
            repeat = _repeat(_ODS_ROWS, attributes) if b"rows-repeated" in attributes else 1
            yield "row", "", repeat, _ods_row_width(piece[close + 1 :])
        if not chunk:
            yield from _ods_others(tail)
            return


def _row_start(piece: bytes) -> int:
    """Where the row ending the piece starts (not <table:table-rows> or -row-group)."""
    start = len(piece)
    while (start := piece.rfind(_ROW_START, 0, start)) >= 0:
        if piece[start + len(_ROW_START) : start + len(_ROW_START) + 1] in b" \t\r\n>":
            return start
    return -1


def _ods_others(text: bytes) -> Iterator[_OdsEvent]:
    for match in _ODS_OTHER.finditer(text):
        sheet, end, empty = match.groups()
        if sheet is not None:
            found = _ODS_NAME.search(sheet)
            name = html.unescape(found.group(1).decode("utf-8", "replace")) if found else ""
            yield "sheet", name, 0, 0
        elif end is not None:
            yield "end", "", 0, 0
        else:
            yield "row", "", _repeat(_ODS_ROWS, empty), 0


def _ods_row_width(body: bytes) -> int:
    """The 1-based column of a row's last cell holding a value (0 when it holds none)."""
    mark = max(body.rfind(value) for value in _ODS_VALUES)
    if mark < 0:
        return 0
    head = body[: body.find(b">", mark) + 1 or len(body)]
    if b"table:number-columns-repeated" not in head:  # the usual row: one cell per column
        cells = head.count(b"<table:table-cell") + head.count(b"<table:covered-table-cell")
        return min(cells, _ODS_MAX_COLUMNS)
    column = width = 0
    for cell in _ODS_CELL.finditer(body):
        attributes = cell.group(1)
        column += _repeat(_ODS_COLUMNS, attributes)
        if any(value in attributes for value in _ODS_VALUES):
            width = column
    return min(width, _ODS_MAX_COLUMNS)  # the library keeps no cell past column 16,384


def _repeat(pattern: re.Pattern[bytes], attributes: bytes) -> int:
    found = pattern.search(attributes)
    return max(int(found.group(1)), 1) if found else 1


# .xlsb ([MS-XLSB] 2.1.4): records are a type and a size, each a little-endian base-128 number.
_BRT_ROW_HDR = 0x0000
_BRT_CELL_VALUES = range(0x0002, 0x000C)  # Rk, Error, Bool, Real, St, Isst, Fmla*: a value
_BRT_END_SHEET_DATA = 0x0092
_BRT_WS_DIM = 0x0094
_BRT_BUNDLE_SH = 0x009C
_BRT_END_BUNDLE_SHS = 0x0090
_XLSB_LIMIT = 0x7FFFFFFF  # past any real record: a size this large means a damaged part
_U32 = struct.Struct("<I")
_WS_DIM = struct.Struct("<4I")
_PAD = bytes(16)


def _xlsb_extents(archive: zipfile.ZipFile, names: set[str]) -> Generator[SheetExtent, None, None]:
    """The extent of each worksheet of an .xlsb: its BrtWsDim record, then its cells.

    The BrtWsDim (rwFirst, rwLast, colFirst, colLast, zero-based) is checked first, so a
    sheet that says it is too large is refused at once; the library builds its grid from the
    cells it meets, not from that record, so every row header (BrtRowHdr) and value cell is
    read too, up to BrtEndSheetData.
    """
    for part, name in _xlsb_sheet_parts(archive, names):
        with archive.open(part) as stream:
            rows, columns = _xlsb_extent(_records(stream))
        yield SheetExtent(name, rows, columns)


def _xlsb_extent(records: Iterator[tuple[int, bytes]]) -> tuple[int, int]:
    rows = columns = row = 0
    values, unpack = _BRT_CELL_VALUES, _U32.unpack_from
    for kind, body in records:
        if kind in values:  # the most frequent record first
            column = unpack(body)[0] + 1
            columns = max(columns, column)
            if row >= rows:
                rows = row + 1
        elif kind == _BRT_ROW_HDR:
            row = unpack(body)[0]
            if row >= 0x100000:  # the library stops reading the sheet there
                break
        elif kind == _BRT_WS_DIM:
            _, last_row, _, last_column = _WS_DIM.unpack_from(body)
            rows, columns = max(rows, last_row + 1), max(columns, last_column + 1)
            if rows * columns > MAX_SHEET_CELLS:
                break
        elif kind == _BRT_END_SHEET_DATA:
            break
    return rows, columns


def _records(stream: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """(record type, record body) of a BIFF12 part, read in pieces; ends at a damaged record.

    Bodies shorter than 16 bytes are padded with zeros, so any record can be unpacked."""
    buffer = b""
    offset = 0
    eof = False
    while True:
        if len(buffer) - offset < 1024 and not eof:
            chunk = stream.read(_CHUNK)
            eof = not chunk
            buffer, offset = buffer[offset:] + chunk, 0
        end = len(buffer) - 1
        while offset < end:  # the common case: a type and a size of one byte each
            kind, size = buffer[offset], buffer[offset + 1]
            if kind >= 0x80 or size >= 0x80:
                break
            start = offset + 2
            offset = start + size
            if offset > len(buffer):
                offset = start - 2
                break
            yield kind, buffer[start:offset] if size >= 16 else buffer[start:offset] + _PAD[size:]
        header = _record_header(buffer, offset)
        if header is None:
            if eof:
                return
            if len(buffer) - offset >= 1024:  # not a header cut short: a damaged part
                return
            continue
        kind, size, start = header
        while len(buffer) < start + size and not eof:
            chunk = stream.read(max(_CHUNK, start + size - len(buffer)))
            eof = not chunk
            buffer += chunk
        if len(buffer) < start + size:
            return
        yield kind, buffer[start : start + size].ljust(16, b"\0")
        offset = start + size


def _record_header(buffer: bytes, offset: int) -> tuple[int, int, int] | None:
    """(type, size, start of body) of the record at offset, or None when it is cut short."""
    kind, offset = _base128(buffer, offset, 2)
    if kind < 0:
        return None
    size, offset = _base128(buffer, offset, 4)
    if size < 0 or size > _XLSB_LIMIT:
        return None
    return kind, size, offset


def _base128(buffer: bytes, offset: int, most: int) -> tuple[int, int]:
    value = 0
    for shift in range(0, 7 * most, 7):
        if offset >= len(buffer):
            return -1, offset
        byte = buffer[offset]
        offset += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, offset
    return value, offset


def _xlsb_sheet_parts(archive: zipfile.ZipFile, names: set[str]) -> list[tuple[str, str]]:
    """(part path, sheet name) of each worksheet of an .xlsb, from xl/workbook.bin's
    BrtBundleSh records; every worksheet part, named by its path, when those cannot be read."""
    found: list[tuple[str, str]] = []
    try:
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.bin.rels"))
        targets = {
            rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_RELS}Relationship")
        }
        with archive.open("xl/workbook.bin") as stream:
            for kind, body in _records(stream):
                if kind == _BRT_END_BUNDLE_SHS:
                    break
                if kind == _BRT_BUNDLE_SH:
                    relation, after = _wide_string(body, 8)
                    sheet, _ = _wide_string(body, after)
                    target = targets.get(relation, "")
                    part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                    part = posixpath.normpath(part)
                    if part in names:
                        found.append((part, sheet or part))
    except (KeyError, ElementTree.ParseError, ValueError, struct.error):
        found = []
    listed = {part for part, _ in found}
    for name in sorted(names):
        if name.startswith("xl/worksheets/") and name.endswith(".bin") and name not in listed:
            found.append((name, posixpath.basename(name)))
    return found


def _wide_string(body: bytes, offset: int) -> tuple[str, int]:
    """An XLWideString (a 4-byte count of UTF-16 units, then the units) at offset."""
    (count,) = _U32.unpack_from(body, offset)
    if count == 0xFFFFFFFF:  # XLNullableWideString: none
        return "", offset + 4
    end = offset + 4 + 2 * count
    if end > len(body):
        raise ValueError("string past the record's end")
    return body[offset + 4 : end].decode("utf-16-le", "replace"), end
