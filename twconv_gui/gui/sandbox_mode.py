"""Sandbox mode: the built-in stand-in for the X Ads API, its demo keys and a sample export."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from twconv_gui.core.api.client import ApiSettings
from twconv_gui.core.api.credentials import Credentials
from twconv_gui.gui.session import Connection
from twconv_gui.sandbox import DEMO, SandboxServer

SAMPLE_EXPORT = "sample_export.csv"
SAMPLE_MAPPING = "sample_mapping.json"


def resource_path(name: str) -> Path:
    """A file shipped in resources/ (a real path: the package is installed unpacked)."""
    return Path(str(resources.files("twconv_gui.resources") / name))


class SandboxMode:
    """Owns the local Sandbox server while the app is in Sandbox mode."""

    def __init__(self) -> None:
        self.server: SandboxServer | None = None

    @property
    def active(self) -> bool:
        return self.server is not None

    def start(self) -> Connection:
        """Start the Sandbox on a free loopback port; the Connection uploads go through."""
        if self.server is None:
            self.server = SandboxServer(port=0).start()
        return Connection(
            label="Sandbox",
            credentials=Credentials(
                DEMO.consumer_key,
                DEMO.consumer_secret,
                DEMO.access_token,
                DEMO.access_token_secret,
            ),
            settings=ApiSettings(base_url=self.server.base_url),
            pixel_id=DEMO.pixel_id,
            event_id=DEMO.events[0].id,
            account_id=DEMO.account_id,
            sandbox=True,
        )

    def event_choices(self) -> list[tuple[str, str]]:
        return [(event.id, event.name) for event in DEMO.events]

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None
