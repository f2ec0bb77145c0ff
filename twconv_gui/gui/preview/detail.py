"""The preview's side pane: the exact JSON sent for the selected row, or why it is not sent."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from twconv_gui.core.prepare.preview import LEFT_OUT, REJECTED, PreviewRow

PANE_HINT = "Select a row to see the exact JSON that will be sent for it."


class DetailPane(QWidget):
    """A label saying what happens to the row, above the JSON sent or the reasons."""

    def __init__(self) -> None:
        super().__init__()
        self.detail_label = QLabel()
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextFormat(Qt.TextFormat.PlainText)
        self.json_pane = QPlainTextEdit()
        self.json_pane.setReadOnly(True)
        self.json_pane.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.json_pane.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.json_pane.setPlaceholderText(PANE_HINT)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.detail_label)
        layout.addWidget(self.json_pane, 1)

    def show_row(self, item: PreviewRow | None, *, has_result: bool) -> None:
        if item is None:
            self.detail_label.setText(PANE_HINT if has_result else "")
            self.json_pane.clear()
            return
        self.detail_label.setText(describe(item))
        wrap = QPlainTextEdit.LineWrapMode
        if item.event is not None:
            self.json_pane.setLineWrapMode(wrap.NoWrap)
            self.json_pane.setPlainText(json.dumps(item.event, indent=2, ensure_ascii=False))
        else:
            self.json_pane.setLineWrapMode(wrap.WidgetWidth)
            self.json_pane.setPlainText("\n\n".join(p.describe() for p in item.problems))


def describe(item: PreviewRow) -> str:
    rows = ", ".join(map(str, item.rows))
    where = f"Row {rows}" if len(item.rows) == 1 else f"Rows {rows}"
    if item.status == REJECTED:
        return f"{where}: rejected, not sent. Why:"
    if item.status == LEFT_OUT:
        return f"{where}: left out, not a sale (not sent). Why:"
    text = f"{where}: sent as below."
    warnings = [p.describe() for p in item.problems]
    return text + ("\nWarnings:\n" + "\n".join(warnings) if warnings else "")
