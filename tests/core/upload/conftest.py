"""An export, a mapping, a sandbox and a journal: everything an upload test needs."""

import csv
from collections.abc import Iterator

import pytest

from twconv_gui.core import paths
from twconv_gui.core.api.client import ApiClient, ApiSettings
from twconv_gui.core.api.credentials import Credentials
from twconv_gui.core.api.throttle import Backoff
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.reading.opening import open_table
from twconv_gui.core.upload.engine import Upload
from twconv_gui.core.upload.journal import Journal
from twconv_gui.core.upload.model import UploadOptions
from twconv_gui.sandbox import DEMO, SandboxServer

PROFILE = {
    "columns": {"conversion_id": "Order", "conversion_time": "Date", "email": "Email"},
    "constants": {"event_id": DEMO.events[0].id},
}
FAST_RETRIES = Backoff(base=0.05, factor=2.0, cap=0.2, attempts=4)


def write_export(path, count: int, *, bad_rows=()):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Order", "Date", "Email"])
        for i in range(count):
            email = "not-an-email" if i in bad_rows else f"customer{i}@example.com"
            writer.writerow([f"O-{i}", f"2026-11-{1 + i % 27:02d} 10:{i % 60:02d}", email])
    return path


@pytest.fixture
def export(tmp_path):
    return lambda count=1200, **kw: write_export(tmp_path / "orders.csv", count, **kw)


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer() as server:
        yield server


@pytest.fixture
def journal() -> Iterator[Journal]:
    with Journal(paths.journal_path()) as opened:
        yield opened


@pytest.fixture
def uploader(sandbox, journal):
    """Builds an Upload against the sandbox; pass consumer_secret=... to sign wrongly."""

    def make(path, *, consumer_secret=DEMO.consumer_secret, profile=None, **options):
        credentials = Credentials(
            DEMO.consumer_key, consumer_secret, DEMO.access_token, DEMO.access_token_secret
        )
        settings = ApiSettings(base_url=sandbox.base_url)
        options.setdefault("backoff", FAST_RETRIES)
        options.setdefault("batch_size", 100)
        return Upload(
            open_table(path),
            MappingProfile.from_dict(profile or PROFILE),
            UploadOptions(pixel_id=DEMO.pixel_id, **options),
            client_factory=lambda: ApiClient(credentials, settings),
            journal=journal,
            api_base=sandbox.base_url,
        )

    return make
