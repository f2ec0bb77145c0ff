"""How far the sheets of a legacy .xls reach, read before the spreadsheet library loads it.

An .xls is a BIFF8 (or BIFF5) record stream, "Workbook" (or "Book"), inside an OLE2 compound
file. Its format stops at 65,536 rows × 256 columns, but a cell record's column is a 16-bit
field: a hand-edited file with one cell in the last row and column 65,536 makes the library lay
out 65,536 × 65,536 cells and abort the process. The library reads every sheet when the file
is opened, so every sheet is measured here, the way it reads them: each sheet's records from
the offset its BOUNDSHEET record gives, up to its EOF record.

What counts is what the library keeps: NUMBER, RK, MULRK, LABEL, LABELSST, BOOLERR and FORMULA
cells (BLANK and MULBLANK cells it drops, so they never count, as in the .xlsb and .ods checks),
and the DIMENSIONS record, from which it reserves room for that many cells before reading any;
that record is not trusted alone, as a small one may come before cells far apart. CONTINUE
records only carry on the record before them and hold no cell.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from pathlib import Path

import olefile

from twconv_gui.core.reading.package_checks import MAX_SHEET_CELLS, SheetExtent, too_far_apart

_BOF = 0x0809
_EOF = 0x000A
_BOUNDSHEET = 0x0085
_FILEPASS = 0x002F
_DIMENSIONS = 0x0200
_MULRK = 0x00BD
# NUMBER, RK, LABELSST, LABEL, BOOLERR, FORMULA: row and column are the body's first 4 bytes.
_CELLS = frozenset((0x0203, 0x027E, 0x00FD, 0x0204, 0x0205, 0x0006))
_RECORD = struct.Struct("<HHHH")  # type, size, and the row and column a cell record starts with
_HEADER = struct.Struct("<HH")
_U16 = struct.Struct("<H")
_BEFORE_BIFF8 = frozenset((0x0002, 0x0007, 0x0200, 0x0300, 0x0400, 0x0500))  # BOF versions
_WRAP = 0xFFFFFFFF  # the library counts a dimension's rows and columns in 32 bits
_FORMAT_COLUMNS = 256  # BIFF8's last column is IV
_MULRK_SKIMMED = 32  # MULRK records of up to that many cells are skimmed
# A sheet skimmed whole reaches 65,536 rows × fewer than 256 + 32 columns at most.
assert 65_536 * (_FORMAT_COLUMNS + _MULRK_SKIMMED) <= MAX_SHEET_CELLS
_MULRK_SIZES = b"|".join(  # size, row, first column < 256, the RKs: then the last column < 256
    re.escape(bytes((6 + 6 * count, 0))) + rb"...\x00.{%d}" % (6 * count)
    for count in range(2, _MULRK_SKIMMED + 1)
)
_SKIM = re.compile(  # a run of the usual records of a sheet, cells only in the first columns
    rb"(?:\xfd\x00\x0a\x00...\x00.{6}"  # LABELSST: type, size 10, row, column < 256, the rest
    rb"|\x7e\x02\x0a\x00...\x00.{6}"  # RK
    rb"|\x03\x02\x0e\x00...\x00.{10}"  # NUMBER
    rb"|\xbd\x00(?:" + _MULRK_SIZES + rb").\x00"  # MULRK of 2 to 32 cells
    rb"|\x05\x02\x08\x00...\x00.{4}"  # BOOLERR
    rb"|\x01\x02\x06\x00.{6}"  # BLANK (not kept by the library)
    rb"|\x08\x02\x10\x00.{16}"  # ROW
    rb")++",  # possessive: no state kept for backtracking
    re.DOTALL,
)


def check_xls_extents(path: Path, file_name: str) -> None:
    """Refuse an .xls whose sheet reaches past MAX_SHEET_CELLS, before it is loaded.

    Raises:
        ReadError: a sheet is too large or too sparse; the message names the file, the sheet,
            its last cell and what to do.
        ValueError: the OLE2 structure cannot be read.
    """
    stream = _workbook_stream(path)
    if stream is not None:  # with no workbook in it, the library says so itself
        check_stream_extents(stream, file_name)


def check_stream_extents(stream: bytes, file_name: str) -> None:
    """Refuse a Workbook stream whose sheet reaches past MAX_SHEET_CELLS.

    A sheet that keeps to the format's columns, as nearly all do, is only skimmed; one that
    does not is measured record by record, for the message.
    """
    buffer, end = stream + bytes(_RECORD.size), len(stream)
    for position, name in _bound_sheets(buffer, end):
        if _within_the_format(buffer, end, position):
            continue
        extent = SheetExtent(name, *_sheet_extent(buffer, end, position))
        if extent.rows * extent.columns > MAX_SHEET_CELLS:
            raise too_far_apart(extent, file_name, "Excel")


def _workbook_stream(path: Path) -> bytes | None:
    try:
        with olefile.OleFileIO(str(path)) as ole:
            for name in ("Workbook", "Book"):
                if ole.exists(name) and ole.get_type(name) == olefile.STGTY_STREAM:
                    with ole.openstream(name) as stream:
                        data: bytes = stream.read()
                        return data
    except Exception as error:  # olefile raises many kinds on a damaged file
        raise ValueError(f"unreadable OLE2 file: {error}") from error
    return None


def xls_extents(stream: bytes) -> Iterator[SheetExtent]:
    """The extent of every sheet of a Workbook stream, in the order of its BOUNDSHEET records.

    Nothing for a file encrypted with a password (the library refuses it before any sheet).
    """
    buffer = stream + bytes(_RECORD.size)  # a cell record cut short reads zeros, never past
    for position, name in _bound_sheets(buffer, len(stream)):
        rows, columns = _sheet_extent(buffer, len(stream), position)
        yield SheetExtent(name, rows, columns)


def _bound_sheets(buffer: bytes, end: int) -> list[tuple[int, str]]:
    """(offset of its BOF, name) of each sheet, from the globals substream up to its EOF."""
    sheets: list[tuple[int, str]] = []
    biff8 = True
    offset = 0
    while offset + 4 <= end:
        kind, size = _HEADER.unpack_from(buffer, offset)
        body = buffer[offset + 4 : offset + 4 + size]
        offset += 4 + size
        if offset > end or kind == _EOF:
            break
        if kind == _BOF and len(body) >= 2:
            biff8 = _U16.unpack_from(body)[0] not in _BEFORE_BIFF8
        elif kind == _FILEPASS and len(body) >= 2 and _U16.unpack_from(body)[0] != 0:
            return []  # encrypted: the library refuses it as protected with a password
        elif kind == _BOUNDSHEET and len(body) >= 8:
            sheets.append((struct.unpack_from("<I", body)[0], _sheet_name(body, biff8)))
    return sheets


def _sheet_name(body: bytes, biff8: bool) -> str:
    """A BOUNDSHEET's name: a count of characters, in BIFF8 a flags byte (bit 0: UTF-16),
    then the characters (only for messages: an odd code page reads as Windows-1252)."""
    count = body[6]
    if not biff8:
        text = body[7 : 7 + count].decode("cp1252", "replace")
    elif body[7] & 1:
        text = body[8 : 8 + 2 * count].decode("utf-16-le", "replace")
    else:
        text = body[8 : 8 + count].decode("latin-1")
    return text.replace("\0", "") or "(unnamed)"


def _sheet_extent(buffer: bytes, end: int, offset: int) -> tuple[int, int]:
    """Rows and columns (1-based last ones) a sheet's records reach, from offset to its EOF.

    Stops early once the extent passes the budget, and at a record cut short (where the
    library stops with an error, building no grid).
    """
    rows = columns = 0
    cells, unpack = _CELLS, _RECORD.unpack_from
    while offset + 4 <= end:
        kind, size, row, column = unpack(buffer, offset)
        offset += 4 + size
        if offset > end:
            break
        if kind in cells:  # the most frequent records first
            if row >= rows:
                rows = row + 1
            if column >= columns:
                columns = column + 1
                if rows * columns > MAX_SHEET_CELLS:
                    break
        elif kind == _MULRK:
            if size >= 6:
                # The library lays one cell per 6-byte RK from the first column on, so the
                # count of RKs tells the last column even when the stored one lies.
                last = max(_U16.unpack_from(buffer, offset - 2)[0], column + (size - 6) // 6 - 1)
                rows = max(rows, row + 1)
                columns = max(columns, last + 1)
                if rows * columns > MAX_SHEET_CELLS:
                    break
        elif kind == _DIMENSIONS:
            span = _dimension_span(buffer[offset - size : offset])
            if span[0] * span[1] > MAX_SHEET_CELLS:  # room the library reserves at once
                return span
        elif kind == _EOF:
            break
    return rows, columns


def _within_the_format(buffer: bytes, end: int, offset: int) -> bool:
    """True when a sheet keeps to the format's 256 columns (give or take a MULRK's last 31
    cells: within the budget, whatever its rows) and its DIMENSIONS record asks for no more
    than the budget; False when it may not, and must be measured.

    The usual records are skimmed in runs by a regular expression (in C): it steps from
    record to record as the walk does, taking a cell record only when its column is below
    256. The other records (formulas, MULRK, DIMENSIONS...) are looked at one by one.
    """
    skim = _SKIM.match
    while offset + 4 <= end:
        run = skim(buffer, offset, end)
        if run is not None:
            offset = run.end()
            if offset + 4 > end:
                break
        kind, size, _, column = _RECORD.unpack_from(buffer, offset)
        offset += 4 + size
        if offset > end:
            break
        if kind in _CELLS:
            if column >= _FORMAT_COLUMNS:
                return False
        elif kind == _MULRK:
            if size >= 6:
                last = max(_U16.unpack_from(buffer, offset - 2)[0], column + (size - 6) // 6 - 1)
                if last >= _FORMAT_COLUMNS:
                    return False
        elif kind == _DIMENSIONS:
            rows, columns = _dimension_span(buffer[offset - size : offset])
            if rows * columns > MAX_SHEET_CELLS:
                return False
        elif kind == _EOF:
            break
    return True


def _dimension_span(body: bytes) -> tuple[int, int]:
    """(rows, columns) the library reserves room for from a DIMENSIONS record.

    It counts last - first + 1 in 32 bits from rwMic, rwMac (one past the last row), colMic
    and colMac, so a first row past the last wraps round to billions; a record of another
    size is an error that ends the reading.
    """
    if len(body) == 14:
        first_row, end_row, first_column, end_column = struct.unpack_from("<IIHH", body)
    elif len(body) == 10:
        first_row, end_row, first_column, end_column = struct.unpack_from("<HHHH", body)
    else:
        return 0, 0
    if end_row < 1 or end_column < 1:
        return 1, 1
    return (end_row - first_row) & _WRAP, (end_column - first_column) & _WRAP
