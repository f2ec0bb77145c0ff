"""The dialog's Sandbox-mode hint: the demo credentials that work on the local Sandbox."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from twconv_gui.gui.credentials.prompts import wrapping_label
from twconv_gui.gui.session import Connection


def sandbox_label(connection: Connection | None) -> QLabel:
    """A selectable label with the Sandbox's demo credentials; hidden outside Sandbox mode."""
    label = wrapping_label()
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if connection is None or not connection.sandbox:
        label.setVisible(False)
        return label
    from twconv_gui.sandbox import DEMO  # noqa: PLC0415 - only in Sandbox mode

    label.setText(
        f"Sandbox mode: try the demo pixel token {DEMO.pixel_token} with pixel id "
        f"{DEMO.pixel_id} and event {DEMO.events[0].id}; under Advanced, set the API base "
        f"to {connection.settings.base_url}. It works on the Sandbox only."
    )
    label.setVisible(True)
    return label
