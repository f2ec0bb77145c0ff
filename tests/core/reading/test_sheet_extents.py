"""Sheet extents of .ods and .xlsb workbooks, found before the spreadsheet library loads them."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from tests.workbook_writers import (
    EMPTY_TAIL,
    empty_cells,
    record,
    row,
    sheet_bin,
    text_cell,
    write_ods,
    write_xlsb,
)
from twconv_gui.core.errors import ReadError
from twconv_gui.core.reading import package_checks
from twconv_gui.core.reading.opening import open_table
from twconv_gui.core.reading.package_checks import MAX_SHEET_CELLS, check_sheet_extents

ORDERS = [(0, 0, "Email"), (0, 1, "Value"), (1, 0, "a@x.com"), (1, 1, 12.5)]


def extents(path: Path) -> list[tuple[str, int, int]]:
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        found = (
            package_checks._ods_extents(archive)
            if "content.xml" in names
            else package_checks._xlsb_extents(archive, names)
        )
        return [(extent.name, extent.rows, extent.columns) for extent in found]


# --- OpenDocument ---------------------------------------------------------------------------


def test_the_empty_rows_and_columns_libreoffice_writes_at_the_end_do_not_count(tmp_path):
    header = row(text_cell("Email") + text_cell("Name") + empty_cells(1022))
    rows = header + row(text_cell("a@x.com") + text_cell("Ann") + empty_cells(1022)) + EMPTY_TAIL
    book = write_ods(tmp_path / "calc.ods", {"Feuille 1": rows, "Vide": EMPTY_TAIL})
    assert extents(book) == [("Feuille 1", 2, 2), ("Vide", 0, 0)]
    table = open_table(book)
    assert [cells for _, cells in table.rows()] == [("a@x.com", "Ann")]


def test_repeated_rows_and_cells_holding_a_value_count_as_often_as_repeated(tmp_path):
    rows = (row(text_cell("Email")) + row(empty_cells(3), repeat=10)
            + row(empty_cells(4) + text_cell("x", repeat=3) + empty_cells(100), repeat=5)
            + EMPTY_TAIL)  # fmt: skip
    assert extents(write_ods(tmp_path / "r.ods", {"S": rows})) == [("S", 16, 7)]


def test_a_covered_cell_and_a_formula_count_as_cells(tmp_path):
    rows = row(
        text_cell("a") + '<table:covered-table-cell/><table:table-cell table:formula="of:=1"/>'
    )
    assert extents(write_ods(tmp_path / "f.ods", {"S": rows})) == [("S", 1, 3)]


def test_a_sparse_ods_is_refused_naming_the_file_the_sheet_and_the_last_cell(tmp_path):
    rows = (row(text_cell("Email")) + row(empty_cells(1), repeat=1048574)
            + row(empty_cells(16383) + text_cell("x")) + EMPTY_TAIL)  # fmt: skip
    book = write_ods(tmp_path / "sparse.ods", {"Notes": row(text_cell("x")), "Orders": rows})
    with pytest.raises(ReadError) as refused:
        open_table(book)
    message = str(refused.value)
    assert "sparse.ods" in message
    assert "\u201cOrders\u201d" in message
    assert "XFD1048576" in message
    assert "Ctrl+End" in message
    assert ".csv" in message


def test_an_ods_just_past_the_budget_stops_reading_at_the_row_that_passes_it(tmp_path):
    rows = (row(text_cell("Email", repeat=40))
            + row(text_cell("v", repeat=40), repeat=MAX_SHEET_CELLS // 40)
            + row(text_cell("never read")))  # fmt: skip
    book = write_ods(tmp_path / "big.ods", {"S": rows})
    assert extents(book) == [("S", MAX_SHEET_CELLS // 40 + 1, 40)]
    with zipfile.ZipFile(book) as archive, pytest.raises(ReadError, match=r"AN1000001"):
        check_sheet_extents(archive, book.name)


def test_an_ods_made_by_odfpy_reads_as_before(make_ods):
    table = open_table(make_ods("plain.ods", {"Orders": [["Email", "Value"], ["a@x.com", 3]]}))
    assert [cells for _, cells in table.rows()] == [("a@x.com", 3)]


def test_rows_cut_by_the_end_of_a_read_are_read_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(package_checks, "_CHUNK", 7)  # every row and tag is cut somewhere
    rows = row(text_cell("Email")) + row(empty_cells(5) + text_cell("x"), repeat=3) + EMPTY_TAIL
    assert extents(write_ods(tmp_path / "cut.ods", {"Q&amp;A": rows})) == [("Q&A", 4, 6)]


# --- .xlsb ------------------------------------------------------------------------------------


def test_a_small_xlsb_is_measured_and_read(tmp_path):
    book = write_xlsb(tmp_path / "small.xlsb", {"Orders": sheet_bin((0, 1, 0, 1), ORDERS)})
    assert extents(book) == [("Orders", 2, 2)]
    table = open_table(book)
    assert table.sheet == "Orders"
    assert [cells for _, cells in table.rows()] == [("a@x.com", 12.5)]


@pytest.mark.parametrize(
    ("dimension", "cells"),
    [
        ((0, 1048575, 0, 16383), [(0, 0, "Email")]),  # BrtWsDim says so
        ((0, 0, 0, 0), [(0, 0, "Email"), (1048575, 16383, 1.0)]),  # BrtWsDim lies; cells tell
    ],
)
def test_a_sparse_xlsb_is_refused_from_its_dimension_or_its_cells(tmp_path, dimension, cells):
    sheets = {
        "Cover": sheet_bin((0, 0, 0, 0), [(0, 0, "x")]),
        "Orders": sheet_bin(dimension, cells),
    }
    book = write_xlsb(tmp_path / "sparse.xlsb", sheets)
    with pytest.raises(ReadError) as refused:
        open_table(book)
    message = str(refused.value)
    assert "sparse.xlsb" in message
    assert "\u201cOrders\u201d" in message
    assert "XFD1048576" in message
    assert "Ctrl+End" in message


def test_blank_cells_do_not_count_in_an_xlsb(tmp_path):
    blank = record(0x01, struct.pack("<II", 9000, 0))  # BrtCellBlank: kept out of the grid
    data = sheet_bin((0, 0, 0, 0), [(0, 0, "Email")]).replace(record(0x92), blank + record(0x92))
    assert extents(write_xlsb(tmp_path / "b.xlsb", {"S": data})) == [("S", 1, 1)]


def test_records_with_long_types_and_sizes_are_walked_in_pieces(monkeypatch):
    monkeypatch.setattr(package_checks, "_CHUNK", 3)
    data = record(0x0267, b"\x01" * 200) + record(0x94, bytes(16)) + record(0x05, bytes(16))
    found = list(package_checks._records(io.BytesIO(data + b"\x80")))  # a cut header ends it
    assert [(kind, len(body)) for kind, body in found] == [(0x0267, 200), (0x94, 16), (0x05, 16)]


def test_an_xlsb_whose_workbook_part_cannot_be_read_is_measured_sheet_by_sheet(tmp_path):
    book = write_xlsb(tmp_path / "odd.xlsb", {"Orders": sheet_bin((0, 5, 0, 3), ORDERS)})
    with zipfile.ZipFile(book, "a") as archive:
        archive.writestr("xl/worksheets/sheet9.bin", sheet_bin((0, 1048575, 0, 99), []))
    assert extents(book) == [("Orders", 6, 4), ("sheet9.bin", 1048576, 100)]


@pytest.mark.parametrize("chunk", [1, 5, 64])
def test_an_xlsb_sheet_read_in_small_pieces_gives_the_same_extent(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(package_checks, "_CHUNK", chunk)
    cells = [*ORDERS, (7, 3, "far"), (2, 9, 1.0)]
    book = write_xlsb(tmp_path / "p.xlsb", {"Orders": sheet_bin((0, 1, 0, 1), cells)})
    assert extents(book) == [("Orders", 8, 10)]
