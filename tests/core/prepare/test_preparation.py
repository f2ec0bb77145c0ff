"""The preparation pipeline: from a real export file to the exact conversion objects."""

import hashlib
import json
import os
import subprocess
import sys
import threading
from datetime import UTC, datetime

import pytest

from twconv_gui.core.errors import Cancelled, MappingError, TwconvError
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.payload import join_conversions
from twconv_gui.core.prepare import parallel
from twconv_gui.core.prepare.batching import batches
from twconv_gui.core.prepare.parallel import WORKER_NICENESS, ChunkConverter
from twconv_gui.core.prepare.preparation import Preparation
from twconv_gui.core.reading.opening import open_table

TEST_EMAIL_HASH = "e586883b2b4faf78d48300a79e0e15138d664cdf796ffb86e533170a9893eda8"
PLUS_PHONE_HASH = "253f19c09c76809aa11945560a9b8ec066b80858ce80523dff738740c6d552e3"  # +12125550134


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def prepare(path, **profile):
    profile.setdefault("constants", {"event_id": "o87ne"})
    preparation = Preparation(open_table(path), MappingProfile.from_dict(profile))
    return list(preparation), preparation.summary


def test_a_full_row_becomes_the_exact_conversion_object(export):
    path = export(
        ["Order ID", "Order Date", "Email", "Phone", "Landing URL", "Total", "Currency", "Items"],
        [
            [
                "23294827.0",
                "2024-03-15 10:30",
                "  Test-Email@Test.com ",
                "+1 212 555 0134",
                "https://shop.example/p?utm=x&twclid=2-abc123XYZ",
                "$1,234.50",
                "usd",
                "3.0",
            ]
        ],
    )
    columns = {
        "conversion_id": "Order ID",
        "conversion_time": "Order Date",
        "email": "Email",
        "phone": "Phone",
        "twclid": "Landing URL",
        "value": "Total",
        "price_currency": "Currency",
        "number_items": "Items",
    }
    results, summary = prepare(path, columns=columns, timezone="America/New_York")
    assert [r.event for r in results] == [
        {
            "conversion_time": "2024-03-15T14:30:00.000Z",  # EDT is UTC-4 in mid March
            "event_id": "o87ne",
            "identifiers": [
                {"twclid": "2-abc123XYZ"},
                {"hashed_email": TEST_EMAIL_HASH},
                {"hashed_phone_number": PLUS_PHONE_HASH},
            ],
            "number_items": 3,
            "price_currency": "USD",
            "value": 1234.5,
            "conversion_id": "23294827",
        }
    ]
    assert results[0].rows == (2,)
    assert (summary.rows_read, summary.events_ready, summary.rows_rejected) == (1, 1, 0)


def test_invalid_email_rejects_a_row_that_has_nothing_else(export):
    path = export(
        ["Date", "Email", "Phone"],
        [
            ["2024-01-02T10:00:00Z", "jane.doe(at)example.com", ""],
            ["2024-01-02T11:00:00Z", "jane.doe(at)example.com", "(212) 555-0134"],
        ],
    )
    results, summary = prepare(
        path,
        columns={"conversion_time": "Date", "email": "Email", "phone": "Phone"},
        phone_region="US",
    )
    rejected, kept = results
    assert rejected.event is None
    [problem] = rejected.problems
    assert (problem.row, problem.field, problem.column, problem.is_error) == (
        2,
        "email",
        "Email",
        True,
    )
    assert "jane.doe" not in problem.message
    assert kept.event["identifiers"] == [{"hashed_phone_number": sha("+12125550134")}]
    [warning] = kept.problems
    assert (warning.row, warning.field, warning.is_error) == (3, "email", False)
    assert "left out" in warning.message
    assert (summary.rows_rejected, summary.events_ready, summary.warnings) == (1, 1, 1)
    assert summary.rejected_rows == [2]


def test_rows_without_identifier_and_ip_pairs(export):
    path = export(
        ["Date", "Email", "IP", "UA"],
        [
            ["2024-01-02 10:00", "", "", ""],
            ["2024-01-02 10:00", "", "203.0.113.9", "Mozilla/5.0"],
            ["2024-01-02 10:00", "a@b.co", "203.0.113.9", ""],
            ["2024-01-02 10:00", "a@b.co", "2001:DB8::0:1", "Mozilla/5.0"],
        ],
    )
    columns = {"conversion_time": "Date", "email": "Email", "ip_address": "IP", "user_agent": "UA"}
    none, only_pair, half_pair, full = prepare(path, columns=columns)[0]
    assert none.event is None
    assert "has no identifier (Email, IP, UA are empty)" in none.problems[0].message
    # X: the ip + user agent pair alone identifies a visitor; a lone ip goes beside an email.
    assert only_pair.event["identifiers"] == [
        {"ip_address": "203.0.113.9", "user_agent": "Mozilla/5.0"}
    ]
    assert half_pair.event["identifiers"] == [
        {"hashed_email": sha("a@b.co")},
        {"ip_address": "203.0.113.9"},
    ]
    assert not half_pair.problems
    assert full.event["identifiers"] == [
        {"hashed_email": sha("a@b.co")},
        {"ip_address": "2001:db8::1", "user_agent": "Mozilla/5.0"},
    ]


def test_row_numbers_are_those_of_the_spreadsheet(export):
    path = export(
        ["Date", "Email"],
        [["2024-01-02 10:00", "a@b.co"], ["", ""], ["2024-01-02 10:00", "nope"]],
        above=[["Sales export October"], []],
    )
    results, summary = prepare(path, columns={"conversion_time": "Date", "email": "Email"})
    assert [r.rows for r in results] == [(4,), (6,)]
    assert summary.rejected_rows == [6]


def test_line_items_grouped_into_one_conversion_per_order(export):
    header = ["Order", "Created", "Email", "Total", "SKU", "Item price", "Qty"]
    rows = [
        ["1001", "2024-05-01 12:00", "a@b.co", "10.00", "SKU-1", "4.00", "1"],
        ["1002", "2024-05-01 13:00", "c@d.co", "7.50", "SKU-9", "7.50", "1"],
        ["1001", "", "", "6.00", "SKU-2", "3.00", "2"],
        ["1003", "2024-05-02 09:00", "e@f.co", "1.00", "SKU-3", "1.00", "1"],
        ["1003", "2024-05-03 09:00", "e@f.co", "1.00", "SKU-4", "1.00", "1"],
    ]
    columns = {
        "conversion_id": "Order",
        "conversion_time": "Created",
        "email": "Email",
        "value": "Total",
        "content_id": "SKU",
        "content_price": "Item price",
        "content_num_items": "Qty",
    }
    results, summary = prepare(export(header, rows), columns=columns, group_by_conversion_id=True)
    first, second, third = results
    assert first.rows == (2, 4)
    assert first.event["value"] == 16.0
    assert first.event["number_items"] == 3  # from the item quantities: no number_items column
    assert first.event["contents"] == [
        {"content_id": "SKU-1", "content_price": 4.0, "num_items": 1},
        {"content_id": "SKU-2", "content_price": 3.0, "num_items": 2},
    ]
    assert second.event["conversion_id"] == "1002"
    assert third.event is None  # two different times for one order
    assert {(p.row, p.field) for p in third.problems} >= {(6, "conversion_time")}
    assert summary.rows_rejected == 2
    assert summary.rows_ready == 3
    assert summary.events_ready == 2


def test_repeated_conversion_id_without_grouping_is_a_warning(export):
    path = export(
        ["Order", "Date", "Email"],
        [["A1", "2024-01-02 10:00", "a@b.co"], ["A1", "2024-01-02 10:00", "a@b.co"]],
    )
    columns = {"conversion_id": "Order", "conversion_time": "Date", "email": "Email"}
    first, second = prepare(path, columns=columns)[0]
    assert first.problems == ()
    assert second.ok
    assert "repeats the conversion id of row 2" in second.problems[0].message


@pytest.mark.parametrize("workers", [1, 2])
def test_repeated_conversion_ids_are_found_within_and_across_chunks(export, workers):
    # Rows go in chunks of 500, 500, 1000, then 2000: ids repeat inside a chunk, across
    # chunks, on a rejected row (not counted), and most chunks repeat none.
    ids = [f"O{i}" for i in range(4300)]
    ids[10] = ids[3]  # inside the first chunk
    ids[700] = ids[20]  # the second chunk repeats the first
    ids[4100] = ids[1500]  # the last chunk repeats the third
    ids[4200] = ids[4199]  # a repeat of a rejected row's id is the first of that id sent
    emails = ["bad" if i == 4199 else f"u{i}@b.co" for i in range(4300)]
    rows = [[cid, "2024-01-02 10:00", email] for cid, email in zip(ids, emails, strict=True)]
    path = export(["Order", "Date", "Email"], rows)
    profile = MappingProfile.from_dict(
        {
            "columns": {"conversion_id": "Order", "conversion_time": "Date", "email": "Email"},
            "constants": {"event_id": "o87ne"},
        }
    )
    expected = {12: 5, 702: 22, 4102: 1502}  # data row i is file row i + 2
    now = datetime(2024, 1, 9, tzinfo=UTC)  # the diagnostics of both paths agree
    checked = Preparation(open_table(path), profile, workers=workers, now=now)
    found = {p.row: p.message for e in checked for p in e.problems if p.field == "conversion_id"}
    assert set(found) == set(expected)
    for row, first in expected.items():
        assert f"repeats the conversion id of row {first};" in found[row]
    uploaded = Preparation(open_table(path), profile, workers=workers, now=now)
    chunks = list(uploaded.encoded_chunks())
    assert [len(c) for c in chunks] == [500, 500, 1000, 2000, 300]
    events = [e for c in chunks for e in c.events()]
    assert [(e.rows, e.problems) for e in events] == [
        (e.rows, e.problems) for e in Preparation(open_table(path), profile, workers=1)
    ]
    assert uploaded.summary == checked.summary
    assert uploaded.summary.warnings == 3
    assert uploaded.summary.rows_rejected == 1


def test_currency_taken_from_the_amount_when_not_mapped(export):
    path = export(["Date", "Email", "Betrag"], [["2024-01-02 10:00", "a@b.co", "1.234,50 €"]])
    [result] = prepare(
        path, columns={"conversion_time": "Date", "email": "Email", "value": "Betrag"}
    )[0]
    assert (result.event["value"], result.event["price_currency"]) == (1234.5, "EUR")


def test_ambiguous_day_month_column_is_reported_not_guessed(export):
    path = export(["Date", "Email"], [["03/04/2024", "a@b.co"], ["05/05/2024", "a@b.co"]])
    results, summary = prepare(path, columns={"conversion_time": "Date", "email": "Email"})
    assert results[0].event is None
    assert results[0].problems[0].field == "conversion_time"
    assert results[1].event["conversion_time"] == "2024-05-05T00:00:00.000Z"
    [note] = [n for n in summary.column_notes if n.startswith('Column "Date"')]
    assert "day" in note


def test_bad_constant_is_a_mapping_error(export):
    path = export(["Date", "Email"], [["2024-01-02 10:00", "a@b.co"]])
    profile = MappingProfile.from_dict(
        {
            "columns": {"conversion_time": "Date", "email": "Email"},
            "constants": {"event_id": "o8 7"},
        }
    )
    with pytest.raises(MappingError, match="constant event_id"):
        list(Preparation(open_table(path), profile))


def test_cancel_stops_a_long_preparation(export):
    path = export(["Date", "Email"], [["2024-01-02 10:00", f"u{i}@b.co"] for i in range(5000)])
    cancel = threading.Event()
    cancel.set()
    profile = MappingProfile.from_dict(
        {
            "columns": {"conversion_time": "Date", "email": "Email"},
            "constants": {"event_id": "o87ne"},
        }
    )
    with pytest.raises(Cancelled):
        list(Preparation(open_table(path), profile, cancel=cancel))


def test_batches_keep_file_order_and_skip_rejected_rows(export):
    rows = [["2024-01-02 10:00", f"u{i}@b.co" if i != 7 else "bad"] for i in range(1203)]
    path = export(["Date", "Email"], rows)
    profile = MappingProfile.from_dict(
        {
            "columns": {"conversion_time": "Date", "email": "Email"},
            "constants": {"event_id": "o87ne"},
        }
    )
    found = list(batches(Preparation(open_table(path), profile).encoded_chunks(), size=500))
    assert [len(b.events) for b in found] == [500, 500, 202]
    assert [b.number for b in found] == [1, 2, 3]
    assert found[0].first_row == 2
    assert 9 not in [r[0] for r in found[0].rows]  # row 9 holds "bad"
    assert found[2].last_row == 1204
    assert found[0].payload()["conversions"][0]["identifiers"] == [{"hashed_email": sha("u0@b.co")}]
    with pytest.raises(TwconvError, match="1 to 500"):
        list(batches([], size=501))
    # A pixel token is checked with the first request: it holds one sale, the rest follow.
    chunks = Preparation(open_table(path), profile).encoded_chunks()
    first_small = list(batches(chunks, size=500, first_size=1))
    assert [len(b.events) for b in first_small] == [1, 500, 500, 201]
    assert [b.first_row for b in first_small[:2]] == [2, 3]
    tiny = list(batches(Preparation(open_table(path), profile).encoded_chunks(), 2, first_size=1))
    assert sum(len(b.events) for b in tiny) == 1202


@pytest.mark.parametrize("group", [False, True])
def test_worker_processes_give_the_same_results_in_the_same_order(export, group):
    rows = []
    for i in range(4500):
        email = "broken" if i % 97 == 0 else f"user{i % 1500}@example.com"
        rows.append([f"O{i // 3}", f"2024-02-{1 + i % 28:02d} 10:{i % 60:02d}", email, "2.50"])
    path = export(["Order", "Date", "Email", "Total"], rows)
    profile = MappingProfile.from_dict(
        {
            "columns": {
                "conversion_id": "Order",
                "conversion_time": "Date",
                "email": "Email",
                "value": "Total",
            },
            "constants": {"event_id": "o87ne"},
            "group_by_conversion_id": group,
        }
    )
    serial = Preparation(open_table(path), profile, workers=1)
    pooled = Preparation(open_table(path), profile, workers=2)
    serial_results, pooled_results = list(serial), list(pooled)
    assert pooled_results == serial_results
    assert pooled.summary == serial.summary
    assert serial.summary.rows_read == 4500
    assert serial.summary.rows_rejected > 0  # the "broken" emails
    # Uploads take the same events already encoded, as the workers wrote them.
    encoded = Preparation(open_table(path), profile, workers=2)
    encoded_results = list(encoded.encoded())
    assert encoded.summary == serial.summary
    assert [(e.rows, e.problems) for e in encoded_results] == [
        (r.rows, r.problems) for r in serial_results
    ]
    events = [r.event for r in serial_results if r.event is not None]
    body = json.dumps(
        {"conversions": events}, ensure_ascii=False, allow_nan=False, separators=(",", ":")
    )
    assert join_conversions(e.payload for e in encoded_results if e.payload) == body.encode()
    assert [e.conversion_id for e in encoded_results if e.ok] == [
        ev["conversion_id"] for ev in events
    ]


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process priorities on this system")
def test_worker_processes_convert_at_background_priority():
    # The window and the threads reading X's answers must not wait behind row conversion.
    with ChunkConverter(2) as converter:
        assert converter._pool is not None
        worker_nice = converter._pool.submit(os.nice, 0).result()
    assert worker_nice == min(os.nice(0) + WORKER_NICENESS, 19)


def test_preparation_goes_on_in_one_process_when_helpers_cannot_start(export, monkeypatch, caplog):
    rows = [[f"2024-02-{1 + i % 28:02d} 10:00", f"user{i}@example.com"] for i in range(2500)]
    path = export(["Date", "Email"], rows)
    profile = MappingProfile.from_dict(
        {
            "columns": {"conversion_time": "Date", "email": "Email"},
            "constants": {"event_id": "o87ne"},
        }
    )
    serial = list(Preparation(open_table(path), profile, workers=1))

    def no_processes(*args, **kwargs):
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_processes)
    with caplog.at_level("WARNING", logger="twconv_gui.core.prepare.parallel"):
        assert list(Preparation(open_table(path), profile, workers=2)) == serial
    assert "converting in one process" in caplog.text


def test_helpers_started_early_are_the_ones_that_convert(export, monkeypatch):
    # `twconv upload` starts the helpers before it loads the rest of the app; the
    # preparation must use those, not start a second set.
    monkeypatch.setattr(parallel, "available_cores", lambda: 2)
    parallel.start_early(parallel.PARALLEL_MIN_ROWS)
    parallel.start_early(parallel.PARALLEL_MIN_ROWS)  # asking twice starts them once
    started: list[int] = []
    real_start = parallel._start_pool
    monkeypatch.setattr(parallel, "_start_pool", lambda n: started.append(n) or real_start(n))
    rows = [[f"2024-02-{1 + i % 28:02d} 10:00", f"user{i}@example.com"] for i in range(3000)]
    path = export(["Date", "Email"], rows)
    profile = MappingProfile.from_dict(
        {"columns": {"conversion_time": "Date", "email": "Email"}, "constants": {"event_id": "x"}}
    )
    early = Preparation(open_table(path), profile, workers=2)
    assert len(list(early)) == 3000
    assert early.summary.events_ready == 3000
    assert started == []
    later = Preparation(open_table(path), profile, workers=2)
    assert len(list(later)) == 3000
    assert started == [2]  # the early helpers served one preparation only
    parallel.start_early(10)  # a small file is prepared in this process: nothing starts
    assert parallel._early == {}


_EARLY_HELPERS = """
import os, sys, threading
from twconv_gui.core.prepare import parallel
parallel.available_cores = lambda: 2
if sys.argv[1] == "with-a-thread":
    threading.Thread(target=threading.Event().wait, daemon=True).start()
parallel.start_early(parallel.PARALLEL_MIN_ROWS)
pool, _ = parallel._take_early_pool(2)
print(pool.submit(os.getppid).result() == os.getpid())
pool.shutdown()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked helpers: Linux only")
@pytest.mark.parametrize(("state", "forked"), [("alone", "True"), ("with-a-thread", "False")])
def test_early_helpers_are_forked_only_from_a_process_without_other_threads(state, forked):
    # `twconv upload` forks its helpers (ready at once); with another thread running, a fork
    # could copy a lock that thread holds, so they start through the fork server instead.
    result = subprocess.run(
        [sys.executable, "-c", _EARLY_HELPERS, state],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == forked
