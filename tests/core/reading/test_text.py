"""CSV/TSV/TXT reading: encodings, delimiters, quoting, row numbers, binary junk."""

from __future__ import annotations

import codecs
import csv
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from twconv_gui.core.errors import ReadError
from twconv_gui.core.reading.cleaning import EMPTY_VALUES
from twconv_gui.core.reading.opening import open_table
from twconv_gui.core.reading.text import detect_delimiter

MakeText = Callable[..., Path]


def test_utf8_csv_reads_names_and_cells(make_text: MakeText) -> None:
    path = make_text("orders.csv", "Email,Name,Amount\nzoë@example.com,Zoë Ångström,12.50\n")
    table = open_table(path)
    assert table.kind == "csv"
    assert table.encoding == "utf-8"
    assert table.delimiter == ","
    assert table.header_row == 1
    assert table.columns == ("Email", "Name", "Amount")
    assert list(table.rows()) == [(2, ("zoë@example.com", "Zoë Ångström", "12.50"))]


def test_utf8_bom_is_not_part_of_first_column_name(make_text: MakeText) -> None:
    path = make_text("bom.csv", "Email;Name\na@x.com;Renée\n", bom=codecs.BOM_UTF8)
    table = open_table(path)
    assert table.encoding == "utf-8-sig"
    assert table.columns == ("Email", "Name")
    assert list(table.rows()) == [(2, ("a@x.com", "Renée"))]


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)],
)
def test_excel_unicode_text_utf16_with_bom_tab_delimited(
    make_text: MakeText, encoding: str, bom: bytes
) -> None:
    content = "Email\tName\tCity\r\nb@x.com\tJosé Müller\tZürich\r\nc@x.com\t李雷\tBeijing\r\n"
    path = make_text("unicode.txt", content, encoding=encoding, bom=bom)
    table = open_table(path)
    assert table.delimiter == "\t"
    assert table.columns == ("Email", "Name", "City")
    assert list(table.rows()) == [
        (2, ("b@x.com", "José Müller", "Zürich")),
        (3, ("c@x.com", "李雷", "Beijing")),
    ]


def test_utf16_without_bom_is_recognised(make_text: MakeText) -> None:
    path = make_text("nobom.csv", "Email,Name\nd@x.com,Chloé\n", encoding="utf-16-le")
    table = open_table(path)
    assert table.encoding == "utf-16-le"
    assert list(table.rows()) == [(2, ("d@x.com", "Chloé"))]


def test_cp1252_with_euro_and_accents(make_text: MakeText) -> None:
    content = "Nom;Prénom;Montant\nDupré;Hélène;12,50 €\nNúñez;Iñés;€ 3\n"
    path = make_text("export.csv", content, encoding="cp1252")
    table = open_table(path)
    assert table.encoding == "cp1252"
    assert table.delimiter == ";"
    assert table.columns == ("Nom", "Prénom", "Montant")
    assert list(table.rows()) == [
        (2, ("Dupré", "Hélène", "12,50 €")),
        (3, ("Núñez", "Iñés", "€ 3")),
    ]


def test_latin1_last_resort_for_bytes_cp1252_lacks(make_text: MakeText) -> None:
    # 0x81 is undefined in cp1252, so only latin-1 decodes this file.
    path = make_text("odd.csv", "Name,Code\nAé,x\x81y\n", encoding="latin-1")
    table = open_table(path)
    assert table.encoding == "latin-1"
    assert list(table.rows()) == [(2, ("Aé", "x\x81y"))]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter_is_detected(make_text: MakeText, delimiter: str) -> None:
    lines = ["Email", "Phone", "Country"], ["a@x.com", "+1 555 0100", "US"], ["b@x.com", "", "FR"]
    content = "\n".join(delimiter.join(line) for line in lines) + "\n"
    table = open_table(make_text("d.txt", content))
    assert table.delimiter == delimiter
    assert table.columns == ("Email", "Phone", "Country")
    assert list(table.rows()) == [
        (2, ("a@x.com", "+1 555 0100", "US")),
        (3, ("b@x.com", None, "FR")),
    ]


def test_semicolon_file_with_decimal_commas(make_text: MakeText) -> None:
    content = "Email;Value;Quantity\na@x.com;1234,56;2\nb@x.com;0,5;1\nc@x.com;12;3\n"
    table = open_table(make_text("eu.csv", content))
    assert table.delimiter == ";"
    assert [cells for _, cells in table.rows()] == [
        ("a@x.com", "1234,56", "2"),
        ("b@x.com", "0,5", "1"),
        ("c@x.com", "12", "3"),
    ]


def test_quoted_fields_with_delimiter_newline_and_doubled_quotes(make_text: MakeText) -> None:
    content = (
        "Name,Note,Email\r\n"
        '"Smith, John","line one\r\nline two",john@x.com\r\n'
        '"O\'Brien","she said ""hi""",ob@x.com\r\n'
        "Last,plain,last@x.com\r\n"
    )
    table = open_table(make_text("quoted.csv", content))
    rows = list(table.rows())
    assert rows == [
        (2, ("Smith, John", "line one\r\nline two", "john@x.com")),
        (3, ("O'Brien", 'she said "hi"', "ob@x.com")),
        (4, ("Last", "plain", "last@x.com")),
    ]


def test_crlf_line_endings_leave_no_carriage_returns(make_text: MakeText) -> None:
    table = open_table(make_text("crlf.csv", "A,B\r\n1,2\r\n3,4\r\n"))
    assert table.columns == ("A", "B")
    assert list(table.rows()) == [(2, ("1", "2")), (3, ("3", "4"))]


def test_whitespace_is_kept_and_empty_cells_are_none(make_text: MakeText) -> None:
    table = open_table(make_text("ws.csv", "Name , Email\n  Ann  ,\n"))
    assert table.columns == ("Name", "Email")
    assert table.source_headers == ("Name", "Email")
    assert list(table.rows()) == [(2, ("  Ann  ", None))]


def test_title_and_blank_rows_above_header(make_text: MakeText) -> None:
    content = "Sales report Q3\n\n,,\nEmail,Name,Amount\na@x.com,Ann,1\n\n,,\nb@x.com,Bob,2\n"
    table = open_table(make_text("report.csv", content))
    assert table.header_row == 4
    assert table.columns == ("Email", "Name", "Amount")
    # Empty rows 6 and 7 are skipped, but Bob keeps his row number 8.
    assert list(table.rows()) == [(5, ("a@x.com", "Ann", "1")), (8, ("b@x.com", "Bob", "2"))]


def test_header_row_override(make_text: MakeText) -> None:
    content = "id,email\nmeta,info\nEmail,Name\na@x.com,Ann\n"
    table = open_table(make_text("o.csv", content), header_row=3)
    assert table.header_row == 3
    assert table.columns == ("Email", "Name")
    assert list(table.rows()) == [(4, ("a@x.com", "Ann"))]


def test_excel_sep_line_sets_delimiter_and_is_not_a_row(make_text: MakeText) -> None:
    table = open_table(make_text("sep.csv", "sep=|\nEmail|Name\na@x.com|Ann, Jr\n"))
    assert table.delimiter == "|"
    assert table.header_row == 1
    assert list(table.rows()) == [(2, ("a@x.com", "Ann, Jr"))]


def test_single_column_file_falls_back_to_comma(make_text: MakeText) -> None:
    table = open_table(make_text("emails.txt", "Email\na@x.com\nb@x.com\n"))
    assert table.delimiter == ","
    assert table.columns == ("Email",)
    assert [cells for _, cells in table.rows()] == [("a@x.com",), ("b@x.com",)]


def test_short_and_long_rows_are_shaped_to_the_header(make_text: MakeText) -> None:
    content = "Email,Name,Phone\na@x.com\nb@x.com,Bob,1,EXTRA\n"
    table = open_table(make_text("ragged.csv", content))
    # The sample shows data beyond the header, so it gets a column rather than being lost.
    assert table.columns == ("Email", "Name", "Phone", "Column D")
    assert list(table.rows()) == [
        (2, ("a@x.com", None, None, None)),
        (3, ("b@x.com", "Bob", "1", "EXTRA")),
    ]


def test_rows_can_be_read_twice(make_text: MakeText) -> None:
    table = open_table(make_text("twice.csv", "A,B\n1,2\n3,4\n"))
    assert list(table.rows()) == list(table.rows())


def test_thousand_rows_with_estimate(make_text: MakeText) -> None:
    content = "Email,Amount\n" + "".join(f"user{i}@example.com,{i}\n" for i in range(1500))
    table = open_table(make_text("many.csv", content))
    rows = list(table.rows())
    assert len(rows) == 1500
    assert rows[-1] == (1501, ("user1499@example.com", "1499"))
    assert table.estimated_rows == 1500


def test_estimate_for_a_file_larger_than_the_sample(make_text: MakeText) -> None:
    content = "Email,Amount\n" + "".join(f"user{i:06d}@example.com,{i}\n" for i in range(30000))
    table = open_table(make_text("large.csv", content))
    assert table.estimated_rows is not None
    assert 27000 < table.estimated_rows < 33000
    assert sum(1 for _ in table.rows()) == 30000


def test_binary_junk_is_refused(make_bytes: Callable[[str, bytes], Path]) -> None:
    junk = bytes(range(256)) * 40
    with pytest.raises(ReadError, match=r"junk\.csv does not look like a text table"):
        open_table(make_bytes("junk.csv", junk))


def test_control_bytes_without_nul_are_refused(make_bytes: Callable[[str, bytes], Path]) -> None:
    junk = bytes(b for b in range(1, 256)) * 40
    with pytest.raises(ReadError, match="does not look like a text table"):
        open_table(make_bytes("ctrl.csv", junk))


def test_workbook_with_csv_name_says_to_rename(
    make_xlsx: Callable[..., Path], tmp_path: Path
) -> None:
    xlsx = make_xlsx("real.xlsx", {"S": [["Email"], ["a@x.com"]]})
    renamed = xlsx.rename(tmp_path / "real.csv")
    with pytest.raises(ReadError, match=r"real\.csv .*Rename it to \.xlsx"):
        open_table(renamed)


def test_undecodable_bytes_far_into_a_utf8_file(make_bytes: Callable[[str, bytes], Path]) -> None:
    head = "Name,Email\nZoë,z@x.com\n".encode()
    body = b"".join(b"Ann,a%d@x.com\n" % i for i in range(40000))
    path = make_bytes("mixed.csv", head + body + b"Ren\xe9,r@x.com\n")
    table = open_table(path)
    with pytest.raises(ReadError, match=r"mixed\.csv is not entirely in the utf-8") as by_rows:
        list(table.rows())
    # The quick column pass (a first look at time and amount columns) names the same row.
    with pytest.raises(ReadError) as by_columns:
        list(table.column_chunks([1], 2000))
    assert str(by_columns.value) == str(by_rows.value)


def test_unclosed_quote_swallowing_the_file_is_reported(make_text: MakeText) -> None:
    content = 'Email,Note\na@x.com,"never closed\n' + "b@x.com,plain\n" * 20000
    with pytest.raises(ReadError, match="quote"):
        list(open_table(make_text("quote.csv", content)).rows())


def test_detect_delimiter_prefers_steady_column_counts() -> None:
    sample = "a;b;c\n1,5;2;3\n4;5,25;6\n"
    assert detect_delimiter(sample, truncated=False) == ";"
    assert detect_delimiter("just text\nmore text\n", truncated=False) == ","
    assert detect_delimiter('x|y\n"1|2"|3\n', truncated=False) == "|"


def test_old_mac_cr_line_endings(make_text: MakeText) -> None:
    table = open_table(make_text("mac.csv", "Email,Name\ra@x.com,Ann\rb@x.com,Bob\r"))
    assert list(table.rows()) == [(2, ("a@x.com", "Ann")), (3, ("b@x.com", "Bob"))]


def test_column_chunks_hold_the_cells_rows_hold(make_text: MakeText) -> None:
    content = (
        'Title line\n\nDate,Total,Note\n2024-01-02,"1,5",x\n,,\n 2024-01-03 ,2\n,, \n'
        "2024-01-04,3,y,extra\n"
    )
    table = open_table(make_text("data.csv", content), header_row=3)
    rows = list(table.rows())
    chunks = list(table.column_chunks([1, 0], 2))
    assert [len(c) for c in chunks] == [2, 2, 2]  # two positions per chunk, two rows each
    totals = [cell for chunk in chunks for cell in chunk[0]]
    dates = [cell for chunk in chunks for cell in chunk[1]]
    # Blank rows may come through as None cells; every other cell is the one rows() holds.
    assert [c for c in totals if c is not None] == [
        cells[1] for _, cells in rows if cells[1] is not None
    ]
    assert [c for c in dates if c is not None] == ["2024-01-02", " 2024-01-03 ", "2024-01-04"]
    assert [c for c in dates if c is not None] == [cells[0] for _, cells in rows if cells[0]]


def test_tsv_extension_prefers_tab(make_text: MakeText) -> None:
    table = open_table(make_text("data.tsv", "Name\tNote\nAnn\ta,b\nBob\tc,d\n"))
    assert table.delimiter == "\t"
    assert list(table.rows()) == [(2, ("Ann", "a,b")), (3, ("Bob", "c,d"))]


_cell_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="\ufffd"),
        st.sampled_from(['"', ",", ";", "|", "\t", "\n", "\r", " "]),
    ),
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_cell_text, _cell_text, _cell_text), min_size=1, max_size=12))
@example([("", "", "0"), ("", "", " ")])  # a row of spaces only is a blank row
def test_csv_written_by_the_csv_module_reads_back(rows: list[tuple[str, str, str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roundtrip.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["Email", "Name", "Note"])
            writer.writerows(rows)
        expected = [
            (number, tuple(None if cell in EMPTY_VALUES else cell for cell in row))
            for number, row in enumerate(rows, 2)
            if any(cell and not cell.isspace() for cell in row)
        ]
        if not expected:
            with pytest.raises(ReadError, match="no data rows"):
                open_table(path)
            return
        table = open_table(path)
        assert table.delimiter == ","
        assert table.columns == ("Email", "Name", "Note")
        assert list(table.rows()) == expected
        chunks = list(table.column_chunks([2, 0], 5))
        for index, position in enumerate([2, 0]):
            # Blank rows may come too, and a blank cell is blank whether None or spaces: the
            # first look skips both. Every other cell comes, in order.
            cells = [cell for chunk in chunks for cell in chunk[index]]
            assert [c for c in cells if c and not c.isspace()] == [
                c for _, row in expected if (c := row[position]) and not c.isspace()
            ]
