"""The main window as a user meets it: open an export, see columns, move through the steps."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from twconv_gui.gui.load.columns_model import ColumnsModel
from twconv_gui.gui.load.raw_model import RawTableModel
from twconv_gui.gui.main_window import HISTORY, LOAD, MAP, PREVIEW, UPLOAD, MainWindow
from twconv_gui.gui.sandbox_mode import SAMPLE_EXPORT, resource_path

SAMPLE = resource_path(SAMPLE_EXPORT)


@pytest.fixture
def window(qtbot, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    win = MainWindow()
    win.shown_messages = shown
    qtbot.addWidget(win)
    yield win
    win.sandbox.stop()


def enabled(window, step):
    return bool(window.steps.item(step).flags() & Qt.ItemFlag.ItemIsEnabled)


def test_open_file_shows_columns_and_moves_to_map(window, qtbot):
    assert not enabled(window, MAP)
    with qtbot.waitSignal(window.file_loaded, timeout=10_000):
        window.open_file(SAMPLE)
    model = window.load_page.columns_model
    rows = {model.index(r, 1).data(): model.index(r, 2).data() for r in range(model.rowCount())}
    assert rows["Customer Email"] == "email"
    assert rows["Order Date"] == "conversion_time"
    email_row = list(rows).index("Customer Email")
    assert "•••@" in model.index(email_row, 3).data()  # masked on screen too
    assert window.load_page.text_label.text() == "utf-8, comma-separated"
    raw = window.load_page.raw_model
    assert raw.headerData(0, Qt.Orientation.Vertical) == "2"  # spreadsheet row numbers
    assert enabled(window, MAP)
    assert window.steps.currentRow() == MAP
    assert not enabled(window, PREVIEW)  # no event id yet: the mapping is incomplete


def test_unreadable_file_shows_the_readers_message(window, qtbot, tmp_path):
    junk = tmp_path / "orders.xlsx"
    junk.write_bytes(b"\x00\x01 definitely not a workbook" * 10)
    with qtbot.waitSignal(window.load_failed, timeout=10_000) as blocker:
        window.open_file(junk)
    assert "orders.xlsx" in blocker.args[0]
    assert "orders.xlsx" in window.load_page.error_label.text()
    assert window.shown_messages == []  # no dialog over the page that offers the way out
    assert window.session.inspection is None
    assert window.steps.currentRow() == LOAD


def test_sandbox_mode_opens_the_sample_with_its_mapping(window, qtbot):
    with qtbot.waitSignal(window.file_loaded, timeout=10_000):
        window.start_sandbox()
    qtbot.waitUntil(lambda: window.session.profile is not None, timeout=5_000)
    assert window.session.connection.sandbox
    assert "SANDBOX" in window.connection_label.text()
    assert window.session.profile.constants == {"event_id": "o87ne"}
    assert enabled(window, PREVIEW)
    assert enabled(window, UPLOAD)
    window.go_to(HISTORY)
    assert window.pages.currentWidget() is window.history_page


def test_recent_files_remember_what_was_opened(window, qtbot):
    with qtbot.waitSignal(window.file_loaded, timeout=10_000):
        window.open_file(SAMPLE)
    titles = [a.text() for a in window.recent_menu.actions()]
    assert titles == [str(SAMPLE)]


def test_load_page_models_pass_the_model_tester(window, qtbot, qtmodeltester):
    with qtbot.waitSignal(window.file_loaded, timeout=10_000):
        window.open_file(SAMPLE)
    qtmodeltester.check(window.load_page.columns_model)
    qtmodeltester.check(window.load_page.raw_model)
    qtmodeltester.check(ColumnsModel())
    qtmodeltester.check(RawTableModel())
