"""File names and text from files show as typed: markup in a name is never rendered."""

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QMessageBox

from twconv_gui.gui.load.page import LoadPage
from twconv_gui.gui.main_window import MAP, MainWindow
from twconv_gui.gui.plain_text import literal
from twconv_gui.gui.sandbox_mode import SAMPLE_EXPORT, resource_path
from twconv_gui.gui.session import Session

NAME = "<b>orders<b>.csv"  # a "/" cannot be part of a file name, so no closing tag


@pytest.fixture
def marked_file(tmp_path: Path) -> Path:
    path = tmp_path / NAME
    shutil.copyfile(resource_path(SAMPLE_EXPORT), path)
    return path


def shown_text(label: QLabel) -> str:
    """What the label draws, as a user selecting it would copy it."""
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSelection(0, len(label.text()))
    return label.selectedText()


def test_markup_in_the_name_is_recognised_by_qt_as_rich_text():
    assert QtGui.mightBeRichText(f"{NAME} — CSV text")  # so AutoText would render it


def test_the_load_page_shows_a_marked_up_file_name_literally(qtbot, marked_file):
    page = LoadPage(Session())
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.file_loaded, timeout=10_000):
        page.open_file(marked_file)
    assert page.file_label.textFormat() == Qt.TextFormat.PlainText
    assert shown_text(page.file_label).startswith(NAME + " — ")
    assert page.text_label.textFormat() == Qt.TextFormat.PlainText


def test_a_marked_up_file_that_fails_shows_its_name_literally(qtbot, tmp_path):
    broken = tmp_path / "<b>orders<b>.xlsx"
    broken.write_bytes(b"\x00 not a workbook" * 10)
    page = LoadPage(Session())
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.load_failed, timeout=10_000):
        page.open_file(broken)
    assert shown_text(page.file_label) == "<b>orders<b>.xlsx — not read"
    assert "<b>orders<b>.xlsx" in shown_text(page.error_label)


def test_no_label_of_the_main_window_renders_a_file_name_as_markup(qtbot, monkeypatch, marked_file):
    monkeypatch.setattr(QMessageBox, "warning", lambda *_args: None)
    window = MainWindow()
    qtbot.addWidget(window)
    try:
        with qtbot.waitSignal(window.file_loaded, timeout=10_000):
            window.open_file(marked_file)
        assert window.steps.currentRow() == MAP
        showing = [
            label
            for label in window.findChildren(QLabel)
            if "orders" in label.text() and "<b>" in label.text()
        ]
        assert showing  # the Load page at least
        for label in showing:
            assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
        assert NAME in window.statusBar().currentMessage()
    finally:
        window.sandbox.stop()


def test_text_for_format_guessing_places_shows_literally():
    """Tooltips and message boxes guess the format: file-derived text in them is escaped."""
    text = f"Header in the file: {NAME}\nsecond  line"
    rendered = QTextDocument()
    rendered.setHtml(literal(text))  # what Qt does with text it takes for markup
    assert rendered.toPlainText() == text
    assert literal("Saved C:/reports/rows.csv") == "Saved C:/reports/rows.csv"  # no markup: as is
