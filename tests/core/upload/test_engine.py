"""The upload engine against the Sandbox on 127.0.0.1: what a user would see happen."""

import hashlib
import math
import threading
import time
from collections import Counter

import pytest

from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.prepare.preparation import Preparation
from twconv_gui.core.reading.opening import open_table
from twconv_gui.core.upload.journal import BatchStatus, JobStatus
from twconv_gui.core.upload.model import Phase, UploadRefused, summary_lines
from twconv_gui.core.upload.producer import BatchProducer

from .conftest import PROFILE


def ids(sandbox):
    return Counter(c["conversion_id"] for c in sandbox.accepted_conversions())


def test_every_event_acknowledged_with_a_debug_id_per_batch(export, uploader, sandbox, journal):
    upload = uploader(export(1200), workers=3)
    progress = list(upload.run())
    summary = upload.summary
    assert progress[-1].phase is Phase.FINISHED
    shown = [b.number for p in progress for b in p.finished_batches]
    assert sorted(shown) == list(range(1, 13))  # the live table sees each batch exactly once
    assert (summary.events_total, summary.events_acknowledged, summary.exit_code) == (1200, 1200, 0)
    assert ids(sandbox) == Counter({f"O-{i}": 1 for i in range(1200)})
    batches = journal.batches(summary.job.id)
    assert [b.number for b in batches] == list(range(1, 13))
    assert all(b.status is BatchStatus.ACKNOWLEDGED for b in batches)
    sent_debug_ids = {a.debug_id for a in sandbox.accepted}
    assert {d for b in batches for d in b.debug_ids} == sent_debug_ids
    assert summary.job.status is JobStatus.COMPLETED
    report = next(p for p in summary.reports if p.name == "batches.csv").read_text("utf-8-sig")
    assert all(debug_id in report for debug_id in sent_debug_ids)
    # The very events prepare would write are what reached the server, hashed.
    [first] = [c for c in sandbox.accepted_conversions() if c["conversion_id"] == "O-0"]
    assert first["identifiers"] == [
        {"hashed_email": hashlib.sha256(b"customer0@example.com").hexdigest()}
    ]


def test_wrong_secret_stops_the_job_after_the_first_answers(export, uploader, sandbox):
    upload = uploader(export(1000), consumer_secret="wrong-secret", workers=2)
    list(upload.run())
    summary = upload.summary
    assert summary.exit_code == 2
    assert "refused the credentials" in summary.stopped
    assert "401" in summary.stopped
    assert sandbox.requests_seen <= 2  # one per worker at most, never one per batch
    assert summary.job.status is JobStatus.FAILED
    assert "wrong-secret" not in summary.stopped


def test_server_errors_and_dropped_connections_are_retried(export, uploader, sandbox):
    sandbox.faults.server_error(503, count=1)
    sandbox.faults.server_error(503, count=1, html=True)
    sandbox.faults.drop(count=1)  # then the fourth attempt goes through
    upload = uploader(export(300), workers=1)
    list(upload.run())
    assert upload.summary.events_acknowledged == 300
    assert ids(sandbox) == Counter({f"O-{i}": 1 for i in range(300)})


def test_retries_run_out_then_the_batch_is_failed_and_others_go_on(export, uploader, sandbox):
    sandbox.faults.server_error(500, count=4)  # all four attempts of the first batch
    upload = uploader(export(300), workers=1)
    list(upload.run())
    summary = upload.summary
    assert (summary.events_acknowledged, summary.events_failed) == (200, 100)
    assert summary.exit_code == 1
    assert summary.job.status is JobStatus.PARTIAL
    [failed] = [b for b in upload.journal.batches(summary.job.id) if b.status is BatchStatus.FAILED]
    assert failed.number == 1
    assert "500" in failed.error


def test_rate_limit_holds_every_worker_until_the_reset(export, uploader, sandbox):
    sandbox.faults.rate_limit(count=1, reset_in=1.5)
    upload = uploader(export(400), workers=3)
    list(upload.run())
    assert upload.summary.events_acknowledged == 400
    [(kind, limited_at)] = sandbox.faults_served
    assert kind == "rate_limit"
    reset_at = limited_at + 1.5
    # Requests already on their way when the 429 was answered (the other workers', or one a
    # worker started before the 429 reached the client) may go through before X's reset;
    # none sent once the client had the 429 may. Reading the answer takes a few ms; 0.5 s of
    # slack keeps a loaded machine from failing the test.
    accepted_at = sorted(a.received_at for a in sandbox.accepted)
    assert len(accepted_at) == 4
    assert not [t for t in accepted_at if limited_at + 0.5 < t < reset_at]
    assert accepted_at[-1] >= reset_at  # the batch that got the 429 waited for the reset


def test_one_bad_event_is_pinned_by_bisection_and_the_rest_delivered(export, uploader, sandbox):
    sandbox.faults.reject("O-137")
    upload = uploader(export(300), workers=1)
    list(upload.run())
    summary = upload.summary
    assert (summary.events_acknowledged, summary.events_rejected) == (299, 1)
    assert "O-137" not in ids(sandbox)
    [rejected] = upload.journal.rejected(summary.job.id)
    assert rejected.rows == "139"  # spreadsheet row of O-137 (header is row 1)
    assert rejected.code == "INVALID_PARAMETER"
    batch = upload.journal.batches(summary.job.id)[1]
    assert batch.status is BatchStatus.PARTIAL
    # 300 events, batches of 100: 3 requests plus the bisection's, bounded by 2·log2(100).
    assert sandbox.requests_seen <= 3 + 2 * math.ceil(math.log2(100))
    report = next(p for p in summary.reports if p.name == "rejected-rows.csv")
    assert "INVALID_PARAMETER" in report.read_text("utf-8-sig")


def test_same_file_again_is_refused_unless_forced(export, uploader, sandbox):
    path = export(150)
    list(uploader(path).run())
    with pytest.raises(UploadRefused, match=r"already uploaded.*--force"):
        list(uploader(path).run())
    forced = uploader(path, force=True)
    list(forced.run())
    assert forced.summary.events_acknowledged == 150
    assert ids(sandbox)["O-0"] == 2


def test_cancel_then_resume_sends_only_what_was_not_acknowledged(export, uploader, sandbox):
    path = export(1000)
    sandbox.faults.slow(0.05, count=None)
    first = uploader(path, workers=2)
    for progress in first.run():
        if progress.batches_done >= 3:
            first.cancel.set()
    assert first.summary.cancelled
    assert first.summary.exit_code == 130
    assert first.summary.job.status is JobStatus.CANCELLED
    acknowledged_first = set(ids(sandbox))
    assert 0 < len(acknowledged_first) < 1000
    with pytest.raises(UploadRefused, match="--resume"):
        list(uploader(path).run())
    sandbox.faults.clear()
    second = uploader(path, workers=2, resume=True)
    list(second.run())
    assert second.summary.batches_skipped >= 3
    assert second.summary.events_acknowledged == 1000
    counts = ids(sandbox)
    assert set(counts) == {f"O-{i}" for i in range(1000)}
    assert all(n == 1 for n in counts.values())  # no acknowledged batch was sent again


def test_a_caller_that_stops_listening_leaves_a_cancelled_job_to_resume(export, uploader, sandbox):
    # A second Ctrl-C, or a closed output, ends the progress loop half-way: the job must be
    # recorded as cancelled (never completed) while the journal is still open.
    path = export(1000)
    sandbox.faults.slow(0.05, count=None)
    first = uploader(path, workers=1)
    progress = first.run()
    for item in progress:
        if item.batches_done >= 2:
            break
    progress.close()
    assert first.summary.job.status is JobStatus.CANCELLED
    assert 0 < len(ids(sandbox)) < 1000
    sandbox.faults.clear()
    second = uploader(path, workers=2, resume=True)
    list(second.run())
    assert second.summary.events_acknowledged == 1000
    assert all(n == 1 for n in ids(sandbox).values())


def test_pause_holds_requests_until_resumed(export, uploader, sandbox):
    upload = uploader(export(500), workers=2)
    upload.running.clear()
    threading.Timer(0.6, upload.running.set).start()
    started = time.time()
    list(upload.run())
    assert upload.summary.events_acknowledged == 500
    assert min(a.received_at for a in sandbox.accepted) >= started + 0.5


def test_progress_keeps_coming_while_the_last_answer_is_slow(export, uploader, sandbox):
    # Everything is prepared and queued; the one request takes 1.5 s. The window and the
    # terminal still get their regular progress (elapsed time, rate, ETA) meanwhile.
    sandbox.faults.slow(1.5)
    upload = uploader(export(50), workers=1)
    progress = list(upload.run())
    waiting = [p for p in progress if p.phase is Phase.SENDING and not p.finished_batches]
    assert len(waiting) >= 3
    assert upload.summary.events_acknowledged == 50


def test_dry_run_sends_nothing_and_reports_the_plan(export, uploader, sandbox, tmp_path):
    upload = uploader(export(250, bad_rows={3}), dry_run=True, report_dir=tmp_path / "r")
    list(upload.run())
    summary = upload.summary
    assert sandbox.requests_seen == 0
    assert (summary.events_total, summary.batches_total, summary.rows_rejected) == (249, 3, 1)
    assert summary.exit_code == 1
    assert (tmp_path / "r" / "batches.xlsx").exists()
    assert "not-an-email" not in (tmp_path / "r" / "rejected-rows.csv").read_text("utf-8-sig")


def test_a_file_that_breaks_half_way_leaves_a_failed_job_not_a_completed_one(
    export, uploader, sandbox, journal
):
    path = export(3000)
    upload = uploader(path)
    # Damage the file after the job opened it: the reader meets junk half way through.
    with path.open("ab") as handle:
        handle.write(b"\xff\xfe\x00\x00 junk \x00" * 10)
    from twconv_gui.core.errors import TwconvError

    with pytest.raises(TwconvError):
        list(upload.run())
    [job] = journal.jobs()
    assert job.status is JobStatus.FAILED
    assert upload.summary.exit_code == 2


def test_the_producer_announces_each_batch_it_queues_and_its_end(export):
    # The engine waits on these beside the requests in flight: a batch ready while the
    # senders wait on X goes out at once instead of at the next answer.
    preparation = Preparation(open_table(export(250)), MappingProfile.from_dict(PROFILE))
    halt = threading.Event()
    producer = BatchProducer(preparation, 100, earlier={}, halt=halt, queue_size=1)
    first = producer.next_arrival()
    assert producer.next_arrival() is first  # nothing queued yet: the same one
    producer.start()
    first.result(timeout=30)
    second = producer.next_arrival()  # asked before taking, as the engine does
    assert second is not first
    assert not second.done()  # the queue holds one batch: the next waits for room
    assert producer.queue.get(timeout=5).number == 1
    second.result(timeout=30)
    assert producer.queue.get(timeout=5).number == 2
    assert producer.queue.get(timeout=30).number == 3
    producer.join()
    assert producer.next_arrival().done()  # nothing more comes: no one waits in vain


def test_rows_kept_back_before_sending_do_not_make_a_complete_upload_partial(
    export, uploader, sandbox
):
    path = export(40, bad_rows={3, 17, 30})
    upload = uploader(path, workers=1)
    list(upload.run())
    summary = upload.summary
    assert (summary.events_acknowledged, summary.rows_rejected) == (37, 3)
    assert summary.exit_code == 1  # unchanged: some rows were not sent
    assert summary.job.status is JobStatus.COMPLETED  # not "partial": X took every one
    lines = summary_lines(summary, how_to_resume="use --resume")
    assert lines[0] == (
        "All 37 sendable conversions acknowledged by X; 3 rows were not sendable — see "
        "rejected-rows.xlsx."
    )
    assert lines[-1] == f"Job {summary.job.id} in the journal (completed)."
    assert not any("Rows rejected before sending" in line for line in lines)
    with pytest.raises(UploadRefused, match=r"already uploaded.*--force"):
        list(uploader(path).run())  # as for any complete upload


def test_a_real_partial_upload_still_says_so(export, uploader, sandbox):
    sandbox.faults.reject("O-7")
    upload = uploader(export(40, bad_rows={3}), workers=1)
    list(upload.run())
    summary = upload.summary
    assert summary.job.status is JobStatus.PARTIAL
    lines = summary_lines(summary, how_to_resume="use --resume")
    assert lines[0] == "Acknowledged by X: 38 of 39 conversions in 1 batches."
    assert "Rows rejected before sending: 1 (see rejected-rows.csv)." in lines
    assert lines[-1].endswith("(partial).")
