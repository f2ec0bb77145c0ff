"""Text from files and users shown as typed: file names and cells never render as Qt markup."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui
from PySide6.QtWidgets import QLabel


def plain_label(text: str = "") -> QLabel:
    """A label that shows its text literally (a file named `<b>x<b>.csv` is not bold)."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


def literal(text: str) -> str:
    """`text` for places that guess the format from the text itself (tooltips, message boxes).

    Text Qt would take for markup comes back escaped, line breaks and spaces kept, so it shows
    as typed; any other text comes back unchanged.
    """
    if not QtGui.mightBeRichText(text):
        return text
    return "<p style='white-space:pre-wrap'>" + html.escape(text, quote=False) + "</p>"
