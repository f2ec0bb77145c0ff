"""The Load page when a workbook's sheet cannot be used: the file stays open to pick another."""

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt

from twconv_gui.gui.load.page import LoadPage
from twconv_gui.gui.session import Session


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


ORDERS = [
    ["Order ID", "Email", "Total"],
    ["A-1", "ann@example.com", 12.5],
    ["A-2", "bob@example.com", 7],
]


@pytest.fixture
def session():
    return Session()


@pytest.fixture
def page(qtbot, session):
    widget = LoadPage(session)
    qtbot.addWidget(widget)
    return widget


def choose_sheet(qtbot, page: LoadPage, name: str) -> None:
    """Pick a sheet as a user does with the keyboard: arrows to it, from the sheet list."""
    combo = page.sheet_combo
    target = combo.findText(name)
    assert target >= 0, f"{name} is not offered"
    assert combo.isEnabled()
    if combo.currentIndex() == target:  # choosing the shown sheet again: arrow away and back
        qtbot.keyClick(combo, Qt.Key.Key_Up if target else Qt.Key.Key_Down)
    while combo.currentIndex() != target:
        down = combo.currentIndex() < target
        qtbot.keyClick(combo, Qt.Key.Key_Down if down else Qt.Key.Key_Up)


def test_cover_sheet_is_passed_over_for_the_sheet_with_the_orders(page, session, qtbot, tmp_path):
    path = workbook(tmp_path / "report.xlsx", {"Summary": [["See next sheet"]], "Orders": ORDERS})
    with qtbot.waitSignal(page.file_loaded, timeout=10_000):
        page.open_file(path)
    assert page.sheet_combo.currentText() == "Orders"
    assert page.file_label.text().startswith("report.xlsx — Excel workbook")
    assert session.inspection.table.columns == ("Order ID", "Email", "Total")
    assert page.error_label.isHidden()


def test_empty_chosen_sheet_keeps_the_file_open_and_another_sheet_loads(
    page, session, qtbot, tmp_path
):
    path = workbook(
        tmp_path / "report.xlsx",
        {"Summary": [["Quarterly report"], ["Email", "Total"]], "Orders": ORDERS},
    )
    with qtbot.waitSignal(page.load_failed, timeout=10_000) as failed:
        page.open_file(path, sheet="Summary")
    message = failed.args[0]
    assert "Sheet “Summary” of report.xlsx has a header row (row 2) but no data rows" in message
    assert "Summary (2 rows × 2 columns), Orders (3 rows × 3 columns)" in message
    # The file stays on the page, the message is in the page, the choosers are filled.
    assert page.file_label.text() == "report.xlsx — not read"
    assert page.error_label.isVisibleTo(page)
    assert page.error_label.text() == message
    assert page.sheet_combo.isVisibleTo(page)
    assert [page.sheet_combo.itemText(i) for i in range(page.sheet_combo.count())] == [
        "Summary",
        "Orders",
    ]
    assert page.sheet_combo.currentText() == "Summary"
    assert page.header_spin.isVisibleTo(page)
    assert session.inspection is None

    with qtbot.waitSignal(page.file_loaded, timeout=10_000):
        choose_sheet(qtbot, page, "Orders")
    assert session.inspection.table.sheet == "Orders"
    assert page.error_label.isHidden()
    assert page.file_label.text().startswith("report.xlsx — Excel workbook")
    assert page.raw_model.rowCount() == 2


def test_workbook_without_a_table_says_which_sheets_it_has(page, session, qtbot, tmp_path):
    path = workbook(tmp_path / "header-only.xlsx", {"Leads": [["Email", "Name"]]})
    with qtbot.waitSignal(page.load_failed, timeout=10_000) as failed:
        page.open_file(path)
    assert failed.args[0].startswith(
        "Sheet “Leads” of header-only.xlsx has a header row (row 1) but no data rows below it."
    )
    assert page.file_label.text() == "header-only.xlsx — not read"
    assert page.error_label.text() == failed.args[0]
    assert page.sheet_combo.count() == 1
    assert page.sheet_combo.currentIndex() == -1  # nothing read yet: the user picks
    assert page.columns_model.rowCount() == 0

    # The user adds data in Excel, then picks the sheet again: it is read.
    workbook(path, {"Leads": [["Email", "Name"], ["ann@example.com", "Ann"]]})
    with qtbot.waitSignal(page.file_loaded, timeout=10_000):
        choose_sheet(qtbot, page, "Leads")
    assert session.inspection.table.sheet == "Leads"
    assert page.error_label.isHidden()


def test_header_row_typed_after_a_failure_reads_the_file_again(page, session, qtbot, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("Email,Name\nann@example.com,Ann\n", encoding="utf-8")
    with qtbot.waitSignal(page.load_failed, timeout=10_000):
        page.open_file(path, header_row=2)
    assert page.header_spin.isVisibleTo(page)
    assert not page.sheet_combo.isVisibleTo(page)  # a text file has no sheets
    page.header_spin.setFocus()
    page.header_spin.selectAll()
    with qtbot.waitSignal(page.file_loaded, timeout=10_000):
        qtbot.keyClicks(page.header_spin, "1")
        qtbot.keyClick(page.header_spin, Qt.Key.Key_Return)
    assert session.inspection.table.header_row == 1


def test_dropped_control_characters_are_noted_on_the_page(page, qtbot, tmp_path):
    path = tmp_path / "salesforce.csv"
    path.write_bytes(b"Email,Description\nann@example.com,rich\x00text\nbob@example.com,plain\n")
    with qtbot.waitSignal(page.file_loaded, timeout=10_000):
        page.open_file(path)
    assert page.notes_label.isVisibleTo(page)
    assert page.notes_label.text() == (
        "Column “Description” of salesforce.csv held NUL or other control characters in "
        "1 row (first: row 2); they were dropped from the cells."
    )
