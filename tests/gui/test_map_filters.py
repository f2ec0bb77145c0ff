"""The Map step's row filters as a user sees them: the list, the add / edit dialog with the
values seen in the file, the rows each filter leaves out, counted in the background."""

import csv
import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from twconv_gui.core.mapping.filters import ABOVE_ZERO, DROP, KEEP, NON_EMPTY, ONE_OF, RowFilter
from twconv_gui.core.mapping.inspection import inspect_file
from twconv_gui.core.reading.opening import open_table
from twconv_gui.gui.mapping.filters_editor import EMPTY_TEXT, FiltersEditor
from twconv_gui.gui.mapping.filters_model import COUNTING_TEXT
from twconv_gui.gui.mapping.page import READY_TEXT, MapPage
from twconv_gui.gui.session import Session

STATUSES = ["Paid", "Paid", "Failed", "Refunded", "paid "]  # 12 of 20 rows are paid
# The offscreen platform says so whenever a dialog is shown; nothing a user would see.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")
REFUNDED = RowFilter("Status", DROP, ONE_OF, ("Refunded",))


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "orders.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Order", "Status", "Email", "Date", "Total"])
        for i in range(20):
            status = STATUSES[i % len(STATUSES)]
            total = "0" if i % 10 == 0 else "9.90"
            writer.writerow([f"A-{i}", status, f"u{i}@example.com", "2026-03-02 10:15", total])
    return path


class RecordingPool:
    """Keeps the jobs the page starts; a test runs them on the GUI thread, in any order."""

    def __init__(self):
        self.started = []

    def start(self, worker):
        self.started.append(worker)


def make_page(qtbot, export, monkeypatch, pool=None):
    monkeypatch.setattr(QMessageBox, "warning", lambda *_args: None)
    session = Session()
    page = MapPage(session, pool=pool)
    qtbot.addWidget(page)
    session.set_inspection(inspect_file(str(export)))
    page.set_constant("event_id", "o87ne")
    page.filters_editor.set_filters([])  # start without filters, whatever was suggested
    page.apply_now()
    return page


@pytest.fixture
def page(qtbot, export, monkeypatch):
    return make_page(qtbot, export, monkeypatch)


def cell(page, row, column):
    model = page.filters_editor.model
    return model.data(model.index(row, column))


def click(qtbot, widget):
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def tick(dialog, *labels):
    for label in labels:
        dialog.set_value_checked(label)


def test_adding_a_filter_offers_the_columns_values_and_counts_the_rows_left_out(page, qtbot):
    editor = page.filters_editor
    assert editor.summary.text() == EMPTY_TEXT
    click(qtbot, editor.add_button)
    dialog = editor.dialog
    assert dialog.isVisible()
    dialog.column_combo.setCurrentText("Status")
    offered = [dialog.values.item(r).text() for r in range(dialog.values.rowCount())]
    assert offered == ["Paid   (12)", "Failed   (4)", "Refunded   (4)"]  # "paid " is Paid
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # nothing ticked yet
    dialog.values.item(1).setCheckState(Qt.CheckState.Checked)
    dialog.values.item(2).setCheckState(Qt.CheckState.Checked)
    assert dialog.summary.text() == "Leaves out the rows where Status is Failed or Refunded."
    with qtbot.waitSignal(editor.counted, timeout=5000) as counted:
        click(qtbot, ok)
        assert cell(page, 0, 3) == COUNTING_TEXT
    assert counted.args[0] == [8]
    assert [cell(page, 0, c) for c in range(4)] == [
        "Status",
        "Leave out",
        "Failed, Refunded",
        "leaves out 8 rows",
    ]
    assert editor.summary.text() == "The filter leaves out 8 rows of the file."
    page.apply_now()
    assert page.validation_label.text() == READY_TEXT
    profile = page.session.profile
    assert profile.filters == [RowFilter("Status", DROP, ONE_OF, ("Failed", "Refunded"))]


def test_editing_a_filter_to_keep_only_paid_rows(page, qtbot):
    editor = page.filters_editor
    with qtbot.waitSignal(editor.counted, timeout=5000):
        editor.set_filters([REFUNDED])
    editor.view.selectRow(0)
    click(qtbot, editor.edit_button)
    dialog = editor.dialog
    assert dialog.windowTitle() == "Edit filter"
    assert dialog.checked_values() == ["Refunded"]
    dialog.action_combo.setCurrentIndex(dialog.action_combo.findData(KEEP))
    dialog.set_value_checked("Refunded", False)
    tick(dialog, "Paid")
    assert dialog.summary.text() == "Leaves out the rows where Status is not Paid."
    with qtbot.waitSignal(editor.counted, timeout=5000) as counted:
        click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Ok))
    assert counted.args[0] == [8]
    assert cell(page, 0, 1) == "Keep only"
    assert page.current_profile().filters == [RowFilter("Status", KEEP, ONE_OF, ("Paid",))]
    assert "Status is not Paid" in editor.model.data(
        editor.model.index(0, 2), Qt.ItemDataRole.ToolTipRole
    )


def test_tests_without_values_and_a_second_filter_are_counted_each(page, qtbot):
    editor = page.filters_editor
    click(qtbot, editor.add_button)
    dialog = editor.dialog
    dialog.column_combo.setCurrentText("Total")
    dialog.action_combo.setCurrentIndex(dialog.action_combo.findData(KEEP))
    dialog.test_combo.setCurrentIndex(dialog.test_combo.findData(ABOVE_ZERO))
    assert not dialog.values_box.isEnabled()
    with qtbot.waitSignal(editor.counted, timeout=5000):
        click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Ok))
    click(qtbot, editor.add_button)
    dialog = editor.dialog
    dialog.column_combo.setCurrentText("Status")
    tick(dialog, "Failed")
    with qtbot.waitSignal(editor.counted, timeout=5000) as counted:
        click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Ok))
    # Rows 0 and 10 have no total; of the rest, every fifth (2, 7, 12, 17) failed.
    assert counted.args[0] == [2, 4]
    assert cell(page, 0, 2) == "(above zero)"
    assert cell(page, 1, 3) == "leaves out 4 rows"
    assert editor.summary.text() == "In all, the filters leave out 6 rows of the file."
    assert [f.test for f in page.current_profile().filters] == [ABOVE_ZERO, ONE_OF]


def test_removing_a_filter(page, qtbot):
    editor = page.filters_editor
    assert not editor.remove_button.isEnabled()  # nothing selected
    with qtbot.waitSignal(editor.counted, timeout=5000):
        editor.set_filters([REFUNDED, RowFilter("Email", KEEP, NON_EMPTY)])
    editor.view.selectRow(0)
    assert editor.remove_button.isEnabled()
    with qtbot.waitSignal(page.session.profile_changed, timeout=2000) as changed:
        click(qtbot, editor.remove_button)
    assert changed.args[0].filters == [RowFilter("Email", KEEP, NON_EMPTY)]
    assert cell(page, 0, 0) == "Email"
    editor.view.selectRow(0)
    click(qtbot, editor.remove_button)
    assert editor.model.rowCount() == 0
    assert editor.summary.text() == EMPTY_TEXT
    assert page.current_profile().filters == []


def test_personal_columns_offer_no_values_but_any_value_can_be_typed(page, qtbot):
    click(qtbot, page.filters_editor.add_button)
    dialog = page.filters_editor.dialog
    dialog.column_combo.setCurrentText("Email")
    assert dialog.values.rowCount() == 0
    assert "personal data" in dialog.values_note.text()
    qtbot.keyClicks(dialog.other_edit, "test@example.com")
    click(qtbot, dialog.other_button)
    assert dialog.checked_values() == ["test@example.com"]
    assert dialog.other_edit.text() == ""
    click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel))
    assert page.filters_editor.filters() == []  # cancelled: nothing added


def test_a_loaded_mapping_shows_its_filters_counted(page, qtbot, tmp_path):
    path = tmp_path / "mapping.json"
    data = {
        "columns": {"conversion_time": "Date", "email": "Email"},
        "constants": {"event_id": "o87ne"},
        "filters": [
            {"column": "Status", "drop": ["failed"]},
            {"column": "Gone", "keep": "non-empty"},
        ],
    }
    path.write_text(json.dumps(data))
    with qtbot.waitSignal(page.filters_editor.counted, timeout=5000) as counted:
        page.load_mapping(path)
    assert counted.args[0] == [4, 0]
    assert cell(page, 1, 0) == "Gone (not in this file)"
    assert 'filter: column "Gone" is not in orders.csv' in page.validation_label.text()


def test_only_the_count_of_the_latest_filters_is_shown(qtbot, export, monkeypatch):
    pool = RecordingPool()
    page = make_page(qtbot, export, monkeypatch, pool)
    editor = page.filters_editor
    editor.set_filters([REFUNDED])
    editor.set_filters([REFUNDED, RowFilter("Status", DROP, ONE_OF, ("Failed",))])
    qtbot.waitUntil(lambda: len(pool.started) == 1)  # one count after the pause, not two
    first = pool.started[0]
    editor.set_filters([RowFilter("Status", DROP, ONE_OF, ("Failed",))])
    qtbot.waitUntil(lambda: len(pool.started) == 2)
    assert first.cancel_event.is_set()
    counts = []
    editor.counted.connect(counts.append)
    pool.started[1].run()
    first.run()  # the stale count arrives last and is ignored
    assert counts == [[4]]
    assert cell(page, 0, 3) == "leaves out 4 rows"


def test_filters_model_passes_the_model_tester(page, qtbot, qtmodeltester):
    editor = page.filters_editor
    with qtbot.waitSignal(editor.counted, timeout=5000):
        editor.set_filters([REFUNDED, RowFilter("Total", KEEP, ABOVE_ZERO)])
    qtmodeltester.check(editor.model)


def test_the_counts_judge_the_line_items_of_an_order_together(qtbot, monkeypatch):
    # Shopify writes Financial Status on an order's first line item only.
    from pathlib import Path

    shopify = Path(__file__).parents[1] / "exports" / "shopify_orders_export.csv"
    monkeypatch.setattr(QMessageBox, "warning", lambda *_args: None)
    session = Session()
    page = MapPage(session)
    qtbot.addWidget(page)
    session.set_inspection(inspect_file(str(shopify)))
    page.apply_now()
    editor = page.filters_editor
    assert page.group_check.isChecked()
    qtbot.waitUntil(lambda: "leave out 3 rows" in editor.summary.text(), timeout=5_000)
    page.group_check.setChecked(False)  # one row at a time: the items' empty status counts
    qtbot.waitUntil(lambda: "leave out 7 rows" in editor.summary.text(), timeout=5_000)


def test_the_counts_find_an_order_in_the_fallback_columns_of_its_id(qtbot, tmp_path):
    # The order id is in "Order", or in "Name" where "Order" is empty, as the mapping reads it.
    path = tmp_path / "orders.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(
            [["Order", "Name", "Status"], ["1001", "", "paid"], ["", "1001", ""],
             ["1002", "", "refunded"]]
        )  # fmt: skip
    editor = FiltersEditor()
    qtbot.addWidget(editor)
    editor.set_source(open_table(path), [], lambda _column: False)
    editor.set_grouping(["Order", "Name"], True)
    with qtbot.waitSignal(editor.counted, timeout=5_000) as counted:
        editor.set_filters([RowFilter("Status", KEEP, ONE_OF, ("paid",))])
    assert counted.args == [[1]]  # order 1002; both lines of 1001 are kept
    with qtbot.waitSignal(editor.counted, timeout=5_000) as counted:
        editor.set_grouping(["Order"], True)  # the second line then has no order of its own
    assert counted.args == [[2]]
