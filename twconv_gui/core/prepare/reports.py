"""Report files users open in Excel: CSV and XLSX side by side, safe against formula injection."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from twconv_gui.core.errors import TwconvError
from twconv_gui.core.normalize.problems import Problem
from twconv_gui.core.paths import private_replacement

# A cell starting with one of these is run as a formula by Excel/LibreOffice ("CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

REJECTED_HEADERS = ("Source row", "Conversion id", "Severity", "Field", "Column", "Reason")


def load_xlsx_writer() -> None:
    """Import the XLSX writer (openpyxl takes ~0.1 s to load) ahead of the first report.

    It is not loaded at start-up: an upload calls this once its last batches are in flight,
    while it only waits for X's answers, so neither the start nor the end waits for it.
    """
    import openpyxl  # noqa: F401, PLC0415


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def write_report(
    directory: str | Path, stem: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> list[Path]:
    """Write `stem`.csv and `stem`.xlsx into `directory` (created if needed); return both paths.

    Both are readable by their owner only (0o600), as is a folder created here (0o700); each
    is written under a temporary name and renamed into place, so a failure leaves no half file.
    """
    folder = Path(directory)
    csv_path, xlsx_path = folder / f"{stem}.csv", folder / f"{stem}.xlsx"
    safe_rows = [[neutralise(cell) for cell in row] for row in rows]
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        # utf-8-sig: Excel opens the CSV with the right encoding on double-click.
        with (
            private_replacement(csv_path) as partial,
            partial.open("w", encoding="utf-8-sig", newline="") as handle,
        ):
            writer = csv.writer(handle)
            writer.writerow(headers)
            writer.writerows(safe_rows)
        from openpyxl import Workbook  # noqa: PLC0415 - see load_xlsx_writer
        from openpyxl.utils import get_column_letter  # noqa: PLC0415

        book = Workbook(write_only=True)
        sheet = book.create_sheet(stem[:31])
        widths = [len(h) for h in headers]
        for row in safe_rows:
            for i, cell in enumerate(row[: len(widths)]):
                widths[i] = max(widths[i], min(len(str(cell)), 80))
        for i, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(i)].width = width + 2
        sheet.append(list(headers))
        for row in safe_rows:
            sheet.append(row)
        with private_replacement(xlsx_path) as partial:
            book.save(partial)
    except OSError as exc:
        raise TwconvError(
            f"Cannot write the report into {folder}: {exc.strerror}. Choose another folder "
            "(--report-dir) or close the report if it is open in Excel."
        ) from None
    return [csv_path, xlsx_path]


def write_rejected_rows(
    problems: Iterable[Problem], directory: str | Path, stem: str = "rejected-rows"
) -> list[Path]:
    """The rejected-rows report: one line per problem, in row order (errors and warnings)."""
    ordered = sorted(problems, key=lambda p: (p.row, not p.is_error))
    rows = [
        (p.row, p.conversion_id or "", p.severity.value, p.field, p.column or "", p.message)
        for p in ordered
    ]
    return write_report(directory, stem, REJECTED_HEADERS, rows)
