"""The small questions the credentials dialog asks: the PIN, a confirmation."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QInputDialog, QLabel, QMessageBox, QWidget

from twconv_gui.gui.plain_text import literal, plain_label


def ask_pin(parent: QWidget, url: str) -> str | None:
    """The PIN the user typed; None when they cancel."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle("Sign in with PIN")
    dialog.setLabelText(
        "Your browser shows the X page below (if not, copy the address into it). Authorize "
        f"the app there, then type the PIN it shows.\n\n{url}"
    )
    for label in dialog.findChildren(QLabel):
        label.setTextInteractionFlags(
            label.textInteractionFlags() | Qt.TextInteractionFlag.TextSelectableByMouse
        )
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.textValue().strip() or None


def ask_yes_no(parent: QWidget, question: str) -> bool:
    answer = QMessageBox.question(parent, "Sign-in profiles", literal(question))
    return answer == QMessageBox.StandardButton.Yes


def wrapping_label() -> QLabel:
    label = plain_label()
    label.setWordWrap(True)
    return label
