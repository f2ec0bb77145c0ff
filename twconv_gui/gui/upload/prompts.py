"""The one question the Upload step asks: what to do about an earlier upload of the file."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtWidgets import QMessageBox, QWidget

from twconv_gui.gui.upload.worker import Conflict


class Choice(StrEnum):
    """The user's answer to the journal's offer before an upload starts."""

    RESUME = "resume"  # send only what X has not acknowledged yet
    START_OVER = "start over"  # a new job for the whole file (force)
    UPLOAD_AGAIN = "upload again"  # the file was fully uploaded; send it again anyway (force)
    CANCEL = "cancel"


def ask_about_earlier_job(parent: QWidget, conflict: Conflict, message: str) -> Choice:
    """Resume / start over (unfinished job) or upload again (finished job), or cancel."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setText(message)
    if conflict is Conflict.UNFINISHED:
        box.setWindowTitle("Unfinished upload")
        default = box.addButton("Resume", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Start over", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
    else:
        box.setWindowTitle("Already uploaded")
        box.addButton("Upload again anyway", QMessageBox.ButtonRole.DestructiveRole)
        default = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(default)
    box.exec()
    role = box.buttonRole(box.clickedButton())
    box.deleteLater()
    if role == QMessageBox.ButtonRole.AcceptRole:
        return Choice.RESUME
    if role == QMessageBox.ButtonRole.DestructiveRole:
        return Choice.START_OVER if conflict is Conflict.UNFINISHED else Choice.UPLOAD_AGAIN
    return Choice.CANCEL
