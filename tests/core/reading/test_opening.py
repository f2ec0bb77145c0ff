"""open_table/list_sheets: dispatch by extension and the file-level error messages."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from twconv_gui.core.errors import ReadError
from twconv_gui.core.reading.opening import SUPPORTED_EXTENSIONS, list_sheets, open_table

Make = Callable[..., Path]


def test_supported_extensions() -> None:
    assert set(SUPPORTED_EXTENSIONS) == {
        ".csv",
        ".tsv",
        ".txt",
        ".tab",
        ".xlsx",
        ".xlsm",
        ".xlsb",
        ".xls",
        ".ods",
    }


@pytest.mark.parametrize("name", ["data.csv", "data.TSV", "data.txt", "data.tab"])
def test_text_extensions_open_as_text(make_text: Make, name: str) -> None:
    table = open_table(str(make_text(name, "Email\ta\nx@y.z\tb\n")))
    assert table.kind == "csv"
    assert table.sheet is None
    assert table.columns == ("Email", "a")


def test_str_path_and_list_sheets_of_text(make_text: Make) -> None:
    path = make_text("data.csv", "A\n1\n")
    assert list_sheets(str(path)) == []


def test_unknown_extension_lists_supported_ones(make_text: Make) -> None:
    with pytest.raises(ReadError) as caught:
        open_table(make_text("report.pdf", "x"))
    message = str(caught.value)
    assert message.startswith("report.pdf cannot be read: .pdf files are not supported")
    assert ".csv" in message
    assert ".xlsx" in message
    assert ".ods" in message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match=r"gone\.csv was not found"):
        open_table(tmp_path / "gone.csv")


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    with pytest.raises(ReadError, match=r"folder\.xlsx is a folder, not a file"):
        open_table(folder)


@pytest.mark.parametrize("name", ["empty.csv", "empty.xlsx"])
def test_empty_file(make_bytes: Callable[[str, bytes], Path], name: str) -> None:
    with pytest.raises(ReadError, match=rf"{name} is empty \(0 bytes\)"):
        open_table(make_bytes(name, b""))


def test_blank_text_file(make_text: Make) -> None:
    with pytest.raises(ReadError, match=r"blank\.csv is empty"):
        open_table(make_text("blank.csv", "\n,,\n  \n"))


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file"
)
def test_permission_denied(make_text: Make) -> None:
    path = make_text("locked.csv", "A\n1\n")
    path.chmod(0)
    try:
        with pytest.raises(ReadError, match=r"locked\.csv cannot be opened: permission denied"):
            open_table(path)
    finally:
        path.chmod(0o644)


def test_header_only_text_file(make_text: Make) -> None:
    with pytest.raises(ReadError) as caught:
        open_table(make_text("head.csv", "Title\n\nEmail,Name\n\n"))
    assert str(caught.value).startswith(
        "head.csv has a header row (row 3) but no data rows below it."
    )


def test_header_only_sheet(make_xlsx: Make) -> None:
    path = make_xlsx("head.xlsx", {"Leads": [["Email", "Name"]]})
    with pytest.raises(ReadError) as caught:
        open_table(path)
    message = str(caught.value)
    assert message.startswith("Sheet “Leads” of head.xlsx has a header row (row 1) but no data")
    assert "right file and sheet" in message


def test_header_row_below_one(make_text: Make) -> None:
    with pytest.raises(ReadError, match="must be 1 or more"):
        open_table(make_text("a.csv", "A\n1\n"), header_row=0)


def test_list_sheets_of_a_workbook(make_xlsx: Make) -> None:
    path = make_xlsx("book.xlsx", {"One": [["A"], [1]], "Two": []})
    assert list_sheets(path) == ["One", "Two"]


def test_permission_error_message(make_text: Make, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_text("locked.csv", "A\n1\n")
    real_open = Path.open

    def locked_open(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "locked.csv":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", locked_open)
    with pytest.raises(ReadError, match=r"locked\.csv cannot be opened: permission denied"):
        open_table(path)


def test_stopping_a_pass_early_leaves_no_open_file(make_text: Make) -> None:
    import gc

    table = open_table(make_text("early.csv", "A\n1\n2\n3\n"))
    rows = table.rows()
    assert next(rows) == (2, ("1",))
    del rows
    gc.collect()  # a leaked file handle would raise ResourceWarning (an error in this suite)


def test_list_sheets_of_csv_saved_as_xls(make_text: Make) -> None:
    assert list_sheets(make_text("export.xls", "Email,Name\na@x.com,Ann\n")) == []
