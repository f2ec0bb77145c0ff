"""The main window: the four steps (Load, Map, Preview, Upload), History, and Sandbox mode."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from twconv_gui import APP_NAME
from twconv_gui.core.account.ad_accounts import list_events
from twconv_gui.core.account.profiles import ProfileStore, SignInProfile
from twconv_gui.core.errors import TwconvError
from twconv_gui.core.mapping.inspection import Inspection
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.reading.opening import SUPPORTED_EXTENSIONS
from twconv_gui.gui import settings as options
from twconv_gui.gui.credentials.dialog import CredentialsDialog
from twconv_gui.gui.history.page import HistoryPage
from twconv_gui.gui.load.page import LoadPage
from twconv_gui.gui.mapping.page import MapPage
from twconv_gui.gui.plain_text import literal, plain_label
from twconv_gui.gui.preview.page import PreviewPage
from twconv_gui.gui.sandbox_mode import SAMPLE_EXPORT, SAMPLE_MAPPING, SandboxMode, resource_path
from twconv_gui.gui.session import Connection, Session
from twconv_gui.gui.settings import Settings
from twconv_gui.gui.upload.page import UploadPage
from twconv_gui.gui.workers import FunctionWorker
from twconv_gui.sandbox import DEMO

FILE_FILTER = (
    "Spreadsheet exports ("
    + " ".join(f"*{ext}" for ext in SUPPORTED_EXTENSIONS)
    + ");;All files (*)"
)


def _event_choices(connection: Connection, *, cancel: object) -> list[tuple[str, str]]:
    """The account's conversion events as (id, "name (id)") for the pickers (worker thread)."""
    client = connection.client()
    try:
        events = list_events(client, connection.account_id)
    finally:
        client.close()
    return [(event.id, event.name) for event in events]


def _profile_connection(
    store: ProfileStore, profile: SignInProfile, *, cancel: object
) -> Connection:
    """A stored profile as a Connection (reads the keyring: worker thread)."""
    settings = profile.settings
    return Connection(
        label=profile.name,
        credentials=store.credentials(profile.name),
        settings=settings.api_settings(),
        pixel_id=settings.pixel_id,
        event_id=settings.event_id,
        account_id=settings.account_id,
    )


STEPS = ("1  Load", "2  Map", "3  Preview", "4  Upload", "History")
LOAD, MAP, PREVIEW, UPLOAD, HISTORY = range(5)


class MainWindow(QMainWindow):
    """The app's one window. Pages share a Session; the step list enables what is possible.

    Signals:
        file_loaded(object): the Inspection of a file just read.
        load_failed(str): the message shown for a file that could not be read.
    """

    file_loaded = Signal(object)
    load_failed = Signal(str)

    def __init__(self, pool: QThreadPool | None = None, settings: Settings | None = None) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)
        self.settings = settings or Settings()
        self.session = Session()
        self.sandbox = SandboxMode()
        pool = pool or QThreadPool.globalInstance()
        self._pool = pool
        self._jobs: set[FunctionWorker] = set()
        self.profiles = ProfileStore()

        self.load_page = LoadPage(self.session, pool)
        self.map_page = MapPage(self.session, settings=self.settings, pool=pool)
        self.preview_page = PreviewPage(self.session, pool)
        self.upload_page = UploadPage(self.session, pool)
        self.history_page = HistoryPage(pool)
        self.pages = QStackedWidget()
        for page in (
            self.load_page,
            self.map_page,
            self.preview_page,
            self.upload_page,
            self.history_page,
        ):
            self.pages.addWidget(page)
        self.steps = QListWidget()
        self.steps.setFixedWidth(150)
        self.steps.setIconSize(QSize(0, 0))
        for title in STEPS:
            self.steps.addItem(QListWidgetItem(title))
        self.steps.currentRowChanged.connect(self._show_step)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.steps)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.connection_label = plain_label()
        self.statusBar().addPermanentWidget(self.connection_label)
        self._build_menus()
        self._wire()
        self._update_steps()
        self._show_connection(None)
        self.steps.setCurrentRow(LOAD)
        geometry = self.settings.get(options.WINDOW_GEOMETRY)
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            self.resize(1200, 760)

    # -- construction -------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.open_action = self._action(
            "&Open export…", self._choose_file, QKeySequence.StandardKey.Open
        )
        file_menu.addAction(self.open_action)
        self.recent_menu = QMenu("Open &recent", self)
        file_menu.addMenu(self.recent_menu)
        self._fill_recent_menu()
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", self.close, QKeySequence.StandardKey.Quit))

        go_menu = self.menuBar().addMenu("&Go")
        for index, title in enumerate(STEPS):
            action = self._action(title.split("  ")[-1], lambda i=index: self.go_to(i))
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            go_menu.addAction(action)

        account_menu = self.menuBar().addMenu("&Account")
        self.sandbox_action = self._action(
            "&Sandbox mode (no account needed)", self._toggle_sandbox
        )
        self.sandbox_action.setCheckable(True)
        account_menu.addAction(self.sandbox_action)
        account_menu.addAction(self._action("Open the &sample export", self.open_sample))
        account_menu.addSeparator()
        credentials = self._action("&Credentials and profiles…", self.open_credentials)
        credentials.setShortcut(QKeySequence("Ctrl+K"))
        account_menu.addAction(credentials)

        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self._action("&About", self._about))

    def _action(self, text: str, slot: object, shortcut: object = None) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(slot)
        if shortcut is not None:
            action.setShortcut(shortcut)
        return action

    def _wire(self) -> None:
        self.load_page.open_requested.connect(self._choose_file)
        self.load_page.file_loaded.connect(self._loaded)
        self.load_page.load_failed.connect(self._load_failed)
        self.session.inspection_changed.connect(lambda _i: self._update_steps())
        self.session.profile_changed.connect(lambda _p: self._update_steps())
        self.session.connection_changed.connect(self._show_connection)
        self.upload_page.upload_finished.connect(lambda _summary: self.history_page.refresh())
        form = self.upload_page
        form.workers_spin.setValue(self.settings.get(options.UPLOAD_WORKERS))
        form.batch_spin.setValue(self.settings.get(options.UPLOAD_BATCH_SIZE))
        form.workers_spin.valueChanged.connect(
            lambda value: self.settings.set(options.UPLOAD_WORKERS, value)
        )
        form.batch_spin.valueChanged.connect(
            lambda value: self.settings.set(options.UPLOAD_BATCH_SIZE, value)
        )

    # -- public -------------------------------------------------------------------------------

    def open_file(self, path: str | Path) -> None:
        """Open an export (drag and drop, command line, recent files and tests call this)."""
        path = Path(path)
        self.settings.set(options.LAST_EXPORT_FOLDER, str(path.parent))
        self.settings.add_recent_file(str(path))
        self._fill_recent_menu()
        self.go_to(LOAD)
        self.statusBar().showMessage(f"Reading {path.name}…")
        self.load_page.open_file(path)

    def go_to(self, step: int) -> None:
        item = self.steps.item(step)
        if item.flags() & Qt.ItemFlag.ItemIsEnabled:
            self.steps.setCurrentRow(step)

    def start_sandbox(self, *, open_sample: bool = True) -> Connection:
        """Switch to Sandbox mode: demo keys, a local server, and (optionally) the sample."""
        connection = self.sandbox.start()
        self.session.set_connection(connection)
        self.sandbox_action.setChecked(True)
        self.map_page.set_event_choices(self.sandbox.event_choices())
        self.upload_page.set_event_choices(self.sandbox.event_choices())
        if open_sample:
            self.open_sample()
        return connection

    def open_credentials(self) -> CredentialsDialog:
        """The credentials dialog: profiles, PIN sign-in, connection test, pickers."""
        dialog = CredentialsDialog(self.session, self.profiles, parent=self)
        dialog.connection_chosen.connect(self._signed_in)
        dialog.open()
        return dialog

    def use_default_profile(self) -> bool:
        """Sign in with the default profile, if there is one (keyring read in a worker)."""
        try:
            profile = self.profiles.default()
        except TwconvError as exc:
            self.statusBar().showMessage(str(exc), 15000)
            return False
        if profile is None:
            return False
        worker = FunctionWorker(_profile_connection, self.profiles, profile)
        worker.signals.succeeded.connect(self.session.set_connection)
        worker.signals.succeeded.connect(self._signed_in)
        worker.signals.failed.connect(lambda message: self.statusBar().showMessage(message, 15000))
        self._jobs.add(worker)
        worker.signals.finished.connect(lambda: self._jobs.discard(worker))
        self._pool.start(worker)
        return True

    def _signed_in(self, connection: Connection) -> None:
        self.sandbox_action.setChecked(False)
        self.sandbox.stop()
        if connection.account_id:
            self._load_event_choices(connection)

    def _load_event_choices(self, connection: Connection) -> None:
        worker = FunctionWorker(_event_choices, connection)
        worker.signals.succeeded.connect(self._set_event_choices)
        self._jobs.add(worker)
        worker.signals.finished.connect(lambda: self._jobs.discard(worker))
        self._pool.start(worker)

    def _set_event_choices(self, choices: list[tuple[str, str]]) -> None:
        self.map_page.set_event_choices(choices)
        self.upload_page.set_event_choices(choices)

    def open_sample(self) -> None:
        """Open the bundled sample export with its mapping (the newcomer's first run)."""
        self._pending_mapping = resource_path(SAMPLE_MAPPING)
        self.open_file(resource_path(SAMPLE_EXPORT))

    # -- slots --------------------------------------------------------------------------------

    def _choose_file(self) -> None:
        folder = self.settings.get(options.LAST_EXPORT_FOLDER)
        path, _ = QFileDialog.getOpenFileName(self, "Open export", folder, FILE_FILTER)
        if path:
            self.open_file(path)

    def _loaded(self, inspection: Inspection) -> None:
        table = inspection.table
        mapped = len(inspection.suggestion.columns)
        self.statusBar().showMessage(
            f"{table.path.name}: {len(table.columns)} columns, {mapped} matched to conversion "
            "fields",
            8000,
        )
        pending = getattr(self, "_pending_mapping", None)
        self._pending_mapping = None
        if pending is not None:
            try:
                self.map_page.set_profile(MappingProfile.load(pending))
            except TwconvError as exc:
                QMessageBox.warning(self, "Mapping not applied", literal(str(exc)))
        self.file_loaded.emit(inspection)
        self.go_to(MAP)

    def _load_failed(self, message: str) -> None:
        # The Load page shows the message beside its sheet and header-row choosers, with the
        # file kept open: a dialog on top would only hide the way out.
        self.statusBar().showMessage("The file could not be read", 8000)
        self.load_failed.emit(message)

    def _show_step(self, step: int) -> None:
        self.pages.setCurrentIndex(step)  # the preview page prepares itself when shown stale
        if step == HISTORY:
            self.history_page.refresh()

    def _update_steps(self) -> None:
        has_file = self.session.inspection is not None
        has_profile = self.session.profile is not None
        for step, enabled in (
            (MAP, has_file),
            (PREVIEW, has_file and has_profile),
            (UPLOAD, has_file and has_profile),
        ):
            item = self.steps.item(step)
            flags = item.flags()
            if enabled:
                item.setFlags(flags | Qt.ItemFlag.ItemIsEnabled)
            else:
                item.setFlags(flags & ~Qt.ItemFlag.ItemIsEnabled)

    def _show_connection(self, connection: Connection | None) -> None:
        if connection is None:
            text = "Not signed in — Account › Sandbox mode to try without an account"
        elif connection.sandbox:
            text = (
                "SANDBOX — demo account; nothing leaves this computer. Demo pixel token: "
                f"{DEMO.pixel_token} (pixel {DEMO.pixel_id})"
            )
        else:
            text = f"Signed in: {connection.label}"
        self.connection_label.setText(text)
        self.setWindowTitle(
            f"{APP_NAME} — Sandbox" if connection and connection.sandbox else APP_NAME
        )

    def _toggle_sandbox(self, checked: bool) -> None:
        if checked:
            self.start_sandbox(open_sample=self.session.inspection is None)
        else:
            self.sandbox.stop()
            self.session.set_connection(None)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.settings.get(options.RECENT_FILES)
        for path in files:
            self.recent_menu.addAction(
                self._action(path, lambda _c=False, p=path: self.open_file(p))
            )
        self.recent_menu.setEnabled(bool(files))

    def _about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            "Send offline sales from spreadsheet exports to X Ads as conversions.\n\n"
            "Emails and phone numbers are hashed (SHA-256) on this computer; only the hashes "
            "are sent.",
        )

    # -- window events ------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.upload_page.is_running():
            answer = QMessageBox.question(
                self,
                "An upload is running",
                "Stop the upload and quit? What was acknowledged stays recorded; you can "
                "resume the rest later.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
            self.upload_page.cancel_and_wait(15_000)
        self.load_page.cancel()
        self.preview_page.cancel()
        self.settings.set(options.WINDOW_GEOMETRY, self.saveGeometry())
        self.sandbox.stop()
        event.accept()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        for url in event.mimeData().urls():
            if url.isLocalFile():
                self.open_file(url.toLocalFile())
                event.acceptProposedAction()
                return
