"""The Preview step as a user sees it: counts, hashes beside their values, problems, JSON."""

import csv
import hashlib
import json
from importlib import resources

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog

from twconv_gui.core.mapping.inspection import inspect_file
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.prepare.preview import build_preview
from twconv_gui.core.reading.opening import open_table
from twconv_gui.gui.preview.model import (
    HEADERS,
    REJECTED_BACKGROUND,
    WARNING_BACKGROUND,
    EventRole,
    PreviewModel,
    ProblemRole,
)
from twconv_gui.gui.preview.page import PreviewPage
from twconv_gui.gui.session import Session

RESOURCES = resources.files("twconv_gui.resources")
SAMPLE = RESOURCES / "sample_export.csv"
SAMPLE_MAPPING = RESOURCES / "sample_mapping.json"
COLUMN = {name: i for i, name in enumerate(HEADERS)}


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def cell(model, row, name, role=Qt.ItemDataRole.DisplayRole):
    return model.index(row, COLUMN[name]).data(role)


def shown_rows(model):
    return [cell(model, r, "Row") for r in range(model.rowCount())]


def write_csv(path, header, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def prepared_page(qtbot, path, columns):
    """The Preview of `path` mapped with `columns` (and an event id), once prepared."""
    session = Session()
    session.set_inspection(inspect_file(path))
    session.set_profile(
        MappingProfile.from_dict({"columns": columns, "constants": {"event_id": "o87ne"}})
    )
    page = PreviewPage(session)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.prepared, timeout=10_000):
        page.prepare()
    return page


@pytest.fixture
def session():
    session = Session()
    session.set_inspection(inspect_file(str(SAMPLE)))
    session.set_profile(MappingProfile.load(str(SAMPLE_MAPPING)))
    return session


@pytest.fixture
def page(qtbot, session):
    widget = PreviewPage(session)
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def prepared(page, qtbot):
    with qtbot.waitSignal(page.prepared, timeout=10_000):
        assert page.prepare()
    return page


def select(page, row):
    page.view.selectionModel().setCurrentIndex(
        page.model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def test_sample_counts(prepared):
    assert prepared.model.rowCount() == 40
    assert prepared.counts_label.text() == (
        "37 ready · 3 rejected · 0 warnings · 37 conversions to send"
    )
    assert prepared.banner.isHidden()


def test_hashes_sit_beside_the_values_they_hash(prepared):
    model = prepared.model
    assert cell(model, 0, "Row") == "2"
    assert cell(model, 0, "Email") == "ana.60@mail.example.net"
    assert cell(model, 0, "Email SHA-256") == sha("ana.60@mail.example.net")
    assert cell(model, 0, "Phone (E.164)") == "+12125550106"
    assert cell(model, 0, "Phone SHA-256") == sha("+12125550106")
    assert cell(model, 0, "Conversion time (UTC)") == "2026-10-02T01:09:00.000Z"  # New York
    assert cell(model, 0, "Event id") == "o87ne"
    assert cell(model, 0, "Value") == "79.68"
    assert cell(model, 0, "Currency") == "USD"
    assert cell(model, 0, "Conversion id") == "SO-10400"
    assert cell(model, 1, "Click id") == "1fcda85948075cc"
    assert cell(model, 1, "Items") == "4"
    assert cell(model, 0, "Status") == "Ready"
    assert cell(model, 0, "Row", Qt.ItemDataRole.BackgroundRole) is None


def test_rejected_rows_are_highlighted_with_their_reason(prepared):
    model = prepared.model
    row = shown_rows(model).index("5")
    assert cell(model, row, "Status") == "Rejected"
    assert HEADERS.index("Problem") == HEADERS.index("Status") + 1
    assert cell(model, row, "Email SHA-256") == ""
    assert cell(model, row, "Row", Qt.ItemDataRole.BackgroundRole) == REJECTED_BACKGROUND
    assert cell(model, row, "Problem").startswith("Customer Email: is not an email address")
    problems = cell(model, row, "Row", ProblemRole)
    assert [p.row for p in problems] == [5]
    assert cell(model, row, "Row", EventRole) is None
    assert "row 5" in cell(model, row, "Problem", Qt.ItemDataRole.ToolTipRole)
    assert cell(model, 0, "Problem") == ""  # a ready row


def test_rejected_rows_show_their_cells_as_read_from_the_file(prepared):
    model = prepared.model
    row = shown_rows(model).index("5")
    assert cell(model, row, "Conversion time (UTC)") == "2026-10-02 20:15"
    assert cell(model, row, "Event id") == "o87ne"
    assert cell(model, row, "Email") == "not-an-email"  # as typed: the user recognizes it
    assert cell(model, row, "Value") == "647.74"
    assert cell(model, row, "Currency") == "USD"
    assert cell(model, row, "Conversion id") == "SO-10403"
    assert cell(model, row, "Email", Qt.ItemDataRole.FontRole).italic()
    assert "As read from the file" in cell(model, row, "Email", Qt.ItemDataRole.ToolTipRole)
    bad_date = shown_rows(model).index("19")
    assert cell(model, bad_date, "Conversion time (UTC)") == "next tuesday"
    assert cell(model, bad_date, "Click id") == "1bfb068b65f563d"
    assert cell(model, 0, "Email", Qt.ItemDataRole.FontRole) is None  # sent rows: as sent


def test_problems_only_shows_exactly_the_problem_rows(prepared, qtbot, qtmodeltester):
    combo = prepared.filter_combo
    combo.setCurrentIndex(combo.findText("Problems only (3)"))
    assert shown_rows(prepared.model) == ["5", "12", "19"]
    assert all(
        cell(prepared.model, r, "Status") == "Rejected" for r in range(prepared.model.rowCount())
    )
    qtmodeltester.check(prepared.model)
    combo.setCurrentIndex(combo.findText("All rows"))
    assert prepared.model.rowCount() == 40


def test_filter_by_reason_lists_each_reason_with_its_count(prepared, qtbot, qtmodeltester):
    combo = prepared.filter_combo
    items = [combo.itemText(i) for i in range(combo.count())]
    assert items[:2] == ["All rows", "Problems only (3)"]
    email = next(text for text in items if "is not an email address" in text)
    assert email.startswith("Customer Email: ")
    assert email.endswith(" (1)")
    assert any(text.startswith("Order Date: ") and text.endswith("(1)") for text in items)
    combo.setCurrentIndex(items.index(email))
    assert shown_rows(prepared.model) == ["5"]
    qtmodeltester.check(prepared.model)
    with qtbot.waitSignal(prepared.prepared, timeout=10_000):
        prepared.refresh_button.click()  # the choice survives a refresh while its reason exists
    assert combo.currentText() == email
    assert shown_rows(prepared.model) == ["5"]


def test_warnings_are_yellow_and_listed_with_problems(tmp_path, qtbot):
    path = write_csv(
        tmp_path / "w.csv",
        ["Time", "Email", "Phone"],
        [["2026-03-01 10:00", "a@example.com", "12"], ["2026-03-01 11:00", "b@example.com", ""]],
    )
    columns = {"conversion_time": "Time", "email": "Email", "phone": "Phone"}
    page = prepared_page(qtbot, path, columns)
    model = page.model
    assert cell(model, 0, "Status") == "Warning"
    assert cell(model, 0, "Row", Qt.ItemDataRole.BackgroundRole) == WARNING_BACKGROUND
    assert "1 warnings" in page.counts_label.text()
    page.filter_combo.choose_problems(True)
    assert shown_rows(model) == ["2"]
    assert cell(model, 0, "Problem").startswith("Phone: ")
    select(page, 0)
    assert "Warnings:" in page.detail_label.text()
    assert json.loads(page.json_pane.toPlainText())["identifiers"] == [
        {"hashed_email": sha("a@example.com")}
    ]


def test_a_reason_on_many_rows_is_one_choice_whatever_row_each_names(tmp_path, qtbot):
    # Each repeat names the row it repeats: one reason in the list, not one per row.
    rows = [[f"T-{i % 40}", "2026-03-01 10:00", f"c{i}@example.com"] for i in range(120)]
    path = write_csv(tmp_path / "payments.csv", ["Transaction", "Time", "Email"], rows)
    columns = {"conversion_id": "Transaction", "conversion_time": "Time", "email": "Email"}
    page = prepared_page(qtbot, path, columns)
    combo = page.filter_combo
    items = [combo.itemText(i) for i in range(combo.count())]
    assert len(items) == 3, items
    assert items[2].startswith("Transaction: repeats the conversion id of another row")
    assert items[2].endswith(" (80)")
    combo.setCurrentIndex(2)
    assert shown_rows(page.model)[:3] == ["42", "43", "44"]
    assert page.model.rowCount() == 80


def test_models_pass_the_model_tester(prepared, qtmodeltester):
    qtmodeltester.check(prepared.model)
    qtmodeltester.check(PreviewModel())
    empty_filtered = PreviewModel()
    empty_filtered.set_problems_only(True)
    qtmodeltester.check(empty_filtered)
    result = build_preview(
        open_table(str(SAMPLE)), MappingProfile.load(str(SAMPLE_MAPPING)), workers=1
    )
    model = PreviewModel()
    model.set_result(result)
    model.set_problems_only(True)
    qtmodeltester.check(model)


def test_json_pane_shows_the_exact_event_or_the_reasons(prepared):
    select(prepared, 0)
    event = prepared.result.rows[0].event
    assert prepared.json_pane.toPlainText() == json.dumps(event, indent=2)
    assert prepared.json_pane.isReadOnly()
    assert "Row 2" in prepared.detail_label.text()
    rejected = shown_rows(prepared.model).index("19")
    select(prepared, rejected)
    assert "Order Date" in prepared.json_pane.toPlainText()
    assert "is not a date/time" in prepared.json_pane.toPlainText()
    assert "rejected" in prepared.detail_label.text()
    assert not prepared.copy_button.isEnabled()


def test_selection_survives_the_problems_filter(prepared):
    rejected = shown_rows(prepared.model).index("12")
    select(prepared, rejected)
    prepared.filter_combo.choose_problems(True)
    current = prepared.view.selectionModel().currentIndex()
    assert cell(prepared.model, current.row(), "Row") == "12"
    assert "row 12" in prepared.json_pane.toPlainText()


def test_copy_batch_json_puts_the_request_body_on_the_clipboard(prepared, qtbot):
    select(prepared, 4)  # row 6; index 3 is the rejected row 5
    assert prepared.copy_button.isEnabled()
    qtbot.mouseClick(prepared.copy_button, Qt.MouseButton.LeftButton)
    body = json.loads(QGuiApplication.clipboard().text())
    ready = [item.event for item in prepared.result.rows if item.event is not None]
    assert body == {"conversions": ready}  # 37 conversions: one batch
    assert "Batch 1 (37 conversions)" in prepared.status_label.text()


def test_export_rejected_rows(prepared, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    with qtbot.waitSignal(prepared.rejected_exported, timeout=10_000) as blocker:
        qtbot.mouseClick(prepared.export_button, Qt.MouseButton.LeftButton)
    csv_path = next(p for p in blocker.args[0] if p.suffix == ".csv")
    assert csv_path.name == "sample_export-rejected-rows.csv"
    with csv_path.open(encoding="utf-8-sig") as handle:
        lines = list(csv.DictReader(handle))
    assert [line["Source row"] for line in lines] == ["5", "12", "19"]
    assert "is not an email address" in lines[0]["Reason"]


def test_column_notes_are_shown_in_a_banner(tmp_path, qtbot):
    rows = [[f"0{m}/0{d}/2026 10:00", f"user{m}{d}@example.com"] for m in (1, 2) for d in (3, 4)]
    path = write_csv(tmp_path / "dates.csv", ["Date", "Email"], rows)
    session = Session()
    session.set_inspection(inspect_file(path))
    session.set_profile(
        MappingProfile.from_dict(
            {
                "columns": {"conversion_time": "Date", "email": "Email"},
                "constants": {"event_id": "x"},
            }
        )
    )
    page = PreviewPage(session)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.prepared, timeout=10_000):
        page.prepare()
    assert not page.banner.isHidden()
    assert 'Column "Date"' in page.banner.text()
    assert "day/month/year or month/day/year" in page.banner.text()


def test_a_mapping_that_does_not_fit_shows_the_core_message(page, session, qtbot):
    session.set_profile(MappingProfile.from_dict({"columns": {"conversion_time": "When"}}))
    with qtbot.waitSignal(page.prepare_failed, timeout=10_000) as blocker:
        page.prepare()
    assert 'column "When" is not in sample_export.csv' in blocker.args[0]
    assert page.status_label.text() == blocker.args[0]
    assert page.model.rowCount() == 0


def test_without_a_mapping_nothing_is_prepared(qtbot):
    session = Session()
    page = PreviewPage(session)
    qtbot.addWidget(page)
    assert not page.prepare()
    assert "Load step" in page.status_label.text()
    session.set_inspection(inspect_file(str(SAMPLE)))
    assert not page.prepare()
    assert "Map step" in page.status_label.text()


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_showing_the_page_prepares_and_mapping_changes_refresh_it(page, session, qtbot):
    with qtbot.waitSignal(page.prepared, timeout=10_000):
        page.show()
    shown = page.result
    session.set_profile(MappingProfile.load(str(SAMPLE_MAPPING)))  # rebuilt, unchanged
    assert page.result is shown
    assert page.cancel_button.isHidden()
    changed = MappingProfile.load(str(SAMPLE_MAPPING))
    changed.constants = {"event_id": "abc12"}
    with qtbot.waitSignal(page.prepared, timeout=10_000) as blocker:
        session.set_profile(changed)
    assert blocker.args[0].rows[0].event["event_id"] == "abc12"
    assert cell(page.model, 0, "Event id") == "abc12"


def test_cancel_a_big_preparation(tmp_path, qtbot):
    rows = (
        [f"A{i}", f"2026-03-{i % 28 + 1:02d} 10:00", f"user{i}@example.com", "(212) 555-0134"]
        for i in range(50_000)
    )
    path = write_csv(tmp_path / "big.csv", ["Order", "Date", "Email", "Phone"], rows)
    session = Session()
    session.set_inspection(inspect_file(path))
    session.set_profile(
        MappingProfile.from_dict(
            {
                "columns": {
                    "conversion_id": "Order",
                    "conversion_time": "Date",
                    "email": "Email",
                    "phone": "Phone",
                },
                "constants": {"event_id": "o87ne"},
            }
        )
    )
    page = PreviewPage(session, workers=1)
    qtbot.addWidget(page)
    prepared = []
    page.prepared.connect(prepared.append)
    with qtbot.waitSignal(page.progress_changed, timeout=10_000) as progress:
        page.prepare()
    assert not page.progress_bar.isHidden()
    assert not page.cancel_button.isHidden()
    assert progress.args[1] > 0  # rows done
    with qtbot.waitSignal(page.prepare_cancelled, timeout=10_000):
        qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    assert "cancelled" in page.status_label.text()
    assert page.model.rowCount() == 0
    assert prepared == []


def test_rows_left_out_by_a_filter_say_so_and_are_counted_apart(qtbot, tmp_path):
    path = tmp_path / "payments.csv"
    write_csv(
        path,
        ["id", "Created", "Email", "Status"],
        [
            ["ch_1", "2026-03-02 10:15", "a@example.com", "Paid"],
            ["ch_2", "2026-03-02 10:20", "b@example.com", "Failed"],
            ["ch_3", "2026-03-02 10:25", "not an email", "Paid"],
        ],
    )
    session = Session()
    session.set_inspection(inspect_file(str(path)))
    session.set_profile(
        MappingProfile.from_dict(
            {
                "columns": {"conversion_id": "id", "conversion_time": "Created", "email": "Email"},
                "constants": {"event_id": "o87ne"},
                "filters": [{"column": "Status", "drop": ["Failed"]}],
            }
        )
    )
    page = PreviewPage(session)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.prepared, timeout=10_000):
        assert page.prepare()
    assert page.counts_label.text() == (
        "1 ready · 1 rejected · 1 left out (not sales) · 0 warnings · 1 conversions to send"
    )
    assert cell(page.model, 1, "Status") == "Left out"
    select(page, 1)
    assert page.detail_label.text() == "Row 3: left out, not a sale (not sent). Why:"
    assert "left out by filter (Status is Failed)" in page.json_pane.toPlainText()
