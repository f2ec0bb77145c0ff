"""The upload journal: what it remembers must survive a crash and decide what is never resent."""

import signal
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC

import pytest
from hypothesis import given
from hypothesis import strategies as st

from twconv_gui.core.errors import TwconvError
from twconv_gui.core.upload.journal import (
    BatchStatus,
    JobStatus,
    Journal,
    RejectedEvent,
    compact_rows,
    expand_rows,
    job_fingerprint,
)

PROFILE = {"columns": {"email": "Email", "conversion_time": "Date"}, "timezone": "Europe/Paris"}


@pytest.fixture
def journal_file(tmp_path):
    return tmp_path / "journal.sqlite3"


@pytest.fixture
def journal(journal_file):
    with Journal(journal_file) as opened:
        yield opened


def start(journal, fingerprint="fp-1", **changes):
    values = {
        "fingerprint": fingerprint,
        "file_name": "sales.xlsx",
        "file_path": "/home/me/sales.xlsx",
        "pixel_id": "o8z6j",
        "event_id": "tw-o8z6j-o8z7a",
        "api_base": "https://ads-api.x.com/12",
        "batches_total": 3,
        "events_total": 1200,
        "rows_rejected": 4,
        "report_dir": None,
    }
    values.update(changes)
    return journal.start_job(**values)


def send(journal, job_id, number, rows, *, status=BatchStatus.ACKNOWLEDGED, error=None):
    journal.batch_in_flight(job_id, number, rows=rows, events=len(rows), payload_sha256="ab" * 32)
    done = frozenset(range(len(rows))) if status is BatchStatus.ACKNOWLEDGED else frozenset()
    journal.batch_done(
        job_id, number, status=status, debug_ids=[f"dbg{number}"], processed=len(rows),
        error=error, events=len(rows), acknowledged=done,
    )  # fmt: skip


def test_a_job_and_its_batches_round_trip_through_the_file(journal_file):
    with Journal(journal_file) as journal:
        job = start(journal)
        rows = [*range(2, 251), *range(252, 504)]
        journal.batch_in_flight(job.id, 1, rows=rows, events=500, payload_sha256="c" * 64)
        journal.batch_done(
            job.id,
            1,
            status=BatchStatus.ACKNOWLEDGED,
            debug_ids=["d-1", "d-2"],
            processed=500,
            error=None,
            events=500,
            acknowledged=frozenset(range(500)),
        )
        finished = journal.finish_job(
            job.id, status=JobStatus.COMPLETED, report_dir="/reports/job1"
        )
    with Journal(journal_file) as reopened:
        assert reopened.job(job.id) == finished
        [batch] = reopened.batches(job.id)
    assert job.status is JobStatus.RUNNING
    assert job.finished_at is None
    assert job.started_at.tzinfo is not None
    assert job.started_at.utcoffset() == UTC.utcoffset(None)
    assert (finished.file_name, finished.pixel_id, finished.event_id) == (
        "sales.xlsx",
        "o8z6j",
        "tw-o8z6j-o8z7a",
    )
    assert finished.status is JobStatus.COMPLETED
    assert finished.finished_at is not None
    assert finished.finished_at >= finished.started_at
    assert (finished.events_total, finished.events_acknowledged, finished.rows_rejected) == (
        1200,
        500,
        4,
    )
    assert finished.report_dir == "/reports/job1"
    assert (batch.rows, batch.first_row, batch.last_row, batch.events) == (
        "2-250,252-503",
        2,
        503,
        500,
    )
    assert (batch.status, batch.attempts, batch.debug_ids, batch.processed) == (
        BatchStatus.ACKNOWLEDGED,
        1,
        ("d-1", "d-2"),
        500,
    )


def test_in_flight_is_committed_before_the_request_and_retries_count(journal, journal_file):
    job = start(journal)
    journal.batch_in_flight(job.id, 2, rows=[7, 8, 9], events=3, payload_sha256="e" * 64)
    with Journal(journal_file) as other_connection:
        [seen] = other_connection.batches(job.id)
    assert (seen.status, seen.attempts, seen.rows) == (BatchStatus.IN_FLIGHT, 1, "7-9")
    journal.batch_done(
        job.id, 2, status=BatchStatus.FAILED, debug_ids=[], processed=None, error="HTTP 503"
    )
    journal.batch_in_flight(job.id, 2, rows=[7, 8, 9], events=3, payload_sha256="e" * 64)
    [again] = journal.batches(job.id)
    assert (again.status, again.attempts) == (BatchStatus.IN_FLIGHT, 2)


CRASHING_CHILD = """
import os, signal, sys
from pathlib import Path
from twconv_gui.core.upload.journal import BatchStatus, Journal
journal = Journal(Path(sys.argv[1]))
job = journal.start_job(fingerprint="fp-crash", file_name="a.csv", file_path="/a.csv",
    pixel_id="px", event_id=None, api_base="http://127.0.0.1", batches_total=3,
    events_total=1500, rows_rejected=0, report_dir=None)
journal.batch_in_flight(job.id, 1, rows=range(2, 502), events=500, payload_sha256="1" * 64)
journal.batch_done(job.id, 1, status=BatchStatus.ACKNOWLEDGED, debug_ids=["d1"], processed=500,
    error=None)
journal.batch_in_flight(job.id, 2, rows=range(502, 1002), events=500, payload_sha256="2" * 64)
print(job.id, flush=True)
os.kill(os.getpid(), signal.SIGKILL) if hasattr(signal, "SIGKILL") else os._exit(9)
"""


def test_a_killed_process_leaves_a_journal_that_resumes_without_resending(journal_file):
    child = subprocess.run(
        [sys.executable, "-c", CRASHING_CHILD, str(journal_file)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert child.returncode in (-getattr(signal, "SIGKILL", 0), 9), child.stderr
    job_id = int(child.stdout)
    with Journal(journal_file) as journal:
        assert journal.latest_job("fp-crash").status is JobStatus.RUNNING
        before = {b.number: b.status for b in journal.batches(job_id)}
        assert before == {1: BatchStatus.ACKNOWLEDGED, 2: BatchStatus.IN_FLIGHT}
        resumed = journal.resume_job(job_id)
        after = {b.number: b for b in journal.batches(job_id)}
        assert resumed.status is JobStatus.RUNNING
        assert after[1].status is BatchStatus.ACKNOWLEDGED
        assert after[2].status is BatchStatus.PENDING
        assert after[2].error == "interrupted; resent on resume"
        assert journal.acknowledged(job_id) == {1}


def test_only_acknowledged_and_partial_batches_are_never_resent(journal):
    job = start(journal)
    send(journal, job.id, 1, [2, 3])
    send(journal, job.id, 2, [4, 5], status=BatchStatus.PARTIAL)
    send(journal, job.id, 3, [6, 7], status=BatchStatus.FAILED, error="HTTP 500")
    journal.batch_in_flight(job.id, 4, rows=[8], events=1, payload_sha256="f" * 64)
    other = start(journal, fingerprint="fp-2")
    send(journal, other.id, 5, [9])
    assert journal.acknowledged(job.id) == {1, 2}
    with pytest.raises(ValueError, match=r"batch 1 of job \d+ is already acknowledged"):
        journal.batch_in_flight(job.id, 1, rows=[2, 3], events=2, payload_sha256="0" * 64)
    with pytest.raises(ValueError, match=r"batch 2 of job \d+ is already partial"):
        journal.batch_in_flight(job.id, 2, rows=[4, 5], events=2, payload_sha256="0" * 64)
    # A failed batch goes out again: one more attempt, in flight, its first try's digest gone.
    journal.batch_in_flight(job.id, 3, rows=[6, 7], events=2, payload_sha256="1" * 64)
    retried = {b.number: b for b in journal.batches(job.id)}[3]
    assert (retried.status, retried.attempts, retried.payload_sha256) == (
        BatchStatus.IN_FLIGHT,
        2,
        "1" * 64,
    )
    with pytest.raises(TwconvError, match="There is no upload job 999"):
        journal.batch_in_flight(999, 1, rows=[2], events=1, payload_sha256="0" * 64)


def test_jobs_are_listed_newest_first_and_latest_job_skips_dry_runs(journal):
    first = start(journal, fingerprint="same")
    second = start(journal, fingerprint="other")
    third = start(journal, fingerprint="same")
    start(journal, fingerprint="same", dry_run=True)
    listed = journal.jobs()
    assert [j.id for j in listed[1:]] == [third.id, second.id, first.id]
    assert listed[0].status is JobStatus.DRY_RUN
    assert len(journal.jobs(limit=2)) == 2
    assert journal.latest_job("same").id == third.id
    assert journal.latest_job("same", include_dry_runs=True).id == listed[0].id
    assert journal.latest_job("never-seen") is None


def test_rejected_events_keep_rows_and_x_error_but_no_personal_data(journal, journal_file):
    job = start(journal)
    send(journal, job.id, 1, [5, 7, 8], status=BatchStatus.PARTIAL, error="jane@example.com")
    journal.add_rejected(job.id, 1, [8, 7], "INVALID_PARAMETER", "bad phone +33 6 12 34 56 78")
    journal.add_rejected(job.id, 1, [5], "INVALID_PARAMETER", "conversion_time too old")
    assert journal.rejected(job.id) == [
        RejectedEvent(job.id, 1, "7-8", "INVALID_PARAMETER", "bad phone [phone]"),
        RejectedEvent(job.id, 1, "5", "INVALID_PARAMETER", "conversion_time too old"),
    ]
    assert journal.batches(job.id)[0].error == "[email]"
    stored = b"".join(p.read_bytes() for p in journal_file.parent.glob("journal.sqlite3*"))
    assert b"jane@example.com" not in stored
    assert b"+33 6 12" not in stored


def test_threads_share_one_journal_without_losing_a_batch(journal):
    job = start(journal)

    def worker(first):
        for number in range(first, first + 25):
            send(journal, job.id, number, [number * 10, number * 10 + 1])

    threads = [threading.Thread(target=worker, args=(n * 25 + 1,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert journal.acknowledged(job.id) == set(range(1, 151))


def test_misuse_and_unknown_jobs_are_refused(journal):
    with pytest.raises(TwconvError, match="no upload job 42"):
        journal.job(42)
    with pytest.raises(TwconvError, match="no upload job 42"):
        journal.resume_job(42)
    with pytest.raises(TwconvError, match="no upload job 42"):
        journal.batch_in_flight(42, 1, rows=[2], events=1, payload_sha256="0" * 64)
    job = start(journal)
    with pytest.raises(ValueError, match="never marked in flight"):
        journal.batch_done(
            job.id, 9, status=BatchStatus.ACKNOWLEDGED, debug_ids=[], processed=1, error=None
        )


def test_a_damaged_journal_says_what_to_do(journal_file):
    journal_file.write_bytes(b"this is a spreadsheet, not a journal\n" * 200)
    with pytest.raises(TwconvError, match="is damaged") as caught:
        Journal(journal_file)
    assert str(journal_file) in str(caught.value)
    assert "move it aside" in str(caught.value)


def test_a_journal_from_a_newer_version_is_not_touched(journal_file):
    with sqlite3.connect(journal_file) as db:
        db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(TwconvError, match="newer twconv-gui"):
        Journal(journal_file)


def test_an_unwritable_place_says_what_to_do(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(TwconvError, match="TWCONV_DATA_DIR") as caught:
        Journal(blocker / "journal.sqlite3")
    assert str(blocker / "journal.sqlite3") in str(caught.value)


def test_fingerprint_follows_file_bytes_mapping_pixel_and_event(tmp_path):
    data = bytearray(b"Email,Date\n" + b"x@example.com,2024-05-01\n" * 120_000)  # > 2 MB
    original = tmp_path / "sales.csv"
    original.write_bytes(data)
    copy = tmp_path / "renamed copy.csv"
    copy.write_bytes(data)
    base = job_fingerprint(original, PROFILE, "o8z6j", None)
    assert len(base) == 64
    reordered = dict(reversed(list(PROFILE.items())))
    assert job_fingerprint(copy, reordered, "o8z6j", None) == base
    data[-2] = ord("9")  # a change past the first 1 MB block
    changed = tmp_path / "changed.csv"
    changed.write_bytes(data)
    other_profile = {**PROFILE, "timezone": "UTC"}
    assert (
        len(
            {
                base,
                job_fingerprint(changed, PROFILE, "o8z6j", None),
                job_fingerprint(original, other_profile, "o8z6j", None),
                job_fingerprint(original, PROFILE, "o8z6k", None),
                job_fingerprint(original, PROFILE, "o8z6j", "tw-o8z6j-o8z7a"),
                job_fingerprint(original, PROFILE, "o8z6j", ""),
            }
        )
        == 6
    )
    with pytest.raises(TwconvError, match=r"missing\.csv"):
        job_fingerprint(tmp_path / "missing.csv", PROFILE, "o8z6j", None)


def test_row_ranges_read_like_a_user_would_write_them():
    assert compact_rows([503, *range(2, 251), 252, *range(253, 503), 2]) == "2-250,252-503"
    assert compact_rows([7]) == "7"
    assert compact_rows([]) == ""
    assert expand_rows("2-4, 7") == [2, 3, 4, 7]
    for bad in ("5-3", "a", "-2", "2-x"):
        with pytest.raises(ValueError, match="not a row range"):
            expand_rows(bad)


@given(st.sets(st.integers(min_value=0, max_value=3000), max_size=300))
def test_row_ranges_round_trip(rows):
    text = compact_rows(rows)
    assert expand_rows(text) == sorted(rows)
    assert compact_rows(expand_rows(text)) == text
