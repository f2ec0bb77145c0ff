"""`twconv upload` and `history` as a user or a script runs them, against the Sandbox."""

import csv
import gc
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from twconv_gui.cli import main
from twconv_gui.core import paths
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.prepare.parallel import PARALLEL_MIN_ROWS
from twconv_gui.core.prepare.preparation import Preparation
from twconv_gui.core.reading.opening import open_table
from twconv_gui.core.upload.journal import BatchStatus, JobStatus, Journal, expand_rows
from twconv_gui.sandbox import DEMO, SandboxServer

EMAILS = [f"person{i}@example.com" for i in range(600)]


@pytest.fixture
def demo_env(monkeypatch):
    monkeypatch.setenv("TWCONV_CONSUMER_KEY", DEMO.consumer_key)
    monkeypatch.setenv("TWCONV_CONSUMER_SECRET", DEMO.consumer_secret)
    monkeypatch.setenv("TWCONV_ACCESS_TOKEN", DEMO.access_token)
    monkeypatch.setenv("TWCONV_ACCESS_TOKEN_SECRET", DEMO.access_token_secret)


@pytest.fixture
def sandbox():
    with SandboxServer() as server:
        yield server


@pytest.fixture
def files(tmp_path):
    export = tmp_path / "crm_export.csv"
    with export.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Deal ID", "Closed", "E-mail", "Phone"])
        for i, email in enumerate(EMAILS):
            phone = f"(212) 555-{i:04d}" if i % 2 else ""
            writer.writerow([f"D{i}", f"2026-11-{1 + i % 27:02d} 09:{i % 60:02d}", email, phone])
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps(
            {
                "columns": {
                    "conversion_id": "Deal ID",
                    "conversion_time": "Closed",
                    "email": "E-mail",
                    "phone": "Phone",
                },
                "constants": {"event_id": DEMO.events[0].id},
                "timezone": "America/New_York",
                "phone_region": "US",
            }
        )
    )
    return export, mapping


def upload_args(files, sandbox, *extra):
    export, mapping = files
    return [
        "upload", str(export), "--mapping", str(mapping), "--pixel-id", DEMO.pixel_id,
        "--api-base", sandbox.base_url, "--batch-size", "100", *extra,
    ]  # fmt: skip


TWCONV = [sys.executable, "-m", "twconv_gui.cli"]


def run_twconv(*args):
    """`twconv ARGS` as a program of its own, as scripts run it; its output as text."""
    return subprocess.run(
        [*TWCONV, *args], capture_output=True, text=True, env=os.environ.copy(), timeout=300,
        check=False,
    )  # fmt: skip


def start_twconv(*args, output=subprocess.DEVNULL):
    """`twconv ARGS` started as a program of its own; `output` takes its stdout and stderr."""
    return subprocess.Popen([*TWCONV, *args], stdout=output, stderr=output, env=os.environ.copy())


def test_upload_prints_one_line_per_batch_with_its_debug_id(demo_env, files, sandbox, capsys):
    assert main(upload_args(files, sandbox)) == 0
    out = capsys.readouterr().out
    debug_ids = [a.debug_id for a in sandbox.accepted]
    assert len(debug_ids) == 6
    for debug_id in debug_ids:
        [line] = [line for line in out.splitlines() if debug_id in line]
        assert line.startswith("batch ")
        assert "acknowledged" in line
    assert "Acknowledged by X: 600 of 600 conversions in 6 batches" in out


def test_upload_json_summary_and_history(demo_env, files, sandbox, capsys):
    assert main([*upload_args(files, sandbox), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["events_acknowledged"], summary["status"], summary["exit_code"]) == (
        600,
        "completed",
        0,
    )
    assert main(["history", "--json"]) == 0
    [job] = json.loads(capsys.readouterr().out)
    assert (job["file"], job["status"], job["events_acknowledged"]) == (
        "crm_export.csv",
        "completed",
        600,
    )
    assert main(["history"]) == 0
    assert "crm_export.csv" in capsys.readouterr().out


def test_the_program_exits_with_the_upload_code_and_all_it_printed(demo_env, files, sandbox):
    # `twconv` leaves without a last collection over every object (it freezes them first):
    # the summary must still be whole, and nothing may complain on the way out.
    finished = run_twconv(*upload_args(files, sandbox), "--json")
    assert finished.returncode == 0
    assert json.loads(finished.stdout)["events_acknowledged"] == 600
    assert finished.stderr == ""


def test_a_big_export_goes_out_exactly_as_prepared_through_the_helper_processes(
    demo_env, files, sandbox, tmp_path
):
    # Past PARALLEL_MIN_ROWS, `twconv upload` converts in helper processes forked from it
    # (on a machine with more than one core); what X receives must not depend on that.
    _, mapping = files
    export = tmp_path / "shop_orders.csv"
    with export.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Deal ID", "Closed", "E-mail", "Phone"])
        for i in range(PARALLEL_MIN_ROWS + 1500):
            phone = f"+1 (212) 555-{i % 10_000:04d}" if i % 3 else ""
            writer.writerow([f"S{i}", f"2026-10-{1 + i % 28:02d} 14:{i % 60:02d}",
                             f"buyer{i % 9000}@example.com", phone])  # fmt: skip
    finished = run_twconv("upload", str(export), "--mapping", str(mapping), "--pixel-id",
                          DEMO.pixel_id, "--api-base", sandbox.base_url, "--json")  # fmt: skip
    assert (finished.returncode, finished.stderr) == (0, "")
    expected = [
        e.event for e in Preparation(open_table(export), MappingProfile.load(mapping), workers=1)
    ]
    received = sorted(sandbox.accepted_conversions(), key=lambda c: int(c["conversion_id"][1:]))
    assert received == expected


def test_upload_piped_into_a_reader_that_stops_ends_quietly_and_resumable(demo_env, files, sandbox):
    # `twconv upload ... | head -1`: once the reader is gone, the upload stops as after a
    # Ctrl-C (no traceback), and the job is recorded so that --resume sends the rest.
    sandbox.faults.slow(0.2, count=None)
    process = start_twconv(*upload_args(files, sandbox), "--workers", "1", output=subprocess.PIPE)
    assert process.stdout.readline().startswith(b"batch 1/")
    process.stdout.close()
    assert process.wait(60) == 1
    assert process.stderr.read() == b""
    process.stderr.close()
    with Journal(paths.journal_path()) as journal:
        [job] = journal.jobs()
    assert job.status is JobStatus.CANCELLED
    sandbox.faults.clear()
    assert main([*upload_args(files, sandbox), "--resume"]) == 0
    counts = Counter(c["conversion_id"] for c in sandbox.accepted_conversions())
    assert len(counts) == 600
    assert set(counts.values()) == {1}


def test_an_upload_inside_another_program_leaves_its_garbage_collection_as_it_was(
    demo_env, files, sandbox, capsys
):
    threshold = gc.get_threshold()
    assert main(upload_args(files, sandbox)) == 0
    assert gc.get_threshold() == threshold
    assert gc.get_freeze_count() == 0


def test_second_upload_refused_with_exit_2(demo_env, files, sandbox, capsys):
    assert main(upload_args(files, sandbox)) == 0
    capsys.readouterr()
    assert main(upload_args(files, sandbox)) == 2
    assert "--force" in capsys.readouterr().err
    assert len(sandbox.accepted) == 6


def test_missing_credentials_is_a_clear_usage_error(files, sandbox, capsys):
    assert main(upload_args(files, sandbox)) == 2
    err = capsys.readouterr().err
    assert "TWCONV_CONSUMER_KEY" in err
    assert sandbox.requests_seen == 0


def test_wrong_credentials_exit_2_with_what_to_check(demo_env, files, sandbox, capsys, monkeypatch):
    monkeypatch.setenv("TWCONV_CONSUMER_SECRET", "not-the-secret-at-all")
    assert main(upload_args(files, sandbox)) == 2
    captured = capsys.readouterr()
    assert "refused the credentials" in captured.out
    assert "not-the-secret-at-all" not in captured.out + captured.err


def test_no_raw_identifier_or_secret_in_reports_logs_or_journal(
    demo_env, files, sandbox, capsys, private_data_dir
):
    sandbox.faults.reject("D7")
    sandbox.faults.server_error(503, count=1)
    assert main(upload_args(files, sandbox)) == 1
    written = [p for p in private_data_dir.rglob("*") if p.is_file()]
    assert any(p.name == "twconv.log" for p in written)
    assert any(p.suffix == ".xlsx" for p in written)
    blobs = b"".join(p.read_bytes() for p in written)
    for secret in (DEMO.consumer_secret, DEMO.access_token_secret):
        assert secret.encode() not in blobs
    for email in EMAILS[:50]:
        assert email.encode() not in blobs
    assert b"555-0001" not in blobs
    [rejected] = [p for p in written if p.name == "rejected-rows.csv"]
    lines = rejected.read_text("utf-8-sig").splitlines()
    assert lines[1].startswith("9,,error,")  # D7 sits on spreadsheet row 9
    assert "INVALID_PARAMETER" in lines[1]


def test_kill_9_mid_upload_then_resume_sends_each_batch_once(demo_env, files, sandbox, capsys):
    sandbox.faults.slow(0.15, count=None)
    process = start_twconv(*upload_args(files, sandbox), "--workers", "2")
    try:
        deadline = time.monotonic() + 30
        with Journal(paths.journal_path()) as journal:
            while time.monotonic() < deadline:
                jobs = journal.jobs()
                if jobs and len(journal.acknowledged(jobs[0].id)) >= 2:
                    break
                time.sleep(0.05)
            os.kill(process.pid, signal.SIGKILL)
            process.wait(10)
            [job] = journal.jobs()
            assert job.status is JobStatus.RUNNING  # what a crash leaves behind
            batches = journal.batches(job.id)
            acknowledged = [b for b in batches if b.status is BatchStatus.ACKNOWLEDGED]
            in_flight = [b for b in batches if b.status is BatchStatus.IN_FLIGHT]
    finally:
        if process.poll() is None:
            process.kill()
    assert 2 <= len(acknowledged) < 6
    sandbox.faults.clear()
    assert main([*upload_args(files, sandbox), "--workers", "2", "--resume"]) == 0
    counts = Counter(c["conversion_id"] for c in sandbox.accepted_conversions())
    assert set(counts) == {f"D{i}" for i in range(600)}
    # Only a batch that was in flight at the kill may have reached X twice.
    maybe_twice = {f"D{row - 2}" for b in in_flight for row in expand_rows(b.rows)}
    assert {i for i, n in counts.items() if n > 1} <= maybe_twice
    once = {f"D{row - 2}" for b in acknowledged for row in expand_rows(b.rows)}
    assert all(counts[i] == 1 for i in once)
    assert "acknowledged by the earlier run" in capsys.readouterr().out


def test_dry_run_needs_no_credentials_and_sends_nothing(files, sandbox, capsys, tmp_path):
    code = main([*upload_args(files, sandbox), "--dry-run", "--report-dir", str(tmp_path / "r")])
    assert code == 0
    assert sandbox.requests_seen == 0
    assert "Dry run: 600 conversions in 6 batches would be sent" in capsys.readouterr().out
    assert (tmp_path / "r" / "batches.csv").exists()
