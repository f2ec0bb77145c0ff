"""The Upload step against the Sandbox on 127.0.0.1: what a user sees while sending a file."""

import csv
import time
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QLabel

from twconv_gui.core import paths
from twconv_gui.core.api.client import ApiSettings
from twconv_gui.core.api.credentials import Credentials
from twconv_gui.core.mapping.inspection import inspect_file
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.upload.journal import BatchStatus, JobStatus, Journal
from twconv_gui.core.upload.model import BatchResult, UploadOptions
from twconv_gui.gui.session import Connection, Session
from twconv_gui.gui.upload.batch_model import (
    DEBUG_ID,
    STATUS,
    BatchTableModel,
    DebugIdRole,
    StatusRole,
)
from twconv_gui.gui.upload.page import Choice, UploadPage
from twconv_gui.gui.upload.worker import Conflict, UploadWorker
from twconv_gui.sandbox import DEMO, SandboxServer

ROWS = 300
BATCH = 25  # 12 batches
PROFILE = {
    "columns": {"conversion_id": "Order", "conversion_time": "Date", "email": "Email"},
    "constants": {"event_id": DEMO.events[0].id},
}


def write_export(path: Path, count: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Order", "Date", "Email"])
        for i in range(count):
            writer.writerow([f"O-{i}", f"2026-11-{1 + i % 27:02d} 10:{i % 60:02d}", f"c{i}@x.org"])
    return path


def sandbox_connection(server: SandboxServer, secret: str = DEMO.consumer_secret) -> Connection:
    return Connection(
        label="Sandbox",
        credentials=Credentials(
            DEMO.consumer_key, secret, DEMO.access_token, DEMO.access_token_secret
        ),
        settings=ApiSettings(base_url=server.base_url),
        pixel_id=DEMO.pixel_id,
        sandbox=True,
    )


def sent_ids(server: SandboxServer) -> Counter:
    return Counter(c["conversion_id"] for c in server.accepted_conversions())


def visible_text(page: UploadPage) -> str:
    return "\n".join(label.text() for label in page.findChildren(QLabel) if not label.isHidden())


@pytest.fixture
def sandbox():
    with SandboxServer() as server:
        yield server


@pytest.fixture
def session(qapp, tmp_path, sandbox):
    opened = Session()
    opened.set_inspection(inspect_file(write_export(tmp_path / "orders.csv", ROWS)))
    opened.set_profile(MappingProfile.from_dict(PROFILE))
    opened.set_connection(sandbox_connection(sandbox))
    return opened


@pytest.fixture
def page(qtbot, session, monkeypatch):
    pool = QThreadPool()
    widget = UploadPage(session, pool)
    qtbot.addWidget(widget)
    widget.batch_spin.setValue(BATCH)
    widget.workers_spin.setValue(2)
    # Recorders hold lists, never the widget: a reference cycle would leave the widget to the
    # cyclic garbage collector, which may run in any thread and must not delete a widget there.
    widget.asked, widget.notified, widget.opened = [], [], []
    notified = widget.notified
    widget.notify = lambda title, message: notified.append((title, message))
    monkeypatch.setattr(QDesktopServices, "openUrl", widget.opened.append)
    yield widget
    assert widget.cancel_and_wait(10_000)
    pool.waitForDone(10_000)


def answer(page: UploadPage, choice: Choice) -> None:
    """Stand in for the user in the journal's question before an upload."""
    asked = page.asked

    def ask(conflict, job, message):
        asked.append((conflict, job.id, message))
        return choice

    page.ask = ask


def upload(qtbot, page: UploadPage, **start) -> object:
    with qtbot.waitSignal(page.upload_finished, timeout=20_000) as finished:
        page.start(**start)
    qtbot.waitUntil(lambda: not page.is_running(), timeout=5_000)
    return finished.args[0]


def shown_debug_ids(page: UploadPage) -> list[str]:
    model = page.batch_model
    return [d for row in range(model.rowCount()) for d in model.index(row, 0).data(DebugIdRole)]


def test_every_batch_debug_id_appears_in_the_table(page, qtbot, sandbox, qtmodeltester):
    assert page.pixel_edit.text() == DEMO.pixel_id  # from the connection
    with qtbot.waitSignal(page.upload_started, timeout=10_000):
        summary = upload(qtbot, page)
    model = page.batch_model
    assert model.rowCount() == ROWS // BATCH
    assert sorted(shown_debug_ids(page)) == sorted(a.debug_id for a in sandbox.accepted)
    assert {model.index(r, STATUS).data() for r in range(model.rowCount())} == {"acknowledged"}
    assert sent_ids(sandbox) == Counter({f"O-{i}": 1 for i in range(ROWS)})
    assert summary.events_acknowledged == ROWS
    text = visible_text(page)
    assert f"Acknowledged by X: {ROWS} of {ROWS} conversions in 12 batches" in text
    assert "batches.csv" in text
    assert page.progress_bar.value() == page.progress_bar.maximum()
    assert page.notified == []  # a short upload does not notify
    assert page.start_button.isEnabled()
    assert not page.cancel_button.isEnabled()
    assert not page.pause_button.isEnabled()
    qtmodeltester.check(model)

    page.batch_view.selectRow(3)
    page.copy_action.trigger()
    assert QGuiApplication.clipboard().text() == model.index(3, DEBUG_ID).data()
    page.open_report_folder()
    [url] = page.opened
    assert (Path(url.toLocalFile()) / "batches.csv").is_file()


def test_cancel_mid_upload_then_resume_sends_each_conversion_once(page, qtbot, sandbox):
    sandbox.faults.slow(0.2, count=None)
    with qtbot.waitSignal(page.upload_finished, timeout=20_000) as first:
        page.start()
        qtbot.waitUntil(lambda: page.batch_model.rowCount() >= 2, timeout=10_000)
        assert page.cancel_button.isEnabled()
        page.cancel()
        assert not page.cancel_button.isEnabled()
    assert first.args[0].cancelled
    assert "Cancelled: press Start and choose Resume" in visible_text(page)
    sent_before = sum(sent_ids(sandbox).values())
    assert 0 < sent_before < ROWS
    qtbot.waitUntil(lambda: not page.is_running(), timeout=5_000)

    sandbox.faults.clear()
    accepted_before = len(sandbox.accepted)
    answer(page, Choice.RESUME)
    summary = upload(qtbot, page)
    [(conflict, job_id, message)] = page.asked
    assert conflict is Conflict.UNFINISHED
    assert "did not finish" in message
    assert job_id == summary.job.id  # the same job, resumed
    assert sent_ids(sandbox) == Counter({f"O-{i}": 1 for i in range(ROWS)})
    assert summary.events_acknowledged == ROWS
    assert "acknowledged by the earlier run" in visible_text(page)
    # The live table shows this run's batches, with every debug id X gave in this run.
    assert set(shown_debug_ids(page)) == {a.debug_id for a in sandbox.accepted[accepted_before:]}
    assert page.batch_model.rowCount() == ROWS // BATCH - summary.batches_skipped


def test_wrong_secret_is_one_clear_message(page, qtbot, session, sandbox):
    session.set_connection(sandbox_connection(sandbox, secret="wrong-secret"))
    summary = upload(qtbot, page)
    assert summary.stopped
    text = visible_text(page)
    assert text.count("refused the credentials") == 1
    assert "Check the consumer key and secret" in text
    assert "wrong-secret" not in text
    assert "Upload stopped" in text
    assert page.progress_bar.value() == 0  # nothing went through
    assert sandbox.accepted == []


def test_already_uploaded_file_is_refused_unless_forced(page, qtbot, sandbox):
    upload(qtbot, page)
    answer(page, Choice.CANCEL)
    page.start()
    qtbot.waitUntil(lambda: bool(page.asked) and not page.is_running(), timeout=10_000)
    [(conflict, _job, message)] = page.asked
    assert conflict is Conflict.UPLOADED
    assert "already uploaded" in message
    assert "makes X count those sales again" in message
    assert "unless they carry" not in message  # a conversion_id does not make a resend safe
    notice = page.notice_label.text()
    assert not page.notice_label.isHidden()
    assert "already uploaded" in notice
    assert "Nothing was sent" in notice
    assert sum(sent_ids(sandbox).values()) == ROWS
    assert page.start_button.isEnabled()

    answer(page, Choice.UPLOAD_AGAIN)
    summary = upload(qtbot, page)
    assert summary.events_acknowledged == ROWS
    assert sent_ids(sandbox) == Counter({f"O-{i}": 2 for i in range(ROWS)})
    assert page.notice_label.isHidden()


def test_pause_holds_and_resume_continues(page, qtbot, sandbox):
    sandbox.faults.slow(0.15, count=None)
    with qtbot.waitSignal(page.upload_finished, timeout=20_000):
        page.start()
        qtbot.waitUntil(lambda: page.batch_model.rowCount() >= 1, timeout=10_000)
        page.pause_button.click()
        assert page.is_paused()
        assert page.pause_button.text() == "Resume"
        qtbot.wait(300)  # then the requests already sent come back
        qtbot.waitUntil(lambda: len(sandbox.accepted) == sandbox.requests_seen, timeout=5_000)
        held = sandbox.requests_seen
        qtbot.wait(700)
        assert sandbox.requests_seen == held < ROWS // BATCH
        assert page.is_running()
        assert "Paused" in page.progress_label.text()
        page.pause_button.click()
        assert not page.is_paused()
    assert sent_ids(sandbox) == Counter({f"O-{i}": 1 for i in range(ROWS)})


def test_cancel_and_wait_stops_cleanly_and_the_journal_says_cancelled(page, qtbot, sandbox):
    sandbox.faults.slow(0.2, count=None)
    page.start()
    qtbot.waitUntil(lambda: page.batch_model.rowCount() >= 1, timeout=10_000)
    assert page.is_running()
    assert page.cancel_and_wait(10_000)
    assert not page.is_running()
    with Journal(paths.journal_path()) as journal:
        [job] = journal.jobs()
        assert job.status is JobStatus.CANCELLED
        sent = {b.number for b in journal.batches(job.id) if b.status is BatchStatus.ACKNOWLEDGED}
    assert len(sent) * BATCH == sum(sent_ids(sandbox).values())


def test_start_without_sign_in_explains_but_a_dry_run_works(page, qtbot, session, sandbox):
    session.set_connection(None)
    assert page.pixel_edit.text() == ""  # the prefilled pixel went with the connection
    page.start()
    assert not page.is_running()
    assert "Sign in" in page.notice_label.text()
    assert "Sandbox mode" in page.notice_label.text()

    page.dry_run_check.setChecked(True)
    page.notify_after_seconds = 0
    summary = upload(qtbot, page)
    assert summary.dry_run
    assert summary.events_total == ROWS
    assert sandbox.requests_seen == 0
    assert "Nothing was sent" in visible_text(page)
    [(title, message)] = page.notified
    assert "Dry run complete" in title
    assert f"{ROWS} conversions in 12 batches would be sent" in message


def test_event_choices_feed_the_override(page):
    page.set_event_choices([(e.id, e.name) for e in DEMO.events[:3]])
    assert page.event_id() is None  # from the mapping
    page.event_combo.setCurrentIndex(2)
    assert page.event_id() == DEMO.events[1].id
    page.set_event_choices([(DEMO.events[1].id, "Sign up")])  # the choice survives a refresh
    assert page.event_id() == DEMO.events[1].id
    page.event_combo.setEditText("tw-o8z6j-o87ne")
    assert page.event_id() == "tw-o8z6j-o87ne"


def test_worker_throttles_progress_but_never_drops_a_batch(qtbot, session, sandbox):
    table, profile = session.table, session.profile
    options = UploadOptions(pixel_id=DEMO.pixel_id, batch_size=1, workers=4)
    worker = UploadWorker(table, profile, options, client_factory=session.connection.client)
    progress = []
    worker.signals.progress.connect(progress.append)
    pool = QThreadPool()
    started = time.monotonic()
    with qtbot.waitSignal(worker.signals.done, timeout=30_000):
        pool.start(worker)
    elapsed = time.monotonic() - started
    pool.waitForDone(5_000)
    numbers = [b.number for p in progress for b in p.finished_batches]
    assert sorted(numbers) == list(range(1, ROWS + 1))
    assert len(progress) <= elapsed * 10 + 3


def batch(number, status=BatchStatus.ACKNOWLEDGED, debug=None):
    debug = (f"dbg-{number}",) if debug is None else debug
    return BatchResult(number, f"{number + 1}", 1, status, 1, debug, 1, None)


def test_batch_model_appends_thousands_at_once_and_updates_known_batches(qtbot):
    model = BatchTableModel()
    inserted = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    model.add_batches(batch(n) for n in range(1, 5001))
    assert inserted == [(0, 4999)]
    assert model.rowCount() == 5000
    model.add_batches([batch(7, BatchStatus.FAILED, ()), batch(5001)])
    assert inserted == [(0, 4999), (5000, 5000)]
    assert model.rowCount() == 5001
    assert model.index(6, STATUS).data() == "failed"
    assert model.index(6, 0).data(StatusRole) == BatchStatus.FAILED.value
    assert model.debug_ids([0, 6]) == ["dbg-1"]


def test_batch_model_passes_the_model_tester(qtmodeltester):
    model = BatchTableModel()
    qtmodeltester.check(model)
    model.add_batches(batch(n) for n in range(1, 40))
    model.add_batches([batch(3, BatchStatus.PARTIAL), batch(40, BatchStatus.FAILED, ())])
    qtmodeltester.check(model)
    model.set_batches([batch(1)])
    qtmodeltester.check(model)


def test_a_rate_limit_says_until_when_everyone_waits(page, qtbot, sandbox):
    sandbox.faults.rate_limit(count=1, reset_in=1.5)
    with qtbot.waitSignal(page.upload_finished, timeout=20_000):
        page.start()
        qtbot.waitUntil(lambda: not page.wait_label.isHidden(), timeout=10_000)
        assert page.wait_label.text().startswith("Waiting for X's rate limit until ")
    assert page.wait_label.isHidden()
    assert sent_ids(sandbox) == Counter({f"O-{i}": 1 for i in range(ROWS)})


def test_resuming_with_nothing_to_resume_is_refused_in_words(page, qtbot, sandbox):
    started = []
    page.upload_started.connect(lambda: started.append(True))
    page.start(resume=True)
    qtbot.waitUntil(lambda: not page.is_running(), timeout=10_000)
    assert started == []
    assert not page.notice_label.isHidden()
    assert "no earlier upload of orders.csv" in page.notice_label.text()
    assert sandbox.requests_seen == 0


def test_event_ids_from_a_column_unknown_to_the_account_stop_the_upload_before_sending(
    sandbox, tmp_path
):
    path = tmp_path / "orders.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Order", "Date", "Email", "Event"])
        writer.writerow(["O-1", "2026-11-01 10:00", "a@x.org", DEMO.events[0].id])
        writer.writerow(["O-2", "2026-11-01 10:00", "b@x.org", "zzzzz"])
    profile = MappingProfile.from_dict(
        {
            "columns": {
                "conversion_id": "Order",
                "conversion_time": "Date",
                "email": "Email",
                "event_id": "Event",
            }
        }
    )
    connection = sandbox_connection(sandbox)
    worker = UploadWorker(
        inspect_file(str(path)).table,
        profile,
        UploadOptions(pixel_id=DEMO.pixel_id),
        client_factory=connection.client,
        api_base=sandbox.base_url,
        account_id=DEMO.account_id,
    )
    refused = []
    worker.signals.refused.connect(refused.append)
    worker.run()
    [message] = refused
    assert "zzzzz (row 3)" in message
    assert "Nothing was sent" in message
    assert sandbox.accepted == []


def test_without_a_conversion_id_the_duplicate_risk_is_said_before_starting(page, session):
    assert page.risk_label.isHidden()  # the sample mapping has its order id
    columns = {k: v for k, v in PROFILE["columns"].items() if k != "conversion_id"}
    session.set_profile(MappingProfile.from_dict({**PROFILE, "columns": columns}))
    assert not page.risk_label.isHidden()
    assert "No column is mapped to conversion_id" in page.risk_label.text()
    assert "counted twice" in page.risk_label.text()
