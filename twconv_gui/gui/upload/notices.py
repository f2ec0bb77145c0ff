"""The upload page's messages: notice, duplicate-risk note, summary and desktop notification."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication, QLabel, QStyle, QSystemTrayIcon, QWidget

from twconv_gui.core.upload.model import UploadSummary as Summary


def notice_label() -> QLabel:
    """A hidden plain-text label for what stops an upload (file names, as typed)."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def risk_label() -> QLabel:
    """A hidden plain-text label for the duplicate risk, said before anything is sent."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setStyleSheet("color: #8a5300;")
    label.hide()
    return label


def summary_label() -> QLabel:
    """A hidden rich-text label for the final summary, its report links clickable."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
    label.setOpenExternalLinks(True)
    label.hide()
    return label


def show_notice(label: QLabel, message: str) -> None:
    label.setText(message)
    label.setStyleSheet("color: #b00020;")
    label.show()


def hide_notice(label: QLabel) -> None:
    label.clear()
    label.hide()


def show_summary(label: QLabel, title: str, lines: list[str], summary: Summary) -> None:
    """Show the headline, the summary lines and links to the reports (or why there are none)."""
    body = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    reports = ""
    if summary.reports:
        links = ", ".join(
            f'<a href="{QUrl.fromLocalFile(str(p)).toString()}">{html.escape(p.name)}</a>'
            for p in summary.reports
        )
        folder = html.escape(str(summary.reports[0].parent))
        reports = f"<p>Reports: {links}<br>in {folder}</p>"
    else:
        reports = "<p>No report could be written.</p>"
    label.setText(f"<b>{html.escape(title)}</b><ul>{body}</ul>{reports}")
    label.show()


class DesktopNotifier:
    """Desktop notifications for `owner`'s window; the tray icon is made on first use."""

    def __init__(self, owner: QWidget) -> None:
        self._owner = owner
        self._tray: QSystemTrayIcon | None = None

    def notify(self, title: str, message: str) -> None:
        """A desktop notification (or a flashing taskbar entry where there is no tray)."""
        owner = self._owner
        if QSystemTrayIcon.isSystemTrayAvailable():
            if self._tray is None:
                icon = owner.window().windowIcon()
                if icon.isNull():
                    icon = owner.style().standardIcon(QStyle.StandardPixmap.SP_ArrowUp)
                self._tray = QSystemTrayIcon(icon, owner)
            self._tray.show()
            self._tray.showMessage(title, message, QSystemTrayIcon.MessageIcon.Information)
        else:
            QApplication.alert(owner.window())
