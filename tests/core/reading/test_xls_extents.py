"""Sheet extents of legacy .xls workbooks, found before the spreadsheet library loads them."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import olefile
import pytest
import xlwt

from twconv_gui.core.errors import ReadError
from twconv_gui.core.reading.biff_extents import (
    check_stream_extents,
    check_xls_extents,
    xls_extents,
)
from twconv_gui.core.reading.opening import open_table
from twconv_gui.core.reading.package_checks import MAX_SHEET_CELLS

BOF, EOF, BOUNDSHEET, CONTINUE, DIMENSIONS = 0x0809, 0x000A, 0x0085, 0x003C, 0x0200
NUMBER, RK, LABELSST, BLANK, MULRK, MULBLANK, FORMULA = (
    0x0203, 0x027E, 0x00FD, 0x0201, 0x00BD, 0x00BE, 0x0006,
)  # fmt: skip


def write_xls(path: Path, sheets: dict[str, list[tuple[int, int, object]]]) -> Path:
    book = xlwt.Workbook()
    for name, cells in sheets.items():
        sheet = book.add_sheet(name)
        for row, column, value in cells:
            sheet.write(row, column, value)
    book.save(str(path))
    return path


def records(stream: bytes, offset: int = 0):
    while offset + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, offset)
        yield offset, kind, size
        offset += 4 + size


def patch_cell(source: Path, target: Path, at: tuple[int, int], to: tuple[int, int]) -> Path:
    """A copy of SOURCE whose cell record at (row, column) AT is moved to TO, in place (the
    Workbook stream keeps its length, so olefile writes it back over the same sectors)."""
    shutil.copy(source, target)
    with olefile.OleFileIO(str(target), write_mode=True) as ole:
        stream = bytearray(ole.openstream("Workbook").read())
        for offset, kind, _ in records(bytes(stream)):
            if kind in (NUMBER, RK) and struct.unpack_from("<HH", stream, offset + 4) == at:
                struct.pack_into("<HH", stream, offset + 4, *to)
                break
        else:
            raise AssertionError(f"no cell record at {at}")
        ole.write_stream("Workbook", bytes(stream))
    return target


def record(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def cell(kind: int, row: int, column: int, rest: bytes = bytes(6)) -> bytes:
    return record(kind, struct.pack("<HHH", row, column, 0) + rest)


def mulrk(row: int, first: int, count: int, last: int | None = None) -> bytes:
    rks = b"".join(struct.pack("<HI", 0, 2 << 2 | 2) for _ in range(count))
    end = first + count - 1 if last is None else last
    return record(MULRK, struct.pack("<HH", row, first) + rks + struct.pack("<H", end))


def dimensions(first_row: int, end_row: int, first_column: int, end_column: int) -> bytes:
    return record(DIMENSIONS, struct.pack("<IIHHH", first_row, end_row, first_column,
                                          end_column, 0))  # fmt: skip


def workbook_stream(sheets: dict[str, bytes], *, unicode_names: bool = False) -> bytes:
    """A Workbook stream: the globals (BOF, a BOUNDSHEET per sheet, EOF), then each sheet's
    records between its own BOF and EOF, at the offset its BOUNDSHEET gives."""
    bof = record(BOF, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0))

    def bound(position: int, name: str) -> bytes:
        if unicode_names:
            text = b"\x01" + name.encode("utf-16-le")
        else:
            text = b"\x00" + name.encode("latin-1")
        return record(BOUNDSHEET, struct.pack("<IBBB", position, 0, 0, len(name)) + text)

    globals_size = len(bof) + sum(len(bound(0, name)) for name in sheets) + len(record(EOF))
    position, bounds, bodies = globals_size, b"", b""
    for name, body in sheets.items():
        substream = bof + body + record(EOF)
        bounds += bound(position, name)
        bodies += substream
        position += len(substream)
    return bof + bounds + record(EOF) + bodies


def extents(stream: bytes) -> list[tuple[str, int, int]]:
    return [(extent.name, extent.rows, extent.columns) for extent in xls_extents(stream)]


# --- files written by xlwt ----------------------------------------------------------------


def test_an_ordinary_xls_is_measured_and_still_read(tmp_path):
    book = write_xls(tmp_path / "plain.xls", {
        "Notes": [(0, 0, "see Orders")],
        "Orders": [(0, 0, "Email"), (0, 1, "Value"), (1, 0, "a@x.com"), (1, 1, 12.5)],
    })  # fmt: skip
    with olefile.OleFileIO(str(book)) as ole:
        stream = ole.openstream("Workbook").read()
    assert extents(stream) == [("Notes", 1, 1), ("Orders", 2, 2)]
    check_xls_extents(book, book.name)
    table = open_table(book, sheet="Orders")
    assert [cells for _, cells in table.rows()] == [("a@x.com", 12.5)]


def test_the_largest_sheet_the_format_allows_passes(tmp_path):
    book = write_xls(tmp_path / "full.xls", {"S": [(0, 0, "Email"), (65535, 255, 1.5)]})
    check_xls_extents(book, book.name)  # 65,536 × 256: within the budget


def test_a_cell_record_in_column_65536_is_refused_naming_the_sheet_and_last_cell(tmp_path):
    written = write_xls(tmp_path / "written.xls", {
        "Cover": [(0, 0, "x")],
        "Orders": [(0, 0, "Email"), (65535, 255, 1.5)],
    })  # fmt: skip
    book = patch_cell(written, tmp_path / "far.xls", (65535, 255), (65535, 65535))
    with pytest.raises(ReadError) as refused:
        check_xls_extents(book, book.name)
    message = str(refused.value)
    assert "far.xls" in message
    assert "\u201cOrders\u201d" in message
    assert "CRXP65536" in message  # column 65,536, row 65,536
    assert "65,536 rows × 65,536 columns" in message
    assert "In Excel, press Ctrl+End" in message
    assert ".csv" in message


def test_an_ole2_file_that_cannot_be_read_is_refused_as_damaged(tmp_path):
    book = tmp_path / "broken.xls"
    book.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(ValueError, match="OLE2"):
        check_xls_extents(book, book.name)
    with pytest.raises(ReadError, match="not a valid Excel workbook"):
        open_table(book)


# --- crafted record streams -----------------------------------------------------------------


def test_every_sheet_is_measured_from_the_cells_the_library_keeps():
    stream = workbook_stream({
        "Cover": cell(LABELSST, 0, 0, bytes(4)),
        "Orders": cell(NUMBER, 0, 0, bytes(8)) + cell(RK, 9, 2, bytes(4))
        + cell(FORMULA, 4, 6, bytes(14)) + mulrk(3, 1, 5),
    })  # fmt: skip
    assert extents(stream) == [("Cover", 1, 1), ("Orders", 10, 7)]


def test_a_mulrk_counts_its_cells_even_when_its_last_column_lies():
    stream = workbook_stream({"S": mulrk(0, 65533, 3, last=1)})  # the library lays 3 cells
    assert extents(stream) == [("S", 1, 65536)]


def test_blank_cells_do_not_count_as_the_library_drops_them():
    blanks = record(BLANK, struct.pack("<HHH", 65535, 65535, 0))
    blanks += record(MULBLANK, struct.pack("<HHHHH", 65535, 65533, 0, 0, 65535))
    stream = workbook_stream({"S": cell(RK, 0, 0, bytes(4)) + blanks})
    assert extents(stream) == [("S", 1, 1)]


def test_continue_records_are_stepped_over_and_their_bytes_never_read_as_cells():
    hidden = cell(RK, 65535, 65535, bytes(4))  # looks like a cell, inside a CONTINUE
    stream = workbook_stream({"S": cell(LABELSST, 2, 3, bytes(4)) + record(CONTINUE, hidden)})
    assert extents(stream) == [("S", 3, 4)]


def test_cells_after_a_sheets_eof_do_not_count_to_it_and_unicode_names_are_read():
    far = cell(RK, 65535, 65535, bytes(4))
    sheets = {"Ventes \u00e9t\u00e9": cell(RK, 1, 1, bytes(4)) + record(EOF) + far}
    assert extents(workbook_stream(sheets, unicode_names=True)) == [("Ventes \u00e9t\u00e9", 2, 2)]


def test_a_small_dimensions_record_is_not_trusted_when_cells_reach_further():
    body = dimensions(0, 1, 0, 1) + cell(RK, 0, 0, bytes(4)) + cell(NUMBER, 65535, 65535)
    with pytest.raises(ReadError, match=r"CRXP65536"):
        check_stream_extents(workbook_stream({"Orders": body}), "x.xls")


@pytest.mark.parametrize(
    ("record_", "span"),
    [
        (dimensions(0, 65536, 0, 65535), (65536, 65535)),  # the library reserves that much
        (dimensions(7, 3, 0, 1), (0xFFFFFFFC, 1)),  # a first row past the last wraps round
    ],
)
def test_a_dimensions_record_asking_for_too_much_room_is_refused_alone(record_, span):
    stream = workbook_stream({"Orders": record_ + cell(RK, 0, 0, bytes(4))})
    assert extents(stream) == [("Orders", *span)]


def test_an_encrypted_file_is_left_to_the_library_which_refuses_it_as_protected():
    stream = workbook_stream({"S": cell(RK, 65535, 65535, bytes(4))})
    filepass = record(0x002F, struct.pack("<HHH", 1, 1, 1))
    bof_end = len(record(BOF, bytes(16)))
    encrypted = stream[:bof_end] + filepass + stream[bof_end:]  # offsets now off: unread
    assert extents(encrypted) == []


def test_a_record_cut_short_ends_the_sheet():
    stream = workbook_stream({"S": cell(RK, 1, 1, bytes(4))})
    cut = stream[: -len(record(EOF))] + struct.pack("<HH", RK, 10) + struct.pack("<HH", 9, 9)
    assert extents(cut) == [("S", 2, 2)]


def test_a_sheet_just_past_the_budget_stops_at_the_cell_that_passes_it():
    columns = MAX_SHEET_CELLS // 65536 + 1
    body = cell(RK, 65535, 0, bytes(4)) + cell(RK, 0, columns - 1, bytes(4))
    body += cell(RK, 0, 65535, bytes(4))  # never read
    assert extents(workbook_stream({"S": body})) == [("S", 65536, columns)]


USUAL = cell(LABELSST, 0, 0, bytes(4)) + record(0x0208, bytes(16)) + mulrk(1, 0, 3)
SHEETS = {
    "usual": USUAL + cell(NUMBER, 65535, 255, bytes(8)) + cell(RK, 3, 1, bytes(4)),
    "wide mulrk, skimmed": USUAL + mulrk(65535, 250, 32),  # reaches column 282: passes
    "mulrk whose last column lies": USUAL + mulrk(65535, 65533, 3, last=1),
    "far number of an odd size": USUAL + cell(NUMBER, 65535, 65535, bytes(12)),
    "far formula": USUAL + cell(FORMULA, 65535, 900, bytes(14)),
    "far label": USUAL + cell(0x0204, 65535, 700, b"\x01\x00\x00x"),
    "far cell first": cell(RK, 0, 65535, bytes(4)) + USUAL + cell(RK, 65535, 0, bytes(4)),
    "dimensions asking too much": dimensions(0, 65536, 0, 1000) + USUAL,
    "blank cells far away": USUAL + record(BLANK, struct.pack("<HHH", 65535, 65535, 0)),
}


@pytest.mark.parametrize("name", list(SHEETS))
def test_skimming_refuses_exactly_the_sheets_measured_past_the_budget(name):
    stream = workbook_stream({"Cover": USUAL, name: SHEETS[name]})
    (_, rows, columns) = extents(stream)[1]
    if rows * columns > MAX_SHEET_CELLS:
        with pytest.raises(ReadError, match=f"\u201c{name}\u201d"):
            check_stream_extents(stream, "x.xls")
    else:
        check_stream_extents(stream, "x.xls")
    assert (rows * columns > MAX_SHEET_CELLS) == (name in {
        "mulrk whose last column lies", "far number of an odd size", "far formula",
        "far label", "far cell first", "dimensions asking too much",
    })  # fmt: skip
