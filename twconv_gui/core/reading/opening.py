"""Open any supported file as a Table: checks the path, then dispatches on the extension."""

from __future__ import annotations

import os
from pathlib import Path

from twconv_gui.core.errors import ReadError
from twconv_gui.core.reading.table import Table
from twconv_gui.core.reading.text import read_text_table
from twconv_gui.core.reading.workbook import read_workbook_table, workbook_sheet_names

TEXT_EXTENSIONS: tuple[str, ...] = (".csv", ".tsv", ".txt", ".tab")
WORKBOOK_EXTENSIONS: tuple[str, ...] = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
SUPPORTED_EXTENSIONS: tuple[str, ...] = TEXT_EXTENSIONS + WORKBOOK_EXTENSIONS


def _checked_path(path: str | os.PathLike[str]) -> Path:
    """The path as a Path, once it is known to be a readable, non-empty, supported file."""
    file = Path(path)
    name = file.name or str(file)
    suffix = file.suffix.lower()
    if suffix not in SUPPORTED_EXTENSIONS:
        kind = f"{suffix} files" if suffix else "Files without an extension"
        raise ReadError(
            f"{name} cannot be read: {kind} are not supported. Save or export it as one of "
            f"{', '.join(SUPPORTED_EXTENSIONS)} and try again."
        )
    try:
        if file.is_dir():
            raise ReadError(f"{name} is a folder, not a file. Pick the spreadsheet file itself.")
        with file.open("rb") as handle:
            empty = not handle.read(1)
    except FileNotFoundError as error:
        raise ReadError(
            f"{name} was not found at {file.parent}. Check that it has not been moved, renamed "
            "or deleted, and pick it again."
        ) from error
    except PermissionError as error:
        raise ReadError(
            f"{name} cannot be opened: permission denied. Close it in any program that has it "
            "open (Excel locks the files it has open), or copy it to a folder you own, "
            "then try again."
        ) from error
    except OSError as error:
        raise ReadError(
            f"{name} cannot be opened ({error.strerror or error}). Copy it to a local folder "
            "and try again."
        ) from error
    if empty:
        raise ReadError(f"{name} is empty (0 bytes). Export the data again and pick the new file.")
    return file


def open_table(
    path: str | os.PathLike[str],
    *,
    sheet: str | int | None = None,
    header_row: int | None = None,
) -> Table:
    """Open a CSV/TSV/TXT file or a workbook sheet as a Table.

    Args:
        path: the file to read.
        sheet: for workbooks, a sheet name (case-insensitive) or its 1-based position;
            None picks the first sheet with data. Ignored for text files.
        header_row: the 1-based row holding the column names, as the user sees it;
            None detects it (skipping title and blank rows).

    Raises:
        ReadError: for anything that keeps the file from being read as a table, with a
            message that names the file and says what to do.
    """
    file = _checked_path(path)
    if header_row is not None and header_row < 1:
        raise ReadError(f"The header row must be 1 or more (got {header_row}) for {file.name}.")
    if file.suffix.lower() in TEXT_EXTENSIONS:
        table = read_text_table(file, header_row=header_row)
        where = file.name
    else:
        table = read_workbook_table(file, sheet=sheet, header_row=header_row)
        where = f"Sheet \u201c{table.sheet}\u201d of {file.name}" if table.sheet else file.name
    rows = table.rows()
    try:
        first = next(rows, None)
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()
    if first is None:
        raise ReadError(
            f"{where} has a header row (row {table.header_row}) but no data rows below it. "
            "Check that you picked the right file"
            + (" and sheet" if table.sheet else "")
            + ", or choose the header row yourself."
        )
    return table


def list_sheets(path: str | os.PathLike[str]) -> list[str]:
    """The sheet names of a workbook, in order, for a sheet picker; [] for a text file."""
    file = _checked_path(path)
    if file.suffix.lower() in TEXT_EXTENSIONS:
        return []
    return workbook_sheet_names(file)
