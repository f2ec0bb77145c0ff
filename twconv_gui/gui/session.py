"""What the window's pages share: the open file, the mapping, and where uploads go."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from twconv_gui.core.api.client import ApiClient, ApiSettings
from twconv_gui.core.api.pixel_token import ApiCredentials
from twconv_gui.core.mapping.inspection import Inspection
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.reading.table import Table


@dataclass(frozen=True)
class Connection:
    """Where uploads go and with which keys: the Sandbox, or a stored profile.

    Attributes:
        label: shown in the status bar ("Sandbox", "Acme US").
        credentials: the four OAuth 1.0a secrets or a pixel token (never shown, never logged).
        settings: API base URL and version.
        pixel_id: the profile's pixel, to pre-fill the upload page ("" when unknown).
        event_id: the profile's default event ("" when unknown).
        account_id: the ad account, for the event picker ("" when unknown).
        sandbox: True for the built-in Sandbox.
    """

    label: str
    credentials: ApiCredentials
    settings: ApiSettings
    pixel_id: str = ""
    event_id: str = ""
    account_id: str = ""
    sandbox: bool = False

    def client(self) -> ApiClient:
        """A new API client; call it in the thread that will use it."""
        return ApiClient(self.credentials, self.settings)


class Session(QObject):
    """The state the pages share; each change is announced so every page can follow.

    Signals:
        inspection_changed(object): a file was loaded (an Inspection) or closed (None).
        profile_changed(object): the mapping changed (a valid MappingProfile) or is invalid
            (None).
        connection_changed(object): a Connection, or None when not signed in.
    """

    inspection_changed = Signal(object)
    profile_changed = Signal(object)
    connection_changed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.inspection: Inspection | None = None
        self.profile: MappingProfile | None = None
        self.connection: Connection | None = None

    @property
    def table(self) -> Table | None:
        return self.inspection.table if self.inspection else None

    def set_inspection(self, inspection: Inspection | None) -> None:
        self.inspection = inspection
        self.inspection_changed.emit(inspection)

    def set_profile(self, profile: MappingProfile | None) -> None:
        self.profile = profile
        self.profile_changed.emit(profile)

    def set_connection(self, connection: Connection | None) -> None:
        self.connection = connection
        self.connection_changed.emit(connection)
