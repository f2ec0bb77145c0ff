"""The form of one sign-in profile: the choice of the two ways in, then only that way's fields."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from twconv_gui.core.account.ad_accounts import AdAccount, ConversionEvent
from twconv_gui.core.account.profile_settings import ProfileSettings
from twconv_gui.core.api.credentials import Credentials
from twconv_gui.core.api.pixel_token import ApiCredentials, PixelToken
from twconv_gui.core.errors import TwconvError
from twconv_gui.gui.credentials import widgets
from twconv_gui.gui.credentials.widgets import hint_label, set_problem, with_hint

CREDENTIAL_FIELDS = ("consumer_key", "consumer_secret", "access_token", "access_token_secret")
SECRET_FIELDS = frozenset({"consumer_secret", "access_token_secret", "pixel_token"})
STORED_SECRET = "•••••••• (kept in the system keyring)"  # noqa: S105 - a placeholder text
STORED_KEY = "(kept in the system keyring)"
PIXEL_TOKEN, OAUTH = "pixel_token", "oauth"
FIND_IN_EVENTS_MANAGER = (
    "In X Ads, open Events Manager, choose your pixel, then Install pixel → Manual → "
    "Conversion API → Generate access token. Paste the token here: it is kept in the system "
    "keyring and can only send sales to that one pixel."
)
OAUTH_WHAT = (
    "The keys of an X developer app with Ads API access (developer portal → your app → Keys "
    "and tokens). With them, Load accounts and Load events list yours."
)
_HINTS = {
    "pixel_token": "Shown once by Events Manager; generate a new one if it is lost.",
    "consumer_key": "The app's “API key”.",
    "consumer_secret": "The app's “API key secret”.",
    "access_token": "Filled in by “Sign in with PIN…”, or pasted.",
    "access_token_secret": "Comes with the access token.",
}
_LABELS = {
    "pixel_token": "Pixel token",
    "consumer_key": "Consumer key",
    "consumer_secret": "Consumer secret",
    "access_token": "Access token",
    "access_token_secret": "Access token secret",
}
PIXEL_HINT = "The pixel's id in Events Manager, e.g. o8z6j (letters and digits)."
EVENT_HINT = "The event's id in Events Manager, e.g. o87ne or tw-o8z6j-o87ne."
_BASE36 = re.compile(r"[0-9a-z]+")
_TW_EVENT = re.compile(r"tw-([0-9a-z]+)-[0-9a-z]+")


class CredentialsForm(QWidget):
    """Name, the way in (pixel token or OAuth keys) with only its fields, pixel, event, and the
    API settings under "Advanced".

    A stored profile's secrets are never put into the fields: they stay in `stored` and the
    fields say only that they are kept in the keyring (not one character of them). An empty
    field means "keep the stored value"; "Show" reveals a secret.

    Signals:
        kind_changed(str): the user chose the other way in (`pixel_token` or `oauth`).
    """

    kind_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stored: ApiCredentials | None = None
        self._events: dict[str, ConversionEvent] = {}
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("e.g. Acme US")
        self.token_radio = QRadioButton("Pixel token — the simple way, no developer app")
        self.oauth_radio = QRadioButton("Developer app keys (OAuth) — the full way")
        self._kinds = QButtonGroup(self)
        self._kinds.addButton(self.token_radio)
        self._kinds.addButton(self.oauth_radio)
        names = ("pixel_token", *CREDENTIAL_FIELDS)
        self.edits: dict[str, QLineEdit] = {name: QLineEdit() for name in names}
        self.hints = {name: hint_label(_HINTS[name]) for name in names}
        self.show_buttons: dict[str, QToolButton] = {}
        self.account_combo = widgets.editable_combo("e.g. 18ce54d4x5t")
        self.load_accounts_button = QPushButton("Load accounts")
        self.pixel_edit = QLineEdit()
        self.pixel_edit.setPlaceholderText("e.g. o8z6j")
        self.pixel_hint = hint_label(PIXEL_HINT)
        self.event_combo = widgets.editable_combo("e.g. o87ne")
        self.event_hint = hint_label(EVENT_HINT)
        self.load_events_button = QPushButton("Load events")
        self.api_base_edit = QLineEdit()
        self.api_version_edit = QLineEdit()
        self.sign_in_host_edit = QLineEdit()
        self.advanced_button = QToolButton()
        self.advanced_button.setText("Advanced: API host and version")
        self.advanced_button.setCheckable(True)
        self.advanced_button.setAutoRaise(True)
        self.advanced_button.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_box = QGroupBox()

        top = QFormLayout()
        top.addRow("Name", self.name_edit)
        kinds = QVBoxLayout()
        kinds.addWidget(self.token_radio)
        kinds.addWidget(self.oauth_radio)
        top.addRow("Sign in with", kinds)

        self.token_box = QGroupBox("Pixel token")
        token_form = QFormLayout(self.token_box)
        token_form.addRow(hint_label(FIND_IN_EVENTS_MANAGER))
        token_form.addRow(_LABELS["pixel_token"], self._secret_field("pixel_token"))

        self.oauth_box = QGroupBox("Developer app keys")
        oauth_form = QFormLayout(self.oauth_box)
        oauth_form.addRow(hint_label(OAUTH_WHAT))
        for name in CREDENTIAL_FIELDS:
            if name in SECRET_FIELDS:
                oauth_form.addRow(_LABELS[name], self._secret_field(name))
            else:
                oauth_form.addRow(_LABELS[name], with_hint(self.edits[name], self.hints[name]))
        oauth_form.addRow("Ad account", widgets.row(self.account_combo, self.load_accounts_button))

        target = QFormLayout()
        target.addRow("Pixel id", with_hint(self.pixel_edit, self.pixel_hint))
        self.event_row = widgets.row(self.event_combo, self.load_events_button)
        target.addRow("Default event", with_hint(self.event_row, self.event_hint))

        advanced = QFormLayout(self.advanced_box)
        advanced.addRow("API base", self.api_base_edit)
        advanced.addRow("API version", self.api_version_edit)
        advanced.addRow("Sign-in host", self.sign_in_host_edit)
        self.advanced_box.setVisible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.token_box)
        layout.addWidget(self.oauth_box)
        layout.addLayout(target)
        layout.addWidget(self.advanced_button)
        layout.addWidget(self.advanced_box)

        self.advanced_button.toggled.connect(self._show_advanced)
        self.token_radio.toggled.connect(self._kind_toggled)
        self.event_combo.currentIndexChanged.connect(self._event_chosen)
        self.pixel_edit.textChanged.connect(self.check_ids)
        self.event_combo.editTextChanged.connect(self.check_ids)
        self.clear()

    def _show_advanced(self, shown: bool) -> None:
        self.advanced_box.setVisible(shown)
        arrow = Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        self.advanced_button.setArrowType(arrow)

    def _secret_field(self, name: str) -> QWidget:
        edit = self.edits[name]
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        button = QToolButton()
        button.setText("Show")
        button.setCheckable(True)
        button.setToolTip("Show or hide the secret")
        button.toggled.connect(lambda on, field=name: self.reveal(field, on))
        self.show_buttons[name] = button
        return with_hint(widgets.row(edit, button), self.hints[name])

    # -- the way in ---------------------------------------------------------------------------

    def kind(self) -> str:
        """`pixel_token` or `oauth`: the way in the user chose."""
        return PIXEL_TOKEN if self.token_radio.isChecked() else OAUTH

    def choose_kind(self, kind: str) -> None:
        """Show the fields of one way in (`pixel_token` or `oauth`) and hide the other's."""
        (self.token_radio if kind == PIXEL_TOKEN else self.oauth_radio).setChecked(True)
        self._show_kind()

    def _kind_toggled(self, _checked: bool) -> None:
        self._show_kind()
        self.kind_changed.emit(self.kind())

    def _show_kind(self) -> None:
        token = self.kind() == PIXEL_TOKEN
        self.token_box.setVisible(token)
        self.oauth_box.setVisible(not token)
        self.load_events_button.setVisible(not token)
        self.sign_in_host_edit.setEnabled(not token)
        self.check_ids()

    # -- filling ------------------------------------------------------------------------------

    def clear(self) -> None:
        """An empty form for a new profile (a pixel token first), with the default API settings."""
        self.show_profile("", ProfileSettings())
        self.choose_kind(PIXEL_TOKEN)
        self.name_edit.setFocus()

    def show_profile(self, name: str, settings: ProfileSettings) -> None:
        """Show a profile's name and settings; its secrets come later with `set_stored`."""
        self.name_edit.setText(name)
        self.set_stored(None)
        for edit in self.edits.values():
            edit.clear()
        widgets.reset_combo(self.account_combo, settings.account_id)
        widgets.reset_combo(self.event_combo, settings.event_id)
        self.pixel_edit.setText(settings.pixel_id)
        self.api_base_edit.setText(settings.api_base)
        self.api_version_edit.setText(settings.api_version)
        self.sign_in_host_edit.setText(settings.sign_in_host)
        self.choose_kind(settings.kind)

    def set_stored(self, credentials: ApiCredentials | None, placeholder: str = "") -> None:
        """The stored profile's secrets: kept aside, the fields only say they are stored."""
        self.stored = credentials
        for name, edit in self.edits.items():
            if credentials is None or not self._stored_value(name):
                edit.setPlaceholderText(placeholder if credentials is None else "")
            else:
                edit.setPlaceholderText(STORED_SECRET if name in SECRET_FIELDS else STORED_KEY)
        for button in self.show_buttons.values():
            button.setChecked(False)

    def set_access_token(self, credentials: Credentials) -> None:
        """Fill the token pair after a PIN sign-in (the secret stays masked)."""
        self.edits["access_token"].setText(credentials.access_token)
        self.edits["access_token_secret"].setText(credentials.access_token_secret)

    def reveal(self, name: str, shown: bool) -> None:
        """Show or mask a secret field; showing puts the stored secret in only now."""
        edit = self.edits[name]
        stored = self._stored_value(name)
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
        items = [(a.id, widgets.item_label(a.name, a.id)) for a in accounts]
        widgets.fill_combo(self.account_combo, items, current)

    def set_events(self, events: list[ConversionEvent]) -> None:
        """Offer the listed events as "name (id)", keeping the current id chosen."""
        current = self.event_id()
        self._events = {event.id: event for event in events}
        items = [(e.id, widgets.item_label(e.name, e.id)) for e in events]
        widgets.fill_combo(self.event_combo, items, current)
        self._event_chosen()

    # -- reading ------------------------------------------------------------------------------

    def name(self) -> str:
        return self.name_edit.text().strip()

    def value(self, name: str) -> str:
        """A secret: the field's text, or the stored value when the field is empty."""
        return self.edits[name].text().strip() or self._stored_value(name)

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

    def credentials(self) -> ApiCredentials:
        """The pixel token, or the four OAuth credentials, as the chosen way in needs.

        Raises:
            TwconvError: When one is missing or malformed; the message names it.
        """
        if self.kind() == PIXEL_TOKEN:
            return PixelToken(self.value("pixel_token"))
        return Credentials(*(self.value(name) for name in CREDENTIAL_FIELDS))

    def account_id(self) -> str:
        return widgets.combo_id(self.account_combo)

    def event_id(self) -> str:
        return widgets.combo_id(self.event_combo)

    def settings(self) -> ProfileSettings:
        """The profile's settings (an empty API field means its default).

        Raises:
            TwconvError: When a value is malformed; the message names the setting.
        """
        defaults = ProfileSettings()
        token = self.kind() == PIXEL_TOKEN
        return ProfileSettings(
            kind=self.kind(),
            account_id="" if token else self.account_id(),
            pixel_id=self.pixel_edit.text().strip(),
            event_id=self.event_id(),
            api_base=self.api_base_edit.text().strip() or defaults.api_base,
            api_version=self.api_version_edit.text().strip() or defaults.api_version,
            sign_in_host=self.sign_in_host_edit.text().strip() or defaults.sign_in_host,
        )

    def check_ids(self) -> bool:
        """Check the pixel id and the event id as they are typed; True when both are usable.

        A problem shows in red under its field at once (base-36 ids; a tw- event id must name
        this pixel). A missing pixel id is said on saving.
        """
        pixel = self.pixel_edit.text().strip()
        event = self.event_id()
        pixel_problem = event_problem = ""
        if pixel and not _BASE36.fullmatch(pixel):
            pixel_problem = (
                "A pixel id has lowercase letters and digits only (e.g. o8z6j): copy it from "
                "Events Manager."
            )
        if event and not _BASE36.fullmatch(event):
            match = _TW_EVENT.fullmatch(event)
            if match is None:
                event_problem = (
                    "Not an event id: use the base-36 id (e.g. o87ne) or tw-pixel-event "
                    "(e.g. tw-o8z6j-o87ne), as Events Manager shows it."
                )
            elif pixel and match[1] != pixel:
                event_problem = f"This event names pixel {match[1]}, not pixel {pixel}."
        set_problem(self.pixel_hint, PIXEL_HINT, pixel_problem)
        set_problem(self.event_hint, EVENT_HINT, event_problem)
        return not (pixel_problem or event_problem)

    def _stored_value(self, name: str) -> str:
        if isinstance(self.stored, PixelToken):
            return self.stored.token if name == "pixel_token" else ""
        return str(getattr(self.stored, name, "") or "")

    def _event_chosen(self) -> None:
        # An event belongs to one pixel: fill it in when the user has not given one.
        event = self._events.get(self.event_id())
        if event is not None and event.pixel_id and not self.pixel_edit.text().strip():
            self.pixel_edit.setText(event.pixel_id)
