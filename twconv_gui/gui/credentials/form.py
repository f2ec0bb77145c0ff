"""The form of one sign-in profile: keys and tokens (masked), account, pixel, event, API hosts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from twconv_gui.core.account.ad_accounts import AdAccount, ConversionEvent
from twconv_gui.core.account.profile_settings import ProfileSettings
from twconv_gui.core.api.credentials import Credentials, masked
from twconv_gui.core.errors import TwconvError

CREDENTIAL_FIELDS = ("consumer_key", "consumer_secret", "access_token", "access_token_secret")
SECRET_FIELDS = frozenset({"consumer_secret", "access_token_secret"})
STORED_SECRET = "•••••••• (kept in the system keyring)"  # noqa: S105 - a placeholder text


class CredentialsForm(QWidget):
    """Name, the four credentials, account, pixel, event and API settings of one profile.

    A stored profile's keys and tokens are never put into the fields: they stay in
    `stored` and the fields show them only as placeholders (masked key and token, nothing
    of the secrets). An empty field means "keep the stored value"; "Show" reveals a secret.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stored: Credentials | None = None
        self._events: dict[str, ConversionEvent] = {}
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("e.g. Acme US")
        self.edits: dict[str, QLineEdit] = {name: QLineEdit() for name in CREDENTIAL_FIELDS}
        self.show_buttons: dict[str, QToolButton] = {}
        self.account_combo = _editable_combo("e.g. 18ce54d4x5t")
        self.load_accounts_button = QPushButton("Load accounts")
        self.pixel_edit = QLineEdit()
        self.pixel_edit.setPlaceholderText("e.g. o8z6j")
        self.event_combo = _editable_combo("e.g. o87ne")
        self.load_events_button = QPushButton("Load events")
        self.api_base_edit = QLineEdit()
        self.api_version_edit = QLineEdit()
        self.sign_in_host_edit = QLineEdit()

        layout = QFormLayout(self)
        layout.addRow("Name", self.name_edit)
        labels = {
            "consumer_key": "Consumer key",
            "consumer_secret": "Consumer secret",
            "access_token": "Access token",
            "access_token_secret": "Access token secret",
        }
        for name in CREDENTIAL_FIELDS:
            edit = self.edits[name]
            if name in SECRET_FIELDS:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
                button = QToolButton()
                button.setText("Show")
                button.setCheckable(True)
                button.setToolTip("Show or hide the secret")
                button.toggled.connect(lambda on, field=name: self.reveal(field, on))
                self.show_buttons[name] = button
                layout.addRow(labels[name], _row(edit, button))
            else:
                layout.addRow(labels[name], edit)
        layout.addRow("Ad account", _row(self.account_combo, self.load_accounts_button))
        layout.addRow("Pixel id", self.pixel_edit)
        layout.addRow("Default event", _row(self.event_combo, self.load_events_button))
        layout.addRow("API base", self.api_base_edit)
        layout.addRow("API version", self.api_version_edit)
        layout.addRow("Sign-in host", self.sign_in_host_edit)
        self.event_combo.currentIndexChanged.connect(self._event_chosen)
        self.clear()

    # -- filling ------------------------------------------------------------------------------

    def clear(self) -> None:
        """An empty form for a new profile, with the default API settings."""
        self.show_profile("", ProfileSettings())
        self.name_edit.setFocus()

    def show_profile(self, name: str, settings: ProfileSettings) -> None:
        """Show a profile's name and settings; its secrets come later with `set_stored`."""
        self.name_edit.setText(name)
        self.set_stored(None)
        for edit in self.edits.values():
            edit.clear()
        _reset_combo(self.account_combo, settings.account_id)
        _reset_combo(self.event_combo, settings.event_id)
        self.pixel_edit.setText(settings.pixel_id)
        self.api_base_edit.setText(settings.api_base)
        self.api_version_edit.setText(settings.api_version)
        self.sign_in_host_edit.setText(settings.sign_in_host)

    def set_stored(self, credentials: Credentials | None, placeholder: str = "") -> None:
        """The stored profile's credentials, shown only as placeholders."""
        self.stored = credentials
        for name, edit in self.edits.items():
            if credentials is None:
                edit.setPlaceholderText(placeholder)
            elif name in SECRET_FIELDS:
                edit.setPlaceholderText(STORED_SECRET)
            else:
                edit.setPlaceholderText(f"{masked(getattr(credentials, name))} (stored)")
        for button in self.show_buttons.values():
            button.setChecked(False)

    def set_access_token(self, credentials: Credentials) -> None:
        """Fill the token pair after a PIN sign-in (the secret stays masked)."""
        self.edits["access_token"].setText(credentials.access_token)
        self.edits["access_token_secret"].setText(credentials.access_token_secret)

    def reveal(self, name: str, shown: bool) -> None:
        """Show or mask a secret field; showing puts the stored secret in only now."""
        edit = self.edits[name]
        stored = getattr(self.stored, name) if self.stored is not None else ""
        if shown:
            if not edit.text() and stored:
                edit.setText(stored)
            edit.setEchoMode(QLineEdit.EchoMode.Normal)
        else:
            if stored and edit.text() == stored:
                edit.clear()
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_buttons[name].setText("Hide" if shown else "Show")

    def set_accounts(self, accounts: list[AdAccount]) -> None:
        """Offer the listed accounts as "name (id)", keeping the current id chosen."""
        current = self.account_id()
        _fill_combo(self.account_combo, [(a.id, _label(a.name, a.id)) for a in accounts], current)

    def set_events(self, events: list[ConversionEvent]) -> None:
        """Offer the listed events as "name (id)", keeping the current id chosen."""
        current = self.event_id()
        self._events = {event.id: event for event in events}
        _fill_combo(self.event_combo, [(e.id, _label(e.name, e.id)) for e in events], current)
        self._event_chosen()

    # -- reading ------------------------------------------------------------------------------

    def name(self) -> str:
        return self.name_edit.text().strip()

    def value(self, name: str) -> str:
        """A credential: the field's text, or the stored value when the field is empty."""
        text = self.edits[name].text().strip()
        if not text and self.stored is not None:
            return str(getattr(self.stored, name))
        return text

    def consumer_pair(self) -> tuple[str, str]:
        """The consumer key and secret.

        Raises:
            TwconvError: When one is missing.
        """
        key, secret = self.value("consumer_key"), self.value("consumer_secret")
        if not key or not secret:
            raise TwconvError(
                "Type the consumer key (API key) and consumer secret (API key secret) of your "
                "X developer app first (developer portal → your app → Keys and tokens)."
            )
        return key, secret

    def credentials(self) -> Credentials:
        """The four credentials.

        Raises:
            TwconvError: When one is missing or malformed; the message names it.
        """
        return Credentials(*(self.value(name) for name in CREDENTIAL_FIELDS))

    def account_id(self) -> str:
        return _combo_id(self.account_combo)

    def event_id(self) -> str:
        return _combo_id(self.event_combo)

    def settings(self) -> ProfileSettings:
        """The profile's settings (an empty API field means its default).

        Raises:
            TwconvError: When a value is malformed; the message names the setting.
        """
        defaults = ProfileSettings()
        return ProfileSettings(
            account_id=self.account_id(),
            pixel_id=self.pixel_edit.text().strip(),
            event_id=self.event_id(),
            api_base=self.api_base_edit.text().strip() or defaults.api_base,
            api_version=self.api_version_edit.text().strip() or defaults.api_version,
            sign_in_host=self.sign_in_host_edit.text().strip() or defaults.sign_in_host,
        )

    def _event_chosen(self) -> None:
        # An event belongs to one pixel: fill it in when the user has not given one.
        event = self._events.get(self.event_id())
        if event is not None and event.pixel_id and not self.pixel_edit.text().strip():
            self.pixel_edit.setText(event.pixel_id)


def _editable_combo(placeholder: str) -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    line_edit = combo.lineEdit()
    if line_edit is not None:
        line_edit.setPlaceholderText(placeholder)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


def _row(main: QWidget, extra: QWidget) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(main, 1)
    layout.addWidget(extra)
    return row


def _label(name: str, item_id: str) -> str:
    return f"{name} ({item_id})" if name else item_id


def _reset_combo(combo: QComboBox, item_id: str) -> None:
    combo.clear()
    combo.setEditText(item_id)


def _fill_combo(combo: QComboBox, items: list[tuple[str, str]], current: str) -> None:
    combo.blockSignals(True)
    combo.clear()
    for item_id, text in items:
        combo.addItem(text, item_id)
    combo.blockSignals(False)
    index = combo.findData(current) if current else -1
    if index < 0 and current:
        combo.setCurrentIndex(-1)
        combo.setEditText(current)
    else:
        combo.setCurrentIndex(max(index, 0) if items else -1)


def _combo_id(combo: QComboBox) -> str:
    """The chosen item's id, or what the user typed (an id pasted by hand)."""
    index = combo.currentIndex()
    text = combo.currentText().strip()
    if index >= 0 and combo.itemText(index) == combo.currentText():
        return str(combo.itemData(index, Qt.ItemDataRole.UserRole))
    return text
