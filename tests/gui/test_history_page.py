"""The History step: past uploads from the journal with their counts, debug ids and reports."""

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QDesktopServices, QGuiApplication

from twconv_gui.core import paths
from twconv_gui.core.api.client import ApiClient, ApiSettings
from twconv_gui.core.api.credentials import Credentials
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.reading.opening import open_table
from twconv_gui.core.upload.engine import Upload
from twconv_gui.core.upload.journal import JobStatus, Journal
from twconv_gui.core.upload.model import UploadOptions
from twconv_gui.gui.history.page import (
    ACKNOWLEDGED,
    FILE,
    REJECTED,
    STATUS,
    HistoryPage,
    JobIdRole,
    JobsModel,
)
from twconv_gui.gui.upload.batch_model import DebugIdRole
from twconv_gui.sandbox import DEMO, SandboxServer

PROFILE = {
    "columns": {"conversion_id": "Order", "conversion_time": "Date", "email": "Email"},
    "constants": {"event_id": DEMO.events[0].id},
}
CREDENTIALS = Credentials(
    DEMO.consumer_key, DEMO.consumer_secret, DEMO.access_token, DEMO.access_token_secret
)


def write_export(path: Path, count: int, bad_rows=()) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Order", "Date", "Email"])
        for i in range(count):
            email = "not-an-email" if i in bad_rows else f"c{i}@x.org"
            writer.writerow([f"O-{i}", f"2026-11-{1 + i % 27:02d} 10:{i % 60:02d}", email])
    return path


def run_upload(server: SandboxServer, path: Path, *, cancel_after: int | None = None):
    """An upload through the core engine, as the upload page or the CLI would run it."""
    settings = ApiSettings(base_url=server.base_url)
    with Journal(paths.journal_path()) as journal:
        upload = Upload(
            open_table(path),
            MappingProfile.from_dict(PROFILE),
            UploadOptions(pixel_id=DEMO.pixel_id, batch_size=40, workers=1),
            client_factory=lambda: ApiClient(CREDENTIALS, settings),
            journal=journal,
            api_base=server.base_url,
        )
        for progress in upload.run():
            if cancel_after is not None and progress.batches_done >= cancel_after:
                upload.cancel.set()
        return upload.summary


@pytest.fixture
def sandbox():
    with SandboxServer() as server:
        yield server


@pytest.fixture
def page(qtbot, monkeypatch):
    pool = QThreadPool()
    widget = HistoryPage(pool)
    qtbot.addWidget(widget)
    widget.opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", widget.opened.append)
    yield widget
    pool.waitForDone(10_000)


def refresh(qtbot, page: HistoryPage) -> int:
    with qtbot.waitSignal(page.jobs_loaded, timeout=10_000) as loaded:
        page.refresh()
    return loaded.args[0]


def test_jobs_are_listed_with_counts_and_their_batch_debug_ids(
    page, qtbot, sandbox, tmp_path, qtmodeltester
):
    done = run_upload(sandbox, write_export(tmp_path / "orders.csv", 200, bad_rows={5}))
    sandbox.faults.slow(0.1, count=None)
    stopped = run_upload(sandbox, write_export(tmp_path / "refunds.csv", 400), cancel_after=1)
    assert refresh(qtbot, page) == 2
    model = page.jobs_model
    rows = {
        model.index(r, FILE).data(): (
            model.index(r, STATUS).data(),
            model.index(r, ACKNOWLEDGED).data(),
            model.index(r, REJECTED).data(),
        )
        for r in range(model.rowCount())
    }
    acknowledged = stopped.events_acknowledged
    assert rows == {
        # One row rejected before sending, every sendable one acknowledged: not partial.
        "orders.csv": ("completed", "199/199", 1),
        "refunds.csv": ("cancelled", f"{acknowledged}/{stopped.events_total}", 0),
    }
    assert model.index(0, 0).data(JobIdRole) == stopped.job.id  # newest first
    qtmodeltester.check(model)

    with qtbot.waitSignal(page.batches_loaded, timeout=10_000) as loaded:
        assert page.select_job(done.job.id)
    assert loaded.args == [done.job.id]
    batches = page.batch_model
    shown = [d for r in range(batches.rowCount()) for d in batches.index(r, 0).data(DebugIdRole)]
    orders_ids = [a.debug_id for a in sandbox.accepted[: len(shown)]]
    assert batches.rowCount() == 5
    assert shown == orders_ids  # the first upload's requests, in batch order
    qtmodeltester.check(batches)

    page.copy_action.trigger()
    assert QGuiApplication.clipboard().text().split("\n") == shown
    page.open_report_folder()
    [url] = page.opened
    assert Path(url.toLocalFile()) == done.reports[0].parent
    assert (Path(url.toLocalFile()) / "batches.csv").is_file()


def test_selection_survives_a_refresh_and_new_jobs_appear(page, qtbot, sandbox, tmp_path):
    first = run_upload(sandbox, write_export(tmp_path / "orders.csv", 80))
    refresh(qtbot, page)
    with qtbot.waitSignal(page.batches_loaded, timeout=10_000):
        page.select_job(first.job.id)
    second = run_upload(sandbox, write_export(tmp_path / "more.csv", 40))
    assert refresh(qtbot, page) == 2
    assert page.selected_job().id == first.job.id
    assert page.jobs_model.job(0).id == second.job.id
    assert page.jobs_model.job(0).status is JobStatus.COMPLETED


def test_an_empty_journal_says_so(page, qtbot, qtmodeltester):
    assert refresh(qtbot, page) == 0
    assert page.message_label.text() == "No uploads yet."
    assert not page.copy_action.isEnabled()
    assert not page.open_reports_action.isEnabled()
    qtmodeltester.check(page.jobs_model)
    qtmodeltester.check(JobsModel())


def test_an_unreadable_journal_is_a_message_not_a_crash(page, qtbot):
    paths.journal_path().write_bytes(b"this is not a database at all" * 100)
    with qtbot.waitSignal(page.load_failed, timeout=10_000) as failed:
        page.refresh()
    assert "journal" in failed.args[0].lower()
    assert page.message_label.text() == failed.args[0]
