"""The Load step as a user sees it: open an export, see columns and suggestions, or a message."""

from importlib import resources

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from twconv_gui.gui.columns_model import ColumnsModel
from twconv_gui.gui.main_window import MainWindow

SAMPLE = resources.files("twconv_gui.resources") / "sample_export.csv"


@pytest.fixture
def window(qtbot, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    win = MainWindow()
    win.shown_messages = shown
    qtbot.addWidget(win)
    return win


def test_open_file_shows_columns_with_suggested_fields(window, qtbot):
    with qtbot.waitSignal(window.file_loaded, timeout=10_000):
        window.open_file(str(SAMPLE))
    model = window.columns_model
    assert model.rowCount() == 8
    rows = {model.index(r, 1).data(): model.index(r, 2).data() for r in range(model.rowCount())}
    assert rows["Customer Email"] == "email"
    assert rows["Order Date"] == "conversion_time"
    email_row = list(rows).index("Customer Email")
    samples = model.index(email_row, 3).data()
    assert "•••@" in samples  # masked on screen too
    assert window.header_spin.value() == 1
    assert "8 columns" in window.statusBar().currentMessage()


def test_unreadable_file_shows_the_readers_message(window, qtbot, tmp_path):
    junk = tmp_path / "orders.xlsx"
    junk.write_bytes(b"\x00\x01 definitely not a workbook" * 10)
    with qtbot.waitSignal(window.load_failed, timeout=10_000) as blocker:
        window.open_file(junk)
    assert "orders.xlsx" in blocker.args[0]
    assert window.shown_messages == [blocker.args[0]]
    assert window.columns_model.rowCount() == 0


def test_columns_model_passes_the_model_tester(window, qtbot, qtmodeltester):
    with qtbot.waitSignal(window.file_loaded, timeout=10_000):
        window.open_file(str(SAMPLE))
    qtmodeltester.check(window.columns_model)
    qtmodeltester.check(ColumnsModel())
    assert window.columns_model.headerData(1, Qt.Orientation.Horizontal) == "Column"


def test_suggestion_reason_is_the_tooltip_and_text_details_show(window, qtbot):
    with qtbot.waitSignal(window.file_loaded, timeout=10_000):
        window.open_file(str(SAMPLE))
    model = window.columns_model
    tips = {
        model.index(r, 1).data(): model.index(r, 2).data(Qt.ItemDataRole.ToolTipRole)
        for r in range(model.rowCount())
    }
    assert 'header "Customer Email"' in tips["Customer Email"]
    assert window.text_label.text() == "utf-8, comma-separated"
