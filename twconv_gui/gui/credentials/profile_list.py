"""The dialog's list of sign-in profiles: one row a profile, the default marked, found by name."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from twconv_gui.core.account.profiles import SignInProfile

NameRole = Qt.ItemDataRole.UserRole


class ProfileList(QListWidget):
    """The profiles by name; each row keeps the profile's name under NameRole."""

    def show_profiles(
        self,
        profiles: list[SignInProfile],
        wanted: str | None,
        editing: str | None,
        pick_default: bool,
    ) -> None:
        """Replace the rows and select `wanted` (or the default profile when `pick_default`).

        The rows are replaced without signals; selecting `editing` again (already in the form)
        is silent too, so the form keeps its edits.
        """
        self.blockSignals(True)
        self.clear()
        chosen: QListWidgetItem | None = None
        for profile in profiles:
            text = f"{profile.name} (default)" if profile.is_default else profile.name
            item = QListWidgetItem(text)
            item.setData(NameRole, profile.name)
            self.addItem(item)
            if wanted is not None and profile.name.casefold() == wanted.casefold():
                chosen = item
        if chosen is not None and editing == chosen.data(NameRole):
            self.setCurrentItem(chosen)  # already in the form: keep the edits
        self.blockSignals(False)
        if chosen is not None and self.currentItem() is not chosen:
            self.setCurrentItem(chosen)
        elif profiles and pick_default:
            default = next((p for p in profiles if p.is_default), profiles[0])
            self.select(default.name)

    def select(self, name: str) -> None:
        """Make the profile called `name` (any case) the current row, if it is listed."""
        for row in range(self.count()):
            item = self.item(row)
            if item.data(NameRole).casefold() == name.casefold():
                self.setCurrentItem(item)
                return

    def selected_name(self) -> str | None:
        item = self.currentItem()
        return None if item is None else str(item.data(NameRole))
