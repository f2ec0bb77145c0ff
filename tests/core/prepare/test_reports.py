"""Report files: what a user opens in Excel must be complete and must not run formulas."""

import csv

from openpyxl import load_workbook

from twconv_gui.core.normalize.problems import Problem, Severity
from twconv_gui.core.prepare.reports import write_rejected_rows


def test_rejected_rows_report_in_csv_and_xlsx_is_sorted_and_neutralised(tmp_path):
    problems = [
        Problem(9, "value", "Total", '=HYPERLINK("http://evil") is not an amount'),
        Problem(3, "email", "Email", "is not an email address", Severity.WARNING),
        Problem(3, "conversion_time", "Date", "is empty"),
    ]
    csv_path, xlsx_path = write_rejected_rows(problems, tmp_path / "reports")
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Source row", "Conversion id", "Severity", "Field", "Column", "Reason"]
    assert [[r[0], *r[2:4]] for r in rows[1:]] == [
        ["3", "error", "conversion_time"],
        ["3", "warning", "email"],
        ["9", "error", "value"],
    ]
    assert rows[3][5].startswith("'=HYPERLINK")
    sheet = load_workbook(xlsx_path).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1] == [3, None, "error", "conversion_time", "Date", "is empty"]
    assert values[3][5].startswith("'=")
