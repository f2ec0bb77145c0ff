"""Placeholders read as empty, stray control characters dropped, rows above the header kept."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from twconv_gui.core.errors import ReadError
from twconv_gui.core.reading.opening import open_table

Make = Callable[..., Path]
MakeBytes = Callable[[str, bytes], Path]

PLACEHOLDERS = [
    "null",
    "NULL",
    "Null",
    "N/A",
    "n/a",
    "#N/A",
    "-",
    "(blank)",
    "nil",
    " N/A ",
    "(not set)",
]


@pytest.mark.parametrize("value", PLACEHOLDERS)
def test_placeholders_in_a_text_file_are_empty(make_text: Make, value: str) -> None:
    table = open_table(make_text("p.csv", f"Email,Phone,Total\na@x.com,{value},-5.00\n"))
    assert list(table.rows()) == [(2, ("a@x.com", None, "-5.00"))]
    assert [cell for chunk in table.column_chunks([1], 10) for cell in chunk[0]] == [None]


def test_values_that_only_start_like_placeholders_are_kept(make_text: Make) -> None:
    content = "Company,Name,Total\nN/A Corp,None,-5.00\nnull island,Nil Ltd,-\n"
    rows = list(open_table(make_text("keep.csv", content)).rows())
    assert rows == [(2, ("N/A Corp", "None", "-5.00")), (3, ("null island", "Nil Ltd", None))]


def test_placeholder_header_is_left_as_written(make_text: Make) -> None:
    table = open_table(make_text("h.csv", "Email,N/A\na@x.com,null\n"))
    assert table.columns == ("Email", "N/A")
    assert list(table.rows()) == [(2, ("a@x.com", None))]


def test_placeholders_in_workbook_text_cells_are_empty(make_xlsx: Make) -> None:
    rows = [["Email", "Phone", "Total", "Company"], ["a@x.com", "NULL", -5, "N/A Corp"]]
    rows.append(["b@x.com", "#N/A", "(blank)", "None"])
    table = open_table(make_xlsx("p.xlsx", {"Orders": rows}))
    assert list(table.rows()) == [
        (2, ("a@x.com", None, -5, "N/A Corp")),
        (3, ("b@x.com", None, None, "None")),
    ]


def test_nul_bytes_in_a_rich_text_field_are_dropped_with_one_note(make_bytes: MakeBytes) -> None:
    body = b"Id,Email,Description\n"
    body += b"".join(b"%d,u%d@x.com,plain text\n" % (i, i) for i in range(1, 4))
    body += b'4,d@x.com,"<p>rich\x00\x00 text</p>"\n5,e@x.com,ok\n6,f@x.com,end\x00\x01\n'
    table = open_table(make_bytes("salesforce.csv", body))
    rows = dict(table.rows())
    assert rows[5] == ("4", "d@x.com", "<p>rich text</p>")
    assert rows[7] == ("6", "f@x.com", "end")
    assert table.notes == (
        "Column “Description” of salesforce.csv held NUL or other control characters in "
        "2 rows (first: row 5); they were dropped from the cells.",
    )
    chunks = [cell for chunk in table.column_chunks([2], 10) for cell in chunk[0]]
    assert "<p>rich text</p>" in chunks


def test_control_characters_in_two_columns_make_one_note(make_bytes: MakeBytes) -> None:
    body = b"Email,Name,Note\na@x.com,An\x0bn,x\x1by\nb@x.com,Bob,z\x07\n"
    table = open_table(make_bytes("two.csv", body))
    assert list(table.rows()) == [(2, ("a@x.com", "Ann", "xy")), (3, ("b@x.com", "Bob", "z"))]
    assert table.notes == (
        "Columns “Name” (1 row, first: row 2) and “Note” (2 rows, first: row 2) of two.csv "
        "held NUL or other control characters; they were dropped from the cells.",
    )


def test_clean_file_has_no_notes(make_text: Make) -> None:
    assert open_table(make_text("c.csv", "Email\ta\nx@y.z\tb\n")).notes == ()


@pytest.mark.parametrize(
    ("head", "what"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200), "a JPEG image"),
    ],
)
def test_documents_and_images_named_csv_are_refused(
    make_bytes: MakeBytes, head: bytes, what: str
) -> None:
    with pytest.raises(
        ReadError, match=rf"file\.csv does not look like a text table: it is {what}"
    ):
        open_table(make_bytes("file.csv", head + b"Email,Name\n" * 3))


def test_zip_archive_named_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("export.csv", "Email\na@x.com\n")
    with pytest.raises(ReadError, match=r"export\.csv .* it is a zip archive"):
        open_table(path)


def test_google_ads_template_parameters_row_is_kept_above_the_header(make_text: Make) -> None:
    content = (
        "Parameters:TimeZone=America/New_York,,,,\n"
        "Google Click ID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency\n"
        "Cj0KCQiA1,Purchase,2024-01-05 13:45:00,12.5,USD\n"
        "Cj0KCQiA2,Purchase,2024-01-06 09:00:00,7,USD\n"
    )
    table = open_table(make_text("gads.csv", content))
    assert table.header_row == 2
    assert table.columns[0] == "Google Click ID"
    assert table.preamble == (("Parameters:TimeZone=America/New_York", None, None, None, None),)
    assert next(table.rows()) == (
        3,
        ("Cj0KCQiA1", "Purchase", "2024-01-05 13:45:00", "12.5", "USD"),
    )


def test_google_ads_template_without_trailing_commas(make_text: Make) -> None:
    content = (
        "Parameters:TimeZone=America/New_York\n"
        "Google Click ID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency\n"
        "Cj0KCQiA1,Purchase,2024-01-05 13:45:00,12.5,USD\n"
    )
    table = open_table(make_text("gads.csv", content))
    assert table.header_row == 2
    assert table.preamble == (("Parameters:TimeZone=America/New_York",),)


def test_preamble_keeps_empty_rows_and_workbook_values(make_xlsx: Make) -> None:
    rows = [["Sales export"], [None], ["Email", "Total"], ["a@x.com", 3]]
    table = open_table(make_xlsx("pre.xlsx", {"Data": rows}))
    assert table.header_row == 3
    assert table.preamble == (("Sales export", None), ())  # as read: the sheet is 2 wide


def test_no_preamble_when_the_header_is_row_one(make_text: Make) -> None:
    assert open_table(make_text("a.csv", "Email\na@x.com\n")).preamble == ()
