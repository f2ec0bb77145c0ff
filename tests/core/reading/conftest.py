"""Fixture factories that generate text files and workbooks for the reader tests."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

Rows = Sequence[Sequence[Any]]


@pytest.fixture
def make_text(tmp_path: Path) -> Callable[..., Path]:
    """Write text to a file: make_text("a.csv", "x,y\\n1,2\\n", encoding="cp1252")."""

    def make(name: str, content: str, encoding: str = "utf-8", bom: bytes = b"") -> Path:
        path = tmp_path / name
        path.write_bytes(bom + content.encode(encoding))
        return path

    return make


@pytest.fixture
def make_bytes(tmp_path: Path) -> Callable[[str, bytes], Path]:
    """Write raw bytes to a file."""

    def make(name: str, content: bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(content)
        return path

    return make


@pytest.fixture
def make_xlsx(tmp_path: Path) -> Callable[..., Path]:
    """Build an .xlsx with openpyxl: make_xlsx("a.xlsx", {"Sheet": rows}, merges={...}).

    Row lists start at A1 unless `origin` ("C3") says otherwise; None leaves a cell empty.
    """

    def make(
        name: str,
        sheets: dict[str, Rows],
        *,
        merges: dict[str, list[str]] | None = None,
        origin: str = "A1",
        hidden: Sequence[str] = (),
    ) -> Path:
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)
        start_col, start_row = openpyxl.utils.cell.coordinate_from_string(origin)
        first_col = openpyxl.utils.cell.column_index_from_string(start_col)
        for title, rows in sheets.items():
            sheet = workbook.create_sheet(title)
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    if value is not None:
                        cell = sheet.cell(row=start_row + r, column=first_col + c, value=value)
                        if isinstance(value, datetime):
                            cell.number_format = "yyyy-mm-dd hh:mm"
                        elif isinstance(value, date):
                            cell.number_format = "yyyy-mm-dd"
            for merged in (merges or {}).get(title, []):
                sheet.merge_cells(merged)
            if title in hidden:
                sheet.sheet_state = "hidden"
        path = tmp_path / name
        workbook.save(path)
        return path

    return make


@pytest.fixture
def make_big_xlsx(tmp_path: Path) -> Callable[[str, int], Path]:
    """A write-only .xlsx with a header and `count` data rows (email, amount, date)."""

    def make(name: str, count: int) -> Path:
        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet("Data")
        sheet.append(["Email", "Amount", "Date"])
        for index in range(count):
            sheet.append([f"user{index}@example.com", index * 1.5, datetime(2024, 1, 1, 12, 0)])
        path = tmp_path / name
        workbook.save(path)
        return path

    return make


@pytest.fixture
def rewrite_zip_member() -> Callable[[Path, str, Callable[[bytes], bytes]], None]:
    """Rewrite one member of a zip file in place (to put cached formula values in an xlsx)."""

    def rewrite(path: Path, member: str, change: Callable[[bytes], bytes]) -> None:
        with zipfile.ZipFile(path) as source:
            parts = [(info, source.read(info.filename)) for info in source.infolist()]
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
            for info, data in parts:
                target.writestr(info, change(data) if info.filename == member else data)

    return rewrite


@pytest.fixture
def make_xls(tmp_path: Path) -> Callable[..., Path]:
    """Build a legacy .xls with xlwt; date/datetime values get a date number format."""
    import xlwt

    def make(name: str, sheets: dict[str, Rows]) -> Path:
        workbook = xlwt.Workbook()
        date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
        datetime_style = xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM")
        for title, rows in sheets.items():
            sheet = workbook.add_sheet(title)
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    if value is None:
                        continue
                    if isinstance(value, datetime):
                        sheet.write(r, c, value, datetime_style)
                    elif isinstance(value, date):
                        sheet.write(r, c, value, date_style)
                    else:
                        sheet.write(r, c, value)
        path = tmp_path / name
        workbook.save(str(path))
        return path

    return make


@pytest.fixture
def make_ods(tmp_path: Path) -> Callable[..., Path]:
    """Build an .ods with odfpy; date/datetime values become real date cells."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    def cell(value: Any) -> Any:
        if value is None:
            return TableCell()
        if isinstance(value, date):
            text = value.isoformat()
            made = TableCell(valuetype="date", datevalue=text)
        elif isinstance(value, bool):
            text = "TRUE" if value else "FALSE"
            made = TableCell(valuetype="boolean", booleanvalue=text.lower())
        elif isinstance(value, int | float):
            text = str(value)
            made = TableCell(valuetype="float", value=value)
        else:
            text = str(value)
            made = TableCell(valuetype="string")
        made.addElement(P(text=text))
        return made

    def make(name: str, sheets: dict[str, Rows]) -> Path:
        document = OpenDocumentSpreadsheet()
        for title, rows in sheets.items():
            table = Table(name=title)
            for row in rows:
                table_row = TableRow()
                for value in row:
                    table_row.addElement(cell(value))
                table.addElement(table_row)
            document.spreadsheet.addElement(table)
        path = tmp_path / name
        document.save(str(path))
        return path

    return make


@pytest.fixture
def make_protected(tmp_path: Path) -> Callable[[str], Path]:
    """A minimal CFB-looking file as Excel writes a password-protected .xlsx."""

    def make(name: str) -> Path:
        header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
        directory = "Root Entry".encode("utf-16-le").ljust(128, b"\0")
        directory += "EncryptionInfo".encode("utf-16-le").ljust(128, b"\0")
        directory += "EncryptedPackage".encode("utf-16-le").ljust(128, b"\0")
        path = tmp_path / name
        path.write_bytes(header + directory + bytes(2048))
        return path

    return make


@pytest.fixture
def make_zip_bomb(tmp_path: Path) -> Callable[[str], Path]:
    """An .xlsx-named zip whose sheet part is 64 MB of zeros (about 64 KB packed)."""

    def make(name: str) -> Path:
        path = tmp_path / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/workbook.xml", "<workbook/>")
            with archive.open("xl/worksheets/sheet1.xml", "w") as member:
                chunk = bytes(1024 * 1024)
                for _ in range(64):
                    member.write(chunk)
        return path

    return make


@pytest.fixture
def make_chart_first_xlsx(tmp_path: Path) -> Callable[[str], Path]:
    """An .xlsx whose first sheet is a chart sheet and second a small data sheet."""
    from openpyxl.chart import BarChart, Reference

    def make(name: str) -> Path:
        workbook = openpyxl.Workbook()
        data = workbook.active
        data.title = "Data"
        data.append(["Email", "Value"])
        data.append(["a@x.com", 1])
        chart = BarChart()
        chart.add_data(Reference(data, min_col=2, min_row=1, max_row=2))
        workbook.create_chartsheet("Chart").add_chart(chart)
        workbook.move_sheet("Chart", offset=-1)
        path = tmp_path / name
        workbook.save(path)
        return path

    return make
