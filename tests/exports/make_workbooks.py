"""Write the binary (.xlsx) fixtures of this folder.

Run from the repository root or from anywhere:

    python tests/exports/make_workbooks.py

It writes, next to this file:

* ``orders_workbook_cover_sheet.xlsx``: the first sheet ("Summary") is a cover page
  (a title, a generated-on line and "See next sheet"); the order table is on the
  second sheet ("Orders"). Dates are real Excel datetimes, the mobile number of one
  row is a number (Excel dropped its leading 0), the last row is a "Total" row.
* ``orders_workbook_empty_first.xlsx``: the first sheet ("Export") holds only the
  header row and no data; the data is on the second sheet ("Sheet2"). Its date column
  mixes text dates in day/month/year order with one real datetime cell.

The row data lives in module constants so that the expectations in ``expected.json``
can be checked against it. Only openpyxl is needed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

HERE = Path(__file__).resolve().parent

COVER_FILE = "orders_workbook_cover_sheet.xlsx"
EMPTY_FIRST_FILE = "orders_workbook_empty_first.xlsx"

# ---------------------------------------------------------------- cover-sheet workbook
COVER_TITLE_ROWS = [
    ["Weekly offline sales \u2014 Example Outdoor Ltd"],
    ["Generated 02/04/2024 09:00 (UK time)"],
    [],
    ["See next sheet"],
]

# fmt: off
COVER_HEADER = [
    "Order Ref", "Order Date", "Customer", "Email", "Mobile", "Country",
    "Net", "VAT", "Gross", "Currency", "Status", "Notes",
]

# Order Date cells are naive datetimes in UK local time (Europe/London): GMT until
# 2024-03-31 01:00 UTC, BST (+01:00) after.
COVER_ROWS = [
    ["OX-24001", dt.datetime(2024, 3, 5, 14, 22, 10), "Ana Souza", "ana.souza@example.com",
     7911123456, "United Kingdom", 100, 20, 120, "GBP", "Paid", "Called twice before buying"],
    ["OX-24002", dt.datetime(2024, 3, 30, 23, 30, 0), "Tom Price", "tom.price@example.org",
     "07400 123456", "United Kingdom", 41.66, 8.33, 49.99, "GBP", "Paid", ""],
    ["OX-24003", dt.datetime(2024, 3, 31, 10, 15, 0), "Mia Hughes", "MIA.HUGHES@EXAMPLE.COM",
     "+44 7400 654321", "United Kingdom", 250, 50, 300, "GBP", "Paid",
     "Clocks went forward this morning"],
    ["OX-24004", dt.datetime(2024, 4, 1, 11, 0, 0), "Leo Grant", "leo.grant@example.com",
     "07911 223344", "United Kingdom", 80, 16, 96, "GBP", "Cancelled", "Customer changed mind"],
    ["OX-24005", dt.datetime(2024, 4, 1, 16, 45, 30), "Ben Carter", "  Ben.Carter@Example.co.uk ",
     None, "United Kingdom", 41.66, 8.33, 49.99, "GBP", "Paid", ""],
    ["OX-24006", dt.datetime(2024, 4, 2, 8, 5, 0), "Aoife Byrne", "aoife.byrne@example.ie",
     "087 123 4567", "Ireland", 61.38, 14.12, 75.5, "EUR", "Paid", "Ships to Galway"],
    ["Total", None, None, None, None, None, 574.70, 116.78, 691.48, None, None, None],
]
# fmt: on

# ---------------------------------------------------------------- empty-first workbook
EMPTY_FIRST_HEADER = ["Order No", "Date", "Email", "Phone", "State", "Amount", "Currency", "Status"]

# "Date" holds text in DD/MM/YYYY HH:MM (Australia), except the last row, which is a
# real datetime cell. Local time is Australia/Sydney: AEDT (+11:00) until
# 2024-04-07 03:00 local, AEST (+10:00) after.
# fmt: off
EMPTY_FIRST_ROWS = [
    [50001, "05/03/2024 14:22", "kim.nguyen@example.com.au", "0412 345 678", "NSW",
     129.95, "AUD", "Completed"],
    [50002, "13/03/2024 09:05", "raj.patel@example.com.au", "0400 123 987", "VIC",
     89.5, "AUD", "Completed"],
    [50003, "08/04/2024 10:00", "lucy.brown@example.com.au", None, "QLD",
     240, "AUD", "Completed"],
    [50004, "09/04/2024 12:30", "sam.lee@example.com.au", "0413 987 654", "NSW",
     59, "AUD", "Refunded"],
    [50005, dt.datetime(2024, 4, 10, 18, 45, 0), "zoe.martin@example.com.au", "(02) 9374 4000",
     "NSW", 310.4, "AUD", "Completed"],
]
# fmt: on


def write_cover_workbook(path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    for row in COVER_TITLE_ROWS:
        summary.append(row)
    summary["A1"].font = Font(bold=True, size=14)
    summary.column_dimensions["A"].width = 48

    orders = wb.create_sheet("Orders")
    orders.append(COVER_HEADER)
    for cell in orders[1]:
        cell.font = Font(bold=True)
    for row in COVER_ROWS:
        orders.append(row)
    for (cell,) in orders.iter_rows(min_row=2, min_col=2, max_col=2):
        cell.number_format = "dd/mm/yyyy hh:mm:ss"
    for col in ("G", "H", "I"):
        for (cell,) in orders.iter_rows(min_row=2, min_col=ord(col) - 64, max_col=ord(col) - 64):
            cell.number_format = "#,##0.00"
    orders.column_dimensions["B"].width = 20
    orders.column_dimensions["D"].width = 28
    wb.save(path)


def write_empty_first_workbook(path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    export = wb.active
    export.title = "Export"
    export.append(EMPTY_FIRST_HEADER)

    data = wb.create_sheet("Sheet2")
    data.append(EMPTY_FIRST_HEADER)
    for row in EMPTY_FIRST_ROWS:
        data.append(row)
    data.cell(row=len(EMPTY_FIRST_ROWS) + 1, column=2).number_format = "dd/mm/yyyy hh:mm"
    wb.save(path)


def _pin_timestamps(path: Path) -> None:
    """Give the workbook fixed creation/modification dates so reruns are byte-stable."""
    import zipfile

    fixed = (2024, 4, 2, 9, 0, 0)
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                import re

                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>2024-04-02T09:00:00Z\g<2>",
                    data,
                )
            new = zipfile.ZipInfo(info.filename, date_time=fixed)
            new.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(new, data)
    tmp.replace(path)


def main() -> None:
    cover = HERE / COVER_FILE
    empty_first = HERE / EMPTY_FIRST_FILE
    write_cover_workbook(cover)
    write_empty_first_workbook(empty_first)
    for path in (cover, empty_first):
        _pin_timestamps(path)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
