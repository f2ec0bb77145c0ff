"""The credentials dialog: sign-in profiles, PIN sign-in, connection test, account/event pickers."""

from __future__ import annotations

import logging

from PySide6.QtCore import QThreadPool, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from twconv_gui.core.account.access_check import ConnectionReport, Verdict
from twconv_gui.core.account.ad_accounts import AdAccount, ConversionEvent
from twconv_gui.core.account.credential_store import register_credentials
from twconv_gui.core.account.profile_settings import ProfileSettings
from twconv_gui.core.account.profiles import ProfileStore, SignInProfile
from twconv_gui.core.account.signin import PendingSignIn
from twconv_gui.core.api.credentials import Credentials
from twconv_gui.core.api.pixel_token import ApiCredentials
from twconv_gui.core.errors import TwconvError
from twconv_gui.gui.credentials import jobs
from twconv_gui.gui.credentials.form import CredentialsForm
from twconv_gui.gui.credentials.job_runner import JobRunner
from twconv_gui.gui.credentials.profile_list import NameRole, ProfileList
from twconv_gui.gui.credentials.prompts import ask_pin, ask_yes_no, wrapping_label
from twconv_gui.gui.credentials.sandbox_hint import sandbox_label
from twconv_gui.gui.session import Connection, Session

log = logging.getLogger(__name__)

_GREEN, _RED = "#1b7f2a", "#b3261e"
_READING = "reading the system keyring…"


class CredentialsDialog(QDialog):
    """Create, edit and choose sign-in profiles; every keyring and network call runs in a worker.

    Signals:
        connection_chosen(object): the Connection just given to the session ("Use this
            profile", or saving the default profile).
        profile_saved(object): the SignInProfile just saved.
        busy_changed(bool): True while a background job runs (the action buttons are off).
    """

    connection_chosen = Signal(object)
    profile_saved = Signal(object)
    busy_changed = Signal(bool)

    def __init__(
        self,
        session: Session,
        store: ProfileStore | None = None,
        pool: QThreadPool | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign-in profiles")
        self.setMinimumWidth(900)
        self.session = session
        self.store = store if store is not None else ProfileStore()
        self._jobs = JobRunner(pool if pool is not None else QThreadPool.globalInstance(), self)
        self._jobs.changed.connect(self._update_buttons)
        self._jobs.busy_changed.connect(self.busy_changed)
        self._jobs.failed.connect(self._failed)
        self._editing: str | None = None  # the stored profile shown in the form, if any
        self.last_report: ConnectionReport | None = None

        self.profile_list = ProfileList()
        self.new_button = QPushButton("New")
        self.delete_button = QPushButton("Delete…")
        self.default_button = QPushButton("Make default")
        self.form = CredentialsForm()
        self.sign_in_button = QPushButton("Sign in with PIN…")
        self.test_button = QPushButton("Test connection")
        self.save_button = QPushButton("Save")
        self.use_button = QPushButton("Use this profile")
        self.result_label = wrapping_label()
        self.status_label = wrapping_label()
        self.error_label = wrapping_label()
        self.error_label.setStyleSheet(f"color: {_RED};")
        self.sandbox_label = sandbox_label(session.connection)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        left = QVBoxLayout()
        left.addWidget(self.profile_list, 1)
        for button in (self.new_button, self.delete_button, self.default_button):
            left.addWidget(button)
        actions = QHBoxLayout()
        for button in (self.sign_in_button, self.test_button, self.save_button, self.use_button):
            actions.addWidget(button)
        right = QVBoxLayout()
        right.addWidget(self.sandbox_label)
        right.addWidget(self.form)
        right.addLayout(actions)
        for label in (self.result_label, self.status_label, self.error_label):
            right.addWidget(label)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(buttons)

        self._actions = [
            self.new_button,
            self.delete_button,
            self.default_button,
            self.sign_in_button,
            self.test_button,
            self.save_button,
            self.use_button,
            self.form.load_accounts_button,
            self.form.load_events_button,
            self.profile_list,
        ]
        self.new_button.clicked.connect(self.new_profile)
        self.delete_button.clicked.connect(self.delete_profile)
        self.default_button.clicked.connect(self.make_default)
        self.sign_in_button.clicked.connect(self.sign_in)
        self.test_button.clicked.connect(self.test)
        self.save_button.clicked.connect(self.save)
        self.use_button.clicked.connect(self._use_and_close)
        self.form.load_accounts_button.clicked.connect(self.load_accounts)
        self.form.load_events_button.clicked.connect(self.load_events)
        self.profile_list.currentItemChanged.connect(self._profile_selected)
        self.form.kind_changed.connect(self._kind_changed)
        self._kind_changed(self.form.kind())
        self.refresh_profiles()

    # -- overridable interaction (tests replace these) ----------------------------------------

    def ask_pin(self, url: str) -> str | None:
        """Ask the PIN the authorize page shows; None when the user cancels."""
        return ask_pin(self, url)

    def open_url(self, url: str) -> None:
        """Open the authorize page in the user's browser."""
        QDesktopServices.openUrl(QUrl(url))

    def confirm(self, question: str) -> bool:
        return ask_yes_no(self, question)

    def show_error(self, message: str) -> None:
        """Show a message a user can act on (the core's words) in the dialog."""
        self.error_label.setText(message)

    # -- state --------------------------------------------------------------------------------

    @Slot(str)
    def _kind_changed(self, kind: str) -> None:
        # PIN sign-in is a step of the OAuth way only.
        self.sign_in_button.setVisible(kind == "oauth")
        self.last_report = None
        self.result_label.clear()

    @property
    def busy(self) -> bool:
        return self._jobs.busy

    def refresh_profiles(self, select: str | None = None) -> None:
        """List the profiles (the settings file only: no keyring access) and select one."""
        try:
            profiles = self.store.profiles()
        except TwconvError as exc:
            self.show_error(str(exc))
            profiles = []
        wanted = select if select is not None else self._editing
        pick_default = select is None and self._editing is None
        self.profile_list.show_profiles(profiles, wanted, self._editing, pick_default)
        self._update_buttons()

    def select_profile(self, name: str) -> None:
        self.profile_list.select(name)

    def selected_name(self) -> str | None:
        return self.profile_list.selected_name()

    # -- profile list actions -----------------------------------------------------------------

    @Slot()
    def new_profile(self) -> None:
        self.profile_list.setCurrentRow(-1)
        self._editing = None
        self.form.clear()
        self._clear_messages()
        self._update_buttons()

    @Slot()
    def delete_profile(self) -> None:
        name = self.selected_name()
        if name is None or not self.confirm(
            f"Delete profile “{name}”? Its secrets are removed from the system keyring."
        ):
            return
        self._jobs.run(self._deleted, jobs.delete_profile, self.store, name)

    @Slot()
    def make_default(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        try:  # the settings file only, like listing
            self.store.set_default(name)
        except TwconvError as exc:
            self.show_error(str(exc))
            return
        self.refresh_profiles(select=name)
        self.status_label.setText(f"“{name}” is now the default profile.")

    @Slot(QListWidgetItem, QListWidgetItem)
    def _profile_selected(self, current: QListWidgetItem | None, _previous: object) -> None:
        self._clear_messages()
        if current is None:
            return
        name = str(current.data(NameRole))
        profile = self.store.find(name)
        if profile is None:
            return
        self._editing = profile.name
        self.form.show_profile(profile.name, profile.settings)
        self.form.set_stored(None, _READING)
        self._jobs.run(self._stored_loaded, jobs.read_credentials, self.store, profile.name)
        self._update_buttons()

    def _stored_loaded(self, result: tuple[str, ApiCredentials]) -> None:
        name, credentials = result
        if self._editing == name:
            self.form.set_stored(credentials)

    def _deleted(self, profile: SignInProfile) -> None:
        self._editing = None
        self.form.clear()
        self.refresh_profiles()
        self.status_label.setText(f"Profile “{profile.name}” deleted.")

    # -- form actions -------------------------------------------------------------------------

    @Slot()
    def sign_in(self) -> None:
        """PIN sign-in: request token → browser → PIN → the user's access token."""
        self._clear_messages()
        try:
            key, secret = self.form.consumer_pair()
            host = self.form.settings().sign_in_host
        except TwconvError as exc:
            self.show_error(str(exc))
            return
        self.status_label.setText("Asking X for a sign-in page…")
        self._jobs.run(self._ask_pin_for, jobs.start_signin, key, secret, host)

    def _ask_pin_for(self, pending: PendingSignIn) -> None:
        self.open_url(pending.authorize_url)
        self.status_label.setText("Authorize the app in the browser, then type the PIN.")
        pin = self.ask_pin(pending.authorize_url)
        if pin is None:
            self.status_label.setText("Sign-in cancelled.")
            return
        self.status_label.setText("Checking the PIN…")
        self._jobs.run(self._signed_in, jobs.finish_signin, pending, pin)

    def _signed_in(self, credentials: Credentials) -> None:
        self.form.set_access_token(credentials)
        self.status_label.setText(
            "Signed in: the access token and secret are filled in. Save to keep them."
        )

    @Slot()
    def test(self) -> None:
        self._clear_messages()
        collected = self._collect()
        if collected is None:
            return
        credentials, settings = collected
        self.result_label.setText("Testing the connection…")
        self.result_label.setStyleSheet("")
        self._jobs.run(
            self._tested,
            jobs.check_connection,
            credentials,
            settings.api_settings(),
            settings.account_id or None,
        )

    def _tested(self, report: ConnectionReport) -> None:
        self.last_report = report
        colors = {Verdict.WORKS: f"color: {_GREEN};", Verdict.CHECKED_WITH_FIRST_BATCH: ""}
        self.result_label.setStyleSheet(colors.get(report.verdict, f"color: {_RED};"))
        self.result_label.setText(report.message)

    @Slot()
    def load_accounts(self) -> None:
        self._clear_messages()
        collected = self._collect()
        if collected is not None:
            credentials, settings = collected
            self.status_label.setText("Loading the ad accounts…")
            self._jobs.run(
                self._accounts_loaded, jobs.load_accounts, credentials, settings.api_settings()
            )

    def _accounts_loaded(self, accounts: list[AdAccount]) -> None:
        self.form.set_accounts(accounts)
        self.status_label.setText(f"{len(accounts)} ad account(s) found.")

    @Slot()
    def load_events(self) -> None:
        self._clear_messages()
        collected = self._collect()
        if collected is None:
            return
        credentials, settings = collected
        if not settings.account_id:
            self.show_error("Choose an ad account first (Load accounts lists yours).")
            return
        self.status_label.setText("Loading the conversion events…")
        self._jobs.run(
            self._events_loaded,
            jobs.load_events,
            credentials,
            settings.api_settings(),
            settings.account_id,
        )

    def _events_loaded(self, events: list[ConversionEvent]) -> None:
        self.form.set_events(events)
        self.status_label.setText(f"{len(events)} conversion event(s) found.")

    @Slot()
    def save(self) -> None:
        self._clear_messages()
        collected = self._collect()
        if collected is None:
            return
        credentials, settings = collected
        name = self.form.name()
        self._jobs.run(
            self._saved, jobs.save_profile, self.store, self._editing, name, credentials, settings
        )

    def _saved(self, profile: SignInProfile) -> None:
        self._editing = profile.name
        self.form.name_edit.setText(profile.name)
        if profile.is_default:
            self.use_profile()
        self.refresh_profiles(select=profile.name)
        log.info("Sign-in profile %r saved", profile.name)
        self.status_label.setText(f"Profile “{profile.name}” saved in the system keyring.")
        self.profile_saved.emit(profile)

    def use_profile(self) -> Connection | None:
        """Give the form's profile to the session; None (and a message) when it is incomplete."""
        collected = self._collect()
        if collected is None:
            return None
        credentials, settings = collected
        connection = Connection(
            label=self.form.name() or "Unsaved profile",
            credentials=credentials,
            settings=settings.api_settings(),
            pixel_id=settings.pixel_id,
            event_id=settings.event_id,
            account_id=settings.account_id,
        )
        self.session.set_connection(connection)
        self.connection_chosen.emit(connection)
        self.status_label.setText(f"Uploads now use profile “{connection.label}”.")
        return connection

    @Slot()
    def _use_and_close(self) -> None:
        self._clear_messages()
        if self.use_profile() is not None:
            self.accept()

    def done(self, result: int) -> None:
        self._jobs.cancel_all()
        super().done(result)

    # -- helpers ------------------------------------------------------------------------------

    def _collect(self) -> tuple[ApiCredentials, ProfileSettings] | None:
        try:
            credentials = self.form.credentials()
            settings = self.form.settings()
        except TwconvError as exc:
            self.show_error(str(exc))
            return None
        register_credentials(credentials)  # masked in any log line from here on
        return credentials, settings

    def _clear_messages(self) -> None:
        self.error_label.clear()
        self.status_label.clear()

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.status_label.clear()
        if (
            self.form.stored is None
            and self.form.edits["consumer_key"].placeholderText() == _READING
        ):
            self.form.set_stored(None)  # the keyring could not be read: nothing to keep
        self.show_error(message)

    def _update_buttons(self) -> None:
        idle = not self._jobs.busy
        for widget in self._actions:
            widget.setEnabled(idle)
        selected = idle and self.selected_name() is not None
        self.delete_button.setEnabled(selected)
        self.default_button.setEnabled(selected)
