"""The journal never lies: per-event outcomes, resumes that send exactly the rest, honest counts."""

import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from twconv_gui.core.api.client import ApiClient, ApiSettings
from twconv_gui.core.api.credentials import Credentials
from twconv_gui.core.api.throttle import Backoff, RateGovernor
from twconv_gui.core.upload.journal import BatchStatus, JobStatus, job_fingerprint
from twconv_gui.core.upload.model import UploadRefused, summary_lines
from twconv_gui.core.upload.sender import BatchSender
from twconv_gui.sandbox.faults import FaultAction, Faults


def ids(sandbox):
    return Counter(c["conversion_id"] for c in sandbox.accepted_conversions())


class FailingAfter(Faults):
    """500 on conversions requests number `first`..`last` (1-based), normal otherwise."""

    def __init__(self, first: int, last: int) -> None:
        super().__init__()
        self.seen = 0
        self.first, self.last = first, last

    def next_action(self) -> FaultAction:
        self.seen += 1
        if self.first <= self.seen <= self.last:
            return FaultAction(0.0, "server_error", 500)
        return super().next_action()


def job_row(journal, job_id):
    job = journal.job(job_id)
    return (job.status, job.events_acknowledged, job.events_rejected, job.finished_at, job.message)


def test_halves_lost_on_the_network_after_a_split_are_sent_on_resume(export, uploader, sandbox):
    # One batch of 4; O-3 is bad. The whole batch gets 400; its left half (O-0, O-1) then
    # meets four 500s and is not delivered; O-2 is acknowledged, O-3 rejected.
    path = export(4)
    faults = FailingAfter(2, 5)
    faults.reject("O-3")
    sandbox.faults = faults
    first = uploader(path, workers=1, batch_size=4)
    list(first.run())
    summary = first.summary
    assert ids(sandbox) == Counter({"O-2": 1})
    assert (summary.events_acknowledged, summary.events_rejected, summary.events_failed) == (
        1,
        1,
        2,
    )
    [batch] = first.journal.batches(summary.job.id)
    assert batch.status is BatchStatus.FAILED  # not "sent for good": two events are owed
    assert (batch.events_acknowledged, batch.events_rejected) == (1, 1)
    lines = summary_lines(summary, how_to_resume="use --resume")
    assert any("Not delivered" in line and "2 conversions" in line for line in lines)

    second = uploader(path, workers=1, batch_size=4, resume=True)
    list(second.run())
    assert ids(sandbox) == Counter({"O-0": 1, "O-1": 1, "O-2": 1})  # exactly the owed ones
    resumed = second.summary
    assert (resumed.events_acknowledged, resumed.events_rejected, resumed.events_failed) == (
        3,
        1,
        0,
    )
    job = second.journal.job(summary.job.id)
    assert (job.events_acknowledged, job.events_rejected) == (3, 1)
    [batch] = second.journal.batches(job.id)
    assert batch.status is BatchStatus.PARTIAL


def test_a_resume_with_nothing_left_to_send_changes_nothing(export, uploader, sandbox, journal):
    path = export(300)
    sandbox.faults.reject("O-5")
    first = uploader(path, workers=1)
    list(first.run())
    job_id = first.summary.job.id
    before = job_row(journal, job_id)
    assert before[:3] == (JobStatus.PARTIAL, 299, 1)
    seen = sandbox.requests_seen
    with pytest.raises(UploadRefused, match="Nothing is left to send"):
        list(uploader(path, workers=1, resume=True).run())
    assert sandbox.requests_seen == seen
    assert job_row(journal, job_id) == before
    [only] = journal.jobs()
    assert only.id == job_id


def test_a_refused_resume_leaves_the_job_as_it_was(export, uploader, sandbox, journal):
    path = export(400)
    sandbox.faults.server_error(500, count=4)  # batch 1 is not delivered
    first = uploader(path, workers=1)
    list(first.run())
    job_id = first.summary.job.id
    before = job_row(journal, job_id)
    assert before[:3] == (JobStatus.PARTIAL, 300, 0)
    second = uploader(path, workers=1, resume=True, batch_size=50)  # not the first run's size
    with pytest.raises(UploadRefused, match="batch-size"):
        list(second.run())
    assert job_row(journal, job_id) == before
    assert sum(ids(sandbox).values()) == 300


def test_counts_come_from_the_records_not_from_the_run(export, uploader, sandbox, journal):
    # A finished job with one rejection, resumed: it must not become 300 acknowledged.
    path = export(300)
    sandbox.faults.reject("O-7")
    list(uploader(path, workers=1).run())
    [job] = journal.jobs()
    assert (job.events_acknowledged, job.events_rejected) == (299, 1)
    with pytest.raises(UploadRefused):
        list(uploader(path, workers=1, resume=True).run())
    [job] = journal.jobs()
    assert (job.status, job.events_acknowledged, job.events_rejected) == (JobStatus.PARTIAL, 299, 1)


def test_a_fully_sent_file_with_rows_rejected_before_sending_is_not_called_unfinished(
    export, uploader, sandbox
):
    path = export(150, bad_rows={4})
    first = uploader(path)
    list(first.run())
    assert first.summary.rows_rejected == 1
    assert first.summary.events_acknowledged == 149
    with pytest.raises(UploadRefused) as refused:
        list(uploader(path).run())
    message = str(refused.value)
    assert "already uploaded" in message
    assert "did not finish" not in message
    assert "--resume" not in message


def test_the_job_fingerprint_includes_the_api_host(tmp_path):
    export = tmp_path / "a.csv"
    export.write_text("Order\n1\n", encoding="utf-8")
    profile = {"columns": {"conversion_id": "Order"}}
    x = job_fingerprint(export, profile, "o8z6j", None, api_base="https://ads-api.x.com")
    other = job_fingerprint(export, profile, "o8z6j", None, api_base="http://127.0.0.1:8765")
    assert x != other


# -- a 2xx is an acknowledgement only with data.conversions_processed -------------------------


class _Portal:
    """A server answering 200 with an HTML page `portal` times, then X's success JSON."""

    def __init__(self, portal: int, body: bytes = b"<html><title>Hotel Wi-Fi</title></html>"):
        self.portal, self.body, self.seen = portal, body, 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                owner.seen += 1
                if owner.seen <= owner.portal:
                    payload, kind = owner.body, "text/html"
                else:
                    data = {"conversions_processed": 2, "debug_id": f"d{owner.seen}"}
                    payload, kind = json.dumps({"data": data}).encode(), "application/json"
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.01,), daemon=True).start()
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _sender(base_url: str, attempts: int = 3) -> BatchSender:
    client = ApiClient(Credentials("k", "s", "t", "ts"), ApiSettings(base_url=base_url))
    return BatchSender(
        client,
        "o8z6j",
        governor=RateGovernor(),
        backoff=Backoff(base=0.01, factor=1.0, cap=0.01, attempts=attempts),
        cancel=threading.Event(),
        resume=threading.Event(),
    )


@pytest.mark.parametrize("body", [b"<html><title>Hotel Wi-Fi</title></html>", b'{"ok": true}'])
def test_a_2xx_without_conversions_processed_is_retried_not_acknowledged(body):
    portal = _Portal(portal=99, body=body)
    try:
        sender = _sender(portal.base_url)
        sender.resume.set()
        outcome = sender.send([b'{"a":1}', b'{"a":2}'], [(2,), (3,)])
        assert outcome.acknowledged == 0
        assert outcome.failed_events == 2
        assert portal.seen == 3  # retried like a 503
        assert "conversions_processed" in (outcome.error or "")
    finally:
        portal.close()


def test_a_portal_page_then_the_real_answer_is_acknowledged_once():
    portal = _Portal(portal=1)
    try:
        sender = _sender(portal.base_url)
        sender.resume.set()
        outcome = sender.send([b'{"a":1}', b'{"a":2}'], [(2,), (3,)])
        assert (outcome.acknowledged, outcome.failed_events, portal.seen) == (2, 0, 2)
    finally:
        portal.close()


def test_a_resume_or_force_of_a_job_older_than_48_hours_is_warned_about():
    from datetime import UTC, datetime, timedelta

    from twconv_gui.core.upload.policy import resend_warning

    class Job:
        id = 7
        file_name = "orders.csv"
        started_at = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)

    late = resend_warning(Job(), now=Job.started_at + timedelta(hours=49))
    assert late is not None
    assert late.startswith("Job 7 of orders.csv started on ")
    assert "X may count sales sent again now twice" in late
    assert resend_warning(Job(), now=Job.started_at + timedelta(hours=47)) is None
    assert resend_warning(None) is None
