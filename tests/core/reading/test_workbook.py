"""Workbook reading (xlsx, xls, ods): typed cells, sheet choice, row numbers, refusals."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from twconv_gui.core.errors import ReadError
from twconv_gui.core.reading.opening import list_sheets, open_table

Make = Callable[..., Path]

ORDERS = [
    ["Email", "Order date", "Value"],
    ["ann@example.com", datetime(2024, 3, 5, 14, 30), 19.99],
    ["bob@example.com", date(2024, 3, 6), 5],
]


def test_xlsx_dates_arrive_as_datetimes(make_xlsx: Make) -> None:
    table = open_table(make_xlsx("orders.xlsx", {"Orders": ORDERS}))
    assert table.kind == "xlsx"
    assert table.sheet == "Orders"
    assert table.sheets == ("Orders",)
    assert table.columns == ("Email", "Order date", "Value")
    rows = list(table.rows())
    assert rows[0] == (2, ("ann@example.com", datetime(2024, 3, 5, 14, 30), 19.99))
    number, (email, when, value) = rows[1]
    assert (number, email, value) == (3, "bob@example.com", 5)
    assert isinstance(when, date)
    assert (when.year, when.month, when.day) == (2024, 3, 6)


def test_xlsx_formula_gives_its_cached_value(
    make_xlsx: Make, rewrite_zip_member: Callable[[Path, str, Callable[[bytes], bytes]], None]
) -> None:
    path = make_xlsx("calc.xlsx", {"Sheet": [["Base", "Double"], [21, "=A2*2"]]})

    def cache(xml: bytes) -> bytes:
        assert b"<f>A2*2</f><v />" in xml
        return xml.replace(b"<f>A2*2</f><v />", b"<f>A2*2</f><v>42</v>")

    rewrite_zip_member(path, "xl/worksheets/sheet1.xml", cache)
    assert list(open_table(path).rows()) == [(2, (21, 42))]


def test_sheet_by_name_is_case_insensitive(make_xlsx: Make) -> None:
    path = make_xlsx("two.xlsx", {"Summary": [["Total"], [3]], "Orders": ORDERS})
    table = open_table(path, sheet="orders")
    assert table.sheet == "Orders"
    assert table.sheets == ("Summary", "Orders")
    assert table.columns == ("Email", "Order date", "Value")


def test_sheet_by_one_based_number(make_xlsx: Make) -> None:
    path = make_xlsx("two.xlsx", {"Summary": [["Total"], [3]], "Orders": ORDERS})
    assert open_table(path, sheet=2).sheet == "Orders"
    assert open_table(path, sheet=1).sheet == "Summary"


def test_default_sheet_is_first_with_data(make_xlsx: Make) -> None:
    path = make_xlsx(
        "blank-first.xlsx", {"Cover": [], "Hidden": ORDERS, "Data": ORDERS}, hidden=["Hidden"]
    )
    table = open_table(path)
    assert table.sheet == "Data"
    assert list_sheets(path) == ["Cover", "Hidden", "Data"]


@pytest.mark.parametrize(
    ("sheet", "problem"), [("Nope", "no sheet named “Nope”"), (3, "no sheet number 3")]
)
def test_unknown_sheet_lists_the_sheets(make_xlsx: Make, sheet: str | int, problem: str) -> None:
    path = make_xlsx("two.xlsx", {"Summary": [["Total"], [3]], "Orders": ORDERS})
    with pytest.raises(ReadError) as caught:
        open_table(path, sheet=sheet)
    message = str(caught.value)
    assert message.startswith("two.xlsx has ")
    assert problem in message
    assert "1 = “Summary”, 2 = “Orders”" in message


def test_empty_chosen_sheet_is_an_error(make_xlsx: Make) -> None:
    path = make_xlsx("e.xlsx", {"Data": ORDERS, "Empty": []})
    with pytest.raises(ReadError, match=r"Sheet “Empty” of e\.xlsx is empty"):
        open_table(path, sheet="Empty")


def test_workbook_without_any_data(make_xlsx: Make) -> None:
    with pytest.raises(ReadError, match=r"nothing\.xlsx has no data in any of its sheets"):
        open_table(make_xlsx("nothing.xlsx", {"A": [], "B": []}))


def test_data_away_from_a1_keeps_real_row_numbers_and_letters(make_xlsx: Make) -> None:
    rows = [
        ["Quarterly export", None, None],
        [None, None, None],
        ["Email", None, "Value"],
        ["a@x.com", "note", 1],
        [None, None, None],
        ["b@x.com", None, 2],
    ]
    table = open_table(make_xlsx("offset.xlsx", {"S": rows}, origin="C3"))
    assert table.header_row == 5
    # The blank header sits in spreadsheet column D (data starts in column C).
    assert table.columns == ("Email", "Column D", "Value")
    assert list(table.rows()) == [(6, ("a@x.com", "note", 1)), (8, ("b@x.com", None, 2))]


def test_merged_header_cells(make_xlsx: Make) -> None:
    rows = [
        ["Customer", None, "Email", "Amount"],
        ["Ann", "Lee", "ann@x.com", 3],
    ]
    table = open_table(make_xlsx("merged.xlsx", {"S": rows}, merges={"S": ["A1:B1"]}))
    assert table.columns == ("Customer", "Customer (2)", "Email", "Amount")
    assert table.source_headers == ("Customer", "", "Email", "Amount")
    assert list(table.rows()) == [(2, ("Ann", "Lee", "ann@x.com", 3))]


def test_merged_title_above_header_is_not_the_header(make_xlsx: Make) -> None:
    rows = [["Sales report", None, None], ["Email", "Name", "Value"], ["a@x.com", "Ann", 1]]
    table = open_table(make_xlsx("title.xlsx", {"S": rows}, merges={"S": ["A1:C1"]}))
    assert table.header_row == 2
    assert table.columns == ("Email", "Name", "Value")


def test_header_override_in_workbook(make_xlsx: Make) -> None:
    rows = [["Email", "Name"], ["Real email", "Real name"], ["a@x.com", "Ann"]]
    table = open_table(make_xlsx("o.xlsx", {"S": rows}), header_row=2)
    assert table.columns == ("Real email", "Real name")
    assert list(table.rows()) == [(3, ("a@x.com", "Ann"))]


def test_header_override_past_the_end_of_sheet(make_xlsx: Make) -> None:
    with pytest.raises(ReadError, match="has only 3 rows, so row 40 cannot be the header"):
        open_table(make_xlsx("o.xlsx", {"S": ORDERS}), header_row=40)


def test_big_xlsx_streams_every_row(make_big_xlsx: Callable[[str, int], Path]) -> None:
    table = open_table(make_big_xlsx("big.xlsx", 1200))
    assert table.estimated_rows == 1200
    rows = list(table.rows())
    assert len(rows) == 1200
    assert rows[-1] == (1201, ("user1199@example.com", 1199 * 1.5, datetime(2024, 1, 1, 12, 0)))
    assert sum(1 for _ in table.rows()) == 1200


def test_xls_with_date_cell(make_xls: Make) -> None:
    table = open_table(make_xls("legacy.xls", {"Orders": ORDERS}))
    assert table.kind == "xls"
    assert table.sheet == "Orders"
    rows = list(table.rows())
    assert rows[0][0] == 2
    assert rows[0][1][0] == "ann@example.com"
    assert rows[0][1][1] == datetime(2024, 3, 5, 14, 30)
    assert rows[1][1][1] == date(2024, 3, 6)


def test_ods_with_date_cell(make_ods: Make) -> None:
    rows = [[None], ["Email", "Date", "Paid"], ["a@x.com", date(2024, 3, 5), 12.5]]
    table = open_table(make_ods("calc.ods", {"Feuille 1": rows, "Other": [["x"], [1]]}))
    assert table.kind == "ods"
    assert table.sheet == "Feuille 1"
    assert table.sheets == ("Feuille 1", "Other")
    assert table.header_row == 2
    assert list(table.rows()) == [(3, ("a@x.com", date(2024, 3, 5), 12.5))]


def test_xls_that_is_really_csv_falls_back_to_text(make_text: Make) -> None:
    table = open_table(make_text("export.xls", "Email\tName\na@x.com\tAnn\n"))
    assert table.kind == "csv"
    assert table.delimiter == "\t"
    assert list(table.rows()) == [(2, ("a@x.com", "Ann"))]


def test_xls_that_is_really_html_is_explained(make_text: Make) -> None:
    html = "<html><body><table><tr><td>Email</td></tr></table></body></html>"
    with pytest.raises(ReadError, match=r"report\.xls is really a web page"):
        open_table(make_text("report.xls", html))


def test_xlsx_renamed_to_xls_is_still_read(make_xlsx: Make, tmp_path: Path) -> None:
    path = make_xlsx("real.xlsx", {"Orders": ORDERS}).rename(tmp_path / "renamed.xls")
    assert open_table(path).columns == ("Email", "Order date", "Value")


@pytest.mark.parametrize("name", ["broken.xlsx", "broken.xls", "broken.ods", "broken.xlsb"])
def test_random_bytes_are_a_corrupt_workbook(
    make_bytes: Callable[[str, bytes], Path], name: str
) -> None:
    path = make_bytes(name, os.urandom(4096))
    with pytest.raises(ReadError) as caught:
        open_table(path)
    message = str(caught.value)
    assert message.startswith(f"{name} is not a")
    assert "save it again as .xlsx or .csv" in message


def test_truncated_xlsx_is_corrupt(make_xlsx: Make) -> None:
    path = make_xlsx("cut.xlsx", {"Orders": ORDERS})
    path.write_bytes(path.read_bytes()[:600])
    with pytest.raises(ReadError, match=r"cut\.xlsx is not a valid Excel workbook"):
        open_table(path)


def test_password_protected_workbook(make_protected: Callable[[str], Path]) -> None:
    with pytest.raises(ReadError) as caught:
        open_table(make_protected("secret.xlsx"))
    assert str(caught.value) == (
        "secret.xlsx is protected with a password: open it in Excel, remove the password "
        "(File › Info › Protect Workbook), save, and try again."
    )
    with pytest.raises(ReadError, match="protected with a password"):
        list_sheets(make_protected("secret.xlsx"))


def test_zip_bomb_is_refused(make_zip_bomb: Callable[[str], Path]) -> None:
    with pytest.raises(ReadError, match=r"bomb\.xlsx was refused .* zip bomb"):
        open_table(make_zip_bomb("bomb.xlsx"))


def test_zip_without_a_spreadsheet(
    make_bytes: Callable[[str, bytes], Path], tmp_path: Path
) -> None:
    import zipfile

    path = tmp_path / "notes.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(ReadError, match=r"notes\.ods is not an OpenDocument spreadsheet"):
        open_table(path)


def test_cp1252_csv_saved_as_xls_falls_back_to_text(make_text: Make) -> None:
    content = "Nom;Ville\n" + "Hélène;Besançon\n" * 30
    table = open_table(make_text("export.xls", content, encoding="cp1252"))
    assert table.encoding == "cp1252"
    assert next(iter(table.rows())) == (2, ("Hélène", "Besançon"))


def test_xls_sheet_by_name(make_xls: Make) -> None:
    path = make_xls("two.xls", {"Cover": [["Read me"]], "Orders": ORDERS})
    table = open_table(path, sheet="ORDERS")
    assert table.sheet == "Orders"
    assert table.sheets == ("Cover", "Orders")


class _Boom(BaseException):
    """Stands in for pyo3's PanicException, which derives from BaseException."""


_Boom.__name__ = "PanicException"


@pytest.mark.parametrize("raised", [RuntimeError("binding failure"), _Boom("rust panic")])
def test_any_calamine_failure_becomes_a_read_error(
    make_xlsx: Make, monkeypatch: pytest.MonkeyPatch, raised: BaseException
) -> None:
    import python_calamine

    class Failing:
        @classmethod
        def from_path(cls, path: str) -> None:
            raise raised

    path = make_xlsx("fine.xlsx", {"Orders": ORDERS})
    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Failing)
    with pytest.raises(ReadError, match=r"fine\.xlsx is not a valid Excel workbook"):
        open_table(path)


def test_chart_sheet_is_skipped_and_refused(make_chart_first_xlsx: Callable[[str], Path]) -> None:
    path = make_chart_first_xlsx("chart.xlsx")
    assert open_table(path).sheet == "Data"
    with pytest.raises(ReadError, match=r"Sheet “Chart” of chart\.xlsx is a chart"):
        open_table(path, sheet=1)


def test_cover_sheet_with_a_note_is_passed_over(make_xlsx: Make) -> None:
    path = make_xlsx("report.xlsx", {"Summary": [["See next sheet"]], "Orders": ORDERS})
    table = open_table(path)
    assert table.sheet == "Orders"
    assert table.columns == ("Email", "Order date", "Value")


def test_cover_sheet_with_a_title_and_header_but_no_data_is_passed_over(make_xlsx: Make) -> None:
    cover = [["Quarterly report"], ["Email", "Total"]]
    table = open_table(make_xlsx("report.xlsx", {"Summary": cover, "Orders": ORDERS}))
    assert table.sheet == "Orders"


def test_no_sheet_with_a_table_lists_the_sheets_and_their_sizes(make_xlsx: Make) -> None:
    path = make_xlsx(
        "report.xlsx",
        {"Summary": [["Quarterly report"], ["Email", "Total"]], "Notes": [["See the CRM"]]},
    )
    with pytest.raises(ReadError) as caught:
        open_table(path)
    message = str(caught.value)
    assert message.startswith("report.xlsx has no sheet that holds a table")
    assert "Its sheets: Summary (2 rows × 2 columns), Notes (1 row × 1 column)." in message
    assert "--sheet NAME" in message
    assert "Sheet" in message


def test_chosen_sheet_without_data_rows_lists_every_sheet(make_xlsx: Make) -> None:
    path = make_xlsx("two.xlsx", {"Summary": [["Total"]], "Orders": ORDERS, "Empty": []})
    with pytest.raises(ReadError) as caught:
        open_table(path, sheet="Summary")
    message = str(caught.value)
    assert message.startswith("Sheet “Summary” of two.xlsx has a header row (row 1) but no data")
    assert "Summary (1 row × 1 column), Orders (3 rows × 3 columns), Empty (empty)" in message
    assert "--sheet NAME" in message


def test_empty_chosen_sheet_lists_every_sheet(make_xlsx: Make) -> None:
    path = make_xlsx("e.xlsx", {"Data": ORDERS, "Empty": []})
    with pytest.raises(ReadError) as caught:
        open_table(path, sheet="Empty")
    assert "Its sheets: Data (3 rows × 3 columns), Empty (empty)." in str(caught.value)


def test_a_one_column_cover_sheet_with_text_rows_is_passed_over(tmp_path):
    from openpyxl import Workbook

    from twconv_gui.core.reading.opening import open_table

    book = Workbook()
    cover = book.active
    cover.title = "Summary"
    for line in ("Weekly offline sales", "Generated 02/04/2024 09:00", None, "See next sheet"):
        cover.append([line])
    orders = book.create_sheet("Orders")
    orders.append(["Order Ref", "Order Date", "Email"])
    orders.append(["OX-1", "2024-03-05 14:22", "ana@example.com"])
    path = tmp_path / "report.xlsx"
    book.save(path)
    table = open_table(path)
    assert table.sheet == "Orders"
    assert table.columns == ("Order Ref", "Order Date", "Email")
