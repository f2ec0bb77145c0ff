"""The uniform table every reader produces: named columns and numbered rows of typed cells."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

# A cell as the readers hand it over. Text files give str (or None for an empty cell);
# workbooks give the cached value of each cell: numbers as int/float, real date cells as
# datetime/date/time, booleans as bool. Never a formula, never an Excel serial number for a
# date cell.
Cell = str | int | float | bool | datetime | date | time | timedelta | None

# Column positions and chunk size -> chunks of those columns' cells (Table.column_chunks).
ColumnsFactory = Callable[[Sequence[int], int], Iterator[list[list["Cell"]]]]

# A data row: (row number as the user sees it in their spreadsheet, cells). The cells tuple has
# exactly len(Table.columns) entries (short rows are padded with None).
Row = tuple[int, tuple[Cell, ...]]

# Rows above the header row kept in Table.preamble.
PREAMBLE_ROWS = 20


@dataclass(frozen=True)
class Table:
    """A sheet or text file read as a header and data rows.

    The rows are not held in memory by the Table itself: `rows()` starts a fresh pass each
    time it is called (text files are re-read; workbook sheets are re-walked), so a caller
    can make a cheap first pass over a column and a second pass to convert.

    Attributes:
        path: the file read.
        kind: "csv" (any delimited text), "xlsx", "xlsm", "xlsb", "xls" or "ods".
        sheet: the chosen sheet's name (None for text files).
        sheets: every sheet name of the workbook, in order (empty for text files).
        header_row: 1-based row number of the header row, as the user sees it.
        columns: unique, visible column names, in order (blank headers become
            "Column C"-style names, duplicates get " (2)", " (3)" suffixes).
        source_headers: the header cells as written in the file (after str()/strip()),
            same length as columns, so the UI can show what was renamed.
        encoding: the detected text encoding (text files only).
        delimiter: the detected delimiter (text files only).
        estimated_rows: a rough count of data rows for progress display, or None.
        notes: file-level remarks a user should see once, beside the file name (say, control
            characters dropped from a column); empty when there is nothing to say.
        preamble: the rows above the header row as read (preamble[0] is row 1), at most
            PREAMBLE_ROWS of them; empty rows are empty tuples. Holds what exports put above
            the table, such as "Parameters:TimeZone=America/New_York".
    """

    path: Path
    kind: str
    sheet: str | None
    sheets: tuple[str, ...]
    header_row: int
    columns: tuple[str, ...]
    source_headers: tuple[str, ...]
    rows_factory: Callable[[], Iterator[Row]] = field(repr=False, compare=False)
    # A quicker pass over a few columns (see column_chunks); None: made from rows().
    columns_factory: ColumnsFactory | None = field(default=None, repr=False, compare=False)
    encoding: str | None = None
    delimiter: str | None = None
    estimated_rows: int | None = None
    notes: tuple[str, ...] = ()
    preamble: tuple[tuple[Cell, ...], ...] = ()

    def rows(self) -> Iterator[Row]:
        """Data rows below the header in file order; fully empty rows are skipped."""
        return self.rows_factory()

    def column_chunks(self, positions: Sequence[int], size: int) -> Iterator[list[list[Cell]]]:
        """The cells of the columns at `positions`, `size` rows at a time: one list each.

        A first look at a few columns (deciding a time format, a decimal separator) that
        need not build every row. Blank rows may come as None cells. Read errors are raised
        as rows() raises them.
        """
        if self.columns_factory is not None:
            return self.columns_factory(positions, size)
        return _chunks_of_rows(self.rows(), positions, size)

    def column_index(self, name: str) -> int:
        """Index of a column by its unique name; ValueError when absent."""
        return self.columns.index(name)


def _chunks_of_rows(
    rows: Iterator[Row], positions: Sequence[int], size: int
) -> Iterator[list[list[Cell]]]:
    while chunk := list(itertools.islice(rows, size)):
        yield [[cells[p] for _, cells in chunk] for p in positions]
