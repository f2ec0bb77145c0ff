"""The whole flow a newcomer follows in the window: load, map, preview, upload to the Sandbox."""

import csv
import hashlib

import pytest
from PySide6.QtWidgets import QMessageBox

from twconv_gui.core import paths
from twconv_gui.core.api.client import ApiSettings
from twconv_gui.core.api.credentials import Credentials
from twconv_gui.core.upload.journal import JobStatus, Journal
from twconv_gui.gui.main_window import MAP, PREVIEW, UPLOAD, MainWindow
from twconv_gui.gui.preview.model import EventRole, ProblemRole
from twconv_gui.gui.sandbox_mode import SAMPLE_EXPORT, resource_path
from twconv_gui.gui.session import Connection
from twconv_gui.gui.upload.page import Choice
from twconv_gui.sandbox import DEMO

# The offscreen platform warns that it cannot resize a shown window to its hints: harmless.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def window(qtbot, monkeypatch):
    monkeypatch.setattr(QMessageBox, "warning", lambda *_args: None)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    yield win
    if win.upload_page.is_running():
        win.upload_page.cancel_and_wait(10_000)
    win.sandbox.stop()


def sandbox_file_mapped(window, qtbot, path=None):
    """Sandbox mode, a file, the suggested mapping plus one manual change (the event id)."""
    window.start_sandbox(open_sample=False)
    with qtbot.waitSignal(window.file_loaded, timeout=10_000):
        window.open_file(path or resource_path(SAMPLE_EXPORT))
    assert window.steps.currentRow() == MAP
    assert window.map_page.source_combo("email").currentText() == "Customer Email" or path
    window.map_page.set_constant("event_id", DEMO.events[0].id)  # the manual change
    window.map_page.apply_now()
    qtbot.waitUntil(lambda: window.session.profile is not None, timeout=5_000)


def test_load_map_preview_upload_with_every_debug_id_in_the_table(window, qtbot):
    sandbox_file_mapped(window, qtbot)
    assert window.session.profile.columns["email"] == "Customer Email"  # from the suggestion
    with qtbot.waitSignal(window.preview_page.prepared, timeout=20_000) as prepared:
        window.go_to(PREVIEW)
    result = prepared.args[0]
    # The suggestion assumes no phone country: the row whose only identifier is a national
    # number is not guessed into the US (the Map step says to pick a country or a region).
    assert (result.summary.rows_read, result.summary.rows_rejected) == (40, 4)
    model = window.preview_page.model
    events = [model.index(r, 0).data(EventRole) for r in range(model.rowCount())]
    with resource_path(SAMPLE_EXPORT).open(encoding="utf-8") as handle:
        first = next(iter(csv.DictReader(handle)))
    expected = hashlib.sha256(first["Customer Email"].strip().lower().encode()).hexdigest()
    assert {"hashed_email": expected} in events[0]["identifiers"]
    rejected = [
        model.index(r, 0).data(ProblemRole)
        for r in range(model.rowCount())
        if model.index(r, 0).data(EventRole) is None
    ]
    assert len(rejected) == 4
    assert any("is not an email address" in p.message for problems in rejected for p in problems)
    assert any("no country is known" in p.message for problems in rejected for p in problems)

    window.go_to(UPLOAD)
    page = window.upload_page
    page.batch_spin.setValue(10)
    with qtbot.waitSignal(page.upload_finished, timeout=30_000) as finished:
        page.start()
    summary = finished.args[0]
    assert summary.events_acknowledged == 36  # 40 rows, 4 not sendable
    server = window.sandbox.server
    shown = set(page.batch_model.debug_ids())
    assert shown == {batch.debug_id for batch in server.accepted}
    assert len(shown) == 4


def test_cancel_mid_upload_then_resume_from_the_window(window, qtbot, tmp_path):
    path = tmp_path / "orders.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Order ID", "Order Date", "Email"])
        for i in range(400):
            writer.writerow([f"A-{i}", f"2026-11-{1 + i % 27:02d} 12:00", f"p{i}@example.com"])
    sandbox_file_mapped(window, qtbot, path)
    server = window.sandbox.server
    server.faults.slow(0.1, count=None)
    window.go_to(UPLOAD)
    page = window.upload_page
    page.batch_spin.setValue(20)
    page.workers_spin.setValue(2)
    page.start()
    qtbot.waitUntil(lambda: page.batch_model.rowCount() >= 3, timeout=20_000)
    with qtbot.waitSignal(page.upload_finished, timeout=20_000) as cancelled:
        page.cancel()
    assert cancelled.args[0].cancelled
    server.faults.clear()
    page.ask = lambda *_args: Choice.RESUME
    with qtbot.waitSignal(page.upload_finished, timeout=30_000) as resumed:
        page.start()
    assert resumed.args[0].events_acknowledged == 400
    ids = [c["conversion_id"] for c in server.accepted_conversions()]
    assert sorted(set(ids)) == sorted(f"A-{i}" for i in range(400))
    assert len(ids) == len(set(ids))  # nothing acknowledged was sent twice


def test_a_401_is_one_clear_message(window, qtbot):
    sandbox_file_mapped(window, qtbot)
    good = window.session.connection
    window.session.set_connection(
        Connection(
            label="Wrong keys",
            credentials=Credentials(
                DEMO.consumer_key, "not-the-secret", DEMO.access_token, DEMO.access_token_secret
            ),
            settings=ApiSettings(base_url=good.settings.base_url),
            pixel_id=DEMO.pixel_id,
        )
    )
    assert "Wrong keys" in window.connection_label.text()
    window.go_to(UPLOAD)
    page = window.upload_page
    with qtbot.waitSignal(page.upload_finished, timeout=20_000) as finished:
        page.start()
    assert "refused the credentials" in finished.args[0].stopped
    assert "refused the credentials" in page.summary_label.text()
    assert "not-the-secret" not in page.summary_label.text()


def test_closing_during_an_upload_asks_then_cancels_cleanly(window, qtbot, monkeypatch):
    sandbox_file_mapped(window, qtbot)
    window.sandbox.server.faults.slow(0.2, count=None)
    window.go_to(UPLOAD)
    page = window.upload_page
    page.batch_spin.setValue(5)
    page.workers_spin.setValue(1)
    page.start()
    qtbot.waitUntil(lambda: page.batch_model.rowCount() >= 1, timeout=20_000)
    asked: list[str] = []

    def answer(_parent, title, _text):
        asked.append(title)
        return QMessageBox.StandardButton.No if len(asked) == 1 else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    assert not window.close()  # "No": the window stays and the upload goes on
    assert page.is_running()
    assert window.close()  # "Yes": cancelled cleanly, then closed
    assert asked == ["An upload is running", "An upload is running"]
    assert not page.is_running()
    with Journal(paths.journal_path()) as journal:
        [job] = journal.jobs()
    assert job.status is JobStatus.CANCELLED
