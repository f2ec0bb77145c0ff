"""The first look at the time and amount columns, taken by a helper while `twconv upload` loads."""

import csv
import json
import subprocess
import sys
import threading
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import pytest

from twconv_gui.core.errors import Cancelled
from twconv_gui.core.prepare import first_look

# Run in a process of its own, as `twconv upload` runs: only a process without other threads
# forks its helpers, and only forked helpers can take the first look at an open file.
_SCRIPT = """
import json, sys
from twconv_gui.core.prepare import first_look, parallel
from twconv_gui.core.errors import ReadError
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.prepare.preparation import Preparation
from twconv_gui.core.reading.opening import open_table

parallel.available_cores = lambda: 2
path, profile = sys.argv[1], MappingProfile.from_dict(json.loads(sys.argv[2]))

def run(preparation):
    try:
        events = [(e.rows, e.event, [p.message for p in e.problems]) for e in preparation]
        return {"events": events, "notes": preparation.summary.column_notes}
    except ReadError as error:
        return {"error": str(error)}

table = open_table(path)
first_look.start_early(table, profile)
look_here = first_look.first_look
def no_look_here(*args, **kwargs):
    raise AssertionError("the preparation took the first look itself")
first_look.first_look = no_look_here
early = run(Preparation(table, profile))
first_look.first_look = look_here
here = run(Preparation(open_table(path), profile, workers=1))
print(json.dumps({"early": early, "same": early == here}))
"""

MAPPING = {
    "columns": {"conversion_time": "Date", "email": "Email", "value": "Total"},
    "constants": {"event_id": "o87ne"},
    "timezone": "Europe/Berlin",
}


def _look(path):
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(path), json.dumps(MAPPING)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked helpers: Linux only")
def test_a_helper_takes_the_first_look_and_the_events_are_the_same(tmp_path):
    path = tmp_path / "orders.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date", "Email", "Total"])
        for i in range(31_000):  # a file big enough for helpers
            # Day and month both 12 or less everywhere: a note says the order was assumed.
            when = f"{1 + i % 12:02d}/{1 + i % 11:02d}/2026 10:{i % 60:02d}"
            writer.writerow([when, f"buyer{i}@example.com", f"{i % 500},{i % 100:02d}"])
    found = _look(path)
    assert found["same"]
    assert any("day/month/year or month/day/year" in n for n in found["early"]["notes"])
    assert len(found["early"]["events"]) == 31_000


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked helpers: Linux only")
def test_a_file_that_breaks_far_in_gives_the_same_message_from_the_helpers_look(tmp_path):
    head = "Date,Email,Total\n2026-10-01 09:00,zoë@x.com,1.00\n".encode()  # UTF-8 at first
    body = b"".join(b"2026-10-01 10:00,a%d@x.com,12.50\n" % i for i in range(40_000))
    path = tmp_path / "mixed.csv"
    path.write_bytes(head + body + b"2026-10-01 10:00,Ren\xe9@x.com,3.00\n")
    found = _look(path)
    assert found["same"]
    assert "mixed.csv is not entirely in the utf-8" in found["early"]["error"]


def _waiting_look(monkeypatch, future):
    table, profile = object(), object()  # matched by identity only
    monkeypatch.setattr(first_look, "_early", [(table, profile, future)])
    return table, profile


def test_cancelling_while_a_helper_looks_stops_the_wait(monkeypatch):
    table, profile = _waiting_look(monkeypatch, Future())  # a look that never ends
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    with pytest.raises(Cancelled):
        first_look.take_early(table, profile, cancel)
    assert first_look.take_early(table, profile, None) is None  # it was taken once


def test_a_helper_that_died_leaves_the_look_to_the_preparation(monkeypatch, caplog):
    died = Future()
    died.set_exception(BrokenProcessPool("gone"))
    table, profile = _waiting_look(monkeypatch, died)
    assert first_look.take_early(object(), profile, None) is None  # another table: not its
    with caplog.at_level("WARNING", logger="twconv_gui.core.prepare.first_look"):
        assert first_look.take_early(table, profile, None) is None
    assert "looking here" in caplog.text
