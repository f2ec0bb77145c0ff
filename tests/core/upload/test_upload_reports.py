"""Upload reports: complete, one line per source row, and never a formula when opened in Excel."""

import csv
from datetime import UTC, datetime

from openpyxl import load_workbook

from twconv_gui.core.normalize.problems import Problem, Severity
from twconv_gui.core.upload.journal import BatchRecord, BatchStatus, RejectedEvent
from twconv_gui.core.upload.reports import write_batch_report, write_upload_rejections

WHEN = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


def read_csv(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def read_xlsx(path):
    return [[c.value for c in row] for row in load_workbook(path).active.iter_rows()]


def batch(number, rows, status, **changes):
    values = {
        "job_id": 1,
        "number": number,
        "rows": rows,
        "first_row": 2,
        "last_row": 3,
        "events": 2,
        "payload_sha256": "a" * 64,
        "status": status,
        "attempts": 1,
        "debug_ids": (),
        "processed": None,
        "error": None,
        "updated_at": WHEN,
    }
    values.update(changes)
    return BatchRecord(**values)


def test_batch_report_lists_every_batch_in_order_with_neutralised_errors(tmp_path):
    records = [
        batch(2, "502-1001", BatchStatus.FAILED, attempts=5, error="=cmd|' /C calc'!A0"),
        batch(1, "2-250,252-503", BatchStatus.ACKNOWLEDGED, debug_ids=("d1", "d2"), processed=500),
    ]
    csv_path, xlsx_path = write_batch_report(records, tmp_path / "job1")
    assert (csv_path.name, xlsx_path.name) == ("batches.csv", "batches.xlsx")
    rows = read_csv(csv_path)
    assert rows == [
        [
            "Batch",
            "Source rows",
            "Events",
            "Status",
            "Attempts",
            "Debug id(s)",
            "Processed",
            "Error",
        ],
        ["1", "2-250,252-503", "2", "acknowledged", "1", "d1, d2", "500", ""],
        ["2", "502-1001", "2", "failed", "5", "", "", "'=cmd|' /C calc'!A0"],
    ]
    sheet = read_xlsx(xlsx_path)
    assert sheet[1][:7] == [1, "2-250,252-503", 2, "acknowledged", 1, "d1, d2", 500]
    assert sheet[2][7] == "'=cmd|' /C calc'!A0"


def test_rejections_give_one_line_per_source_row_in_row_order(tmp_path):
    problems = [
        Problem(9, "value", "Total", "is not an amount", conversion_id="SO-9"),
        Problem(4, "email", "Email", "was dropped: not an email address", Severity.WARNING),
    ]
    refused = [
        RejectedEvent(1, 3, "7-8", "INVALID_PARAMETER", '=HYPERLINK("http://evil")'),
        RejectedEvent(1, 1, "4", "INVALID_CONVERSION_TIME", "conversion_time is too old"),
    ]
    csv_path, xlsx_path = write_upload_rejections(problems, refused, tmp_path)
    assert csv_path.name == "rejected-rows.csv"
    rows = read_csv(csv_path)
    assert rows[0] == [
        "Source row",
        "Conversion id",
        "Severity",
        "Field",
        "Column",
        "Reason",
        "X code",
        "X message",
    ]
    rows = [[r[0], *r[2:]] for r in rows]  # the conversion id is checked below
    assert [(r[0], r[1], r[5]) for r in rows[1:]] == [
        ("4", "warning", ""),
        ("4", "error", "INVALID_CONVERSION_TIME"),
        ("7", "error", "INVALID_PARAMETER"),
        ("8", "error", "INVALID_PARAMETER"),
        ("9", "error", ""),
    ]
    assert rows[3][4] == (
        "X refused the conversion made from rows 7-8 (batch 3); see the X code and message"
    )
    assert rows[2][4] == "X refused this conversion (batch 1); see the X code and message"
    assert rows[3][6] == '\'=HYPERLINK("http://evil")'
    sheet = read_xlsx(xlsx_path)
    assert sheet[5] == [9, "SO-9", "error", "value", "Total", "is not an amount", None, None]
    assert sheet[4][7].startswith("'=")
