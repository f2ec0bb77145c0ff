"""Header-row detection and column naming shared by the text and workbook readers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from statistics import median

from twconv_gui.core.errors import ReadError
from twconv_gui.core.reading.table import PREAMBLE_ROWS, Cell

# Rows (non-empty ones) searched for the header row.
HEADER_SCAN_ROWS = 50
# Rows read at least, from the top of the file, to detect the header and the data width.
SAMPLE_ROWS = 200
# Extra rows read below a header row chosen by the user.
ROWS_BELOW_HEADER = 150
# Rows below a candidate header used to measure the table width.
WIDTH_PROBE_ROWS = 20

# A sampled row: (row number as the user sees it, cells). Only non-empty rows are sampled.
SampleRow = tuple[int, Sequence[Cell]]
# A merged range as calamine reports it: ((first row, first col), (last row, last col)), 0-based.
MergedRange = tuple[tuple[int, int], tuple[int, int]]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_DATE = re.compile(
    r"^(\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}"
    rf"|\d{{1,2}}[ -]({_MONTHS})[a-z]*\.?[ -]\d{{2,4}}"
    rf"|({_MONTHS})[a-z]*\.? \d{{1,2}},? \d{{2,4}})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class HeaderLayout:
    """Where the header is and what the columns are called."""

    header_row: int
    columns: tuple[str, ...]
    source_headers: tuple[str, ...]

    @property
    def width(self) -> int:
        """Number of columns every data row is shaped to."""
        return len(self.columns)


def sample_size(header_row: int | None) -> int:
    """How many rows (empty ones included) a reader samples from the top of the file."""
    if header_row is None:
        return SAMPLE_ROWS
    return max(SAMPLE_ROWS, header_row + ROWS_BELOW_HEADER)


def column_letter(index: int) -> str:
    """Spreadsheet column letters of a 0-based column index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def is_blank(cell: Cell) -> bool:
    """True for an empty cell: None or a string of only whitespace."""
    return cell is None or (isinstance(cell, str) and not cell.strip())


def span(cells: Sequence[Cell]) -> int:
    """Number of cells up to and including the last non-blank one."""
    for index in range(len(cells) - 1, -1, -1):
        if not is_blank(cells[index]):
            return index + 1
    return 0


def header_text(cell: Cell) -> str:
    """A header cell as text, the way a user would read it in the spreadsheet."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        if cell.time() == time(0):
            return cell.date().isoformat()
        return cell.isoformat(sep=" ")
    if isinstance(cell, date | time):
        return cell.isoformat()
    return str(cell).strip()


def looks_like_label(cell: Cell) -> bool:
    """True for a cell that reads like a column name: text with letters, not a value."""
    if not isinstance(cell, str):
        return False
    text = cell.strip()
    if not text or not any(char.isalpha() for char in text):
        return False
    return not (_EMAIL.match(text) or _DATE.match(text))


def _is_header_candidate(cells: Sequence[Cell], below: Sequence[SampleRow]) -> bool:
    filled = [cell for cell in cells if not is_blank(cell)]
    labels = sum(1 for cell in filled if looks_like_label(cell))
    if labels * 2 <= len(filled):
        return False
    spans = [span(row) for _, row in below[:WIDTH_PROBE_ROWS]]
    width_below = median(spans) if spans else span(cells)
    return len(filled) * 2 > width_below


def find_header_index(sample: Sequence[SampleRow]) -> int:
    """Index in `sample` of the header row (the first row when nothing looks like one)."""
    for index, (_, cells) in enumerate(sample[:HEADER_SCAN_ROWS]):
        if _is_header_candidate(cells, sample[index + 1 :]):
            return index
    return 0


def preamble_of(sample: Sequence[SampleRow], header_row: int) -> tuple[tuple[Cell, ...], ...]:
    """The rows above the header as read, row 1 first (empty rows as ()), at most PREAMBLE_ROWS."""
    last = min(header_row - 1, PREAMBLE_ROWS)
    if last < 1:
        return ()
    by_number = {number: cells for number, cells in sample if number <= last}
    return tuple(tuple(by_number.get(number, ())) for number in range(1, last + 1))


def unique_names(names: Sequence[str], first_column: int = 0) -> tuple[str, ...]:
    """Visible, unique column names: blanks become "Column C", repeats get " (2)", " (3)"."""
    visible = [
        " ".join(name.split()) or f"Column {column_letter(first_column + index)}"
        for index, name in enumerate(names)
    ]
    reserved = {name.casefold() for name in visible}
    used: set[str] = set()
    result: list[str] = []
    for name in visible:
        candidate = name
        if candidate.casefold() in used:
            number = 2
            while True:
                candidate = f"{name} ({number})"
                key = candidate.casefold()
                if key not in used and key not in reserved:
                    break
                number += 1
        used.add(candidate.casefold())
        result.append(candidate)
    return tuple(result)


def _fill_merged(
    texts: list[str],
    header_row: int,
    sample: Sequence[SampleRow],
    merged: Sequence[MergedRange],
    first_column: int,
) -> list[str]:
    """Give blank header cells inside a merged range the merged range's text."""
    by_number = dict(sample)
    filled = list(texts)
    for (top, left), (bottom, right) in merged:
        if not top <= header_row - 1 <= bottom or (top, left) == (bottom, right):
            continue
        origin = by_number.get(top + 1)
        origin_index = left - first_column
        if origin is None or not 0 <= origin_index < len(origin):
            continue
        text = header_text(origin[origin_index])
        for column in range(max(left, first_column), right + 1):
            index = column - first_column
            if index < len(filled) and not filled[index]:
                filled[index] = text
    return filled


def detect_header(
    sample: Sequence[SampleRow],
    *,
    where: str,
    rows_seen: int,
    header_row: int | None = None,
    first_column: int = 0,
    merged: Sequence[MergedRange] = (),
) -> HeaderLayout:
    """Find (or check the user's) header row in the sample and name the columns.

    Args:
        sample: the non-empty rows of the top of the file, with their row numbers.
        where: how messages name the file or sheet ("orders.csv", 'sheet "Q3" of a.xlsx').
        rows_seen: the number of the last row the sample went through (empty rows count).
        header_row: the user's choice of header row (1-based), or None to detect it.
        first_column: 0-based spreadsheet column of the first cell of each row.
        merged: merged cell ranges of the sheet, to name the columns under a merged header.
    """
    if header_row is not None:
        if header_row < 1:
            raise ReadError(f"The header row must be 1 or more (got {header_row}) for {where}.")
        if header_row > rows_seen:
            raise ReadError(
                f"{where} has only {rows_seen} rows, so row {header_row} cannot be the header "
                "row. Choose the row that holds the column names."
            )
        matches = [index for index, (number, _) in enumerate(sample) if number == header_row]
        if not matches:
            raise ReadError(
                f"Row {header_row} of {where} is empty, so it cannot be the header row. "
                "Choose the row that holds the column names."
            )
        index = matches[0]
    else:
        if not sample:
            raise ReadError(f"{where} is empty: there is no data in it to read.")
        index = find_header_index(sample)
    number, header_cells = sample[index]
    data_width = max((span(cells) for _, cells in sample[index + 1 :]), default=0)
    width = max(span(header_cells), data_width)
    texts = [header_text(cell) for cell in header_cells[:width]]
    texts += [""] * (width - len(texts))
    shown = _fill_merged(texts, number, sample, merged, first_column) if merged else texts
    return HeaderLayout(
        header_row=number,
        columns=unique_names(shown, first_column),
        source_headers=tuple(texts),
    )
