"""The diagnostics a user reads before sending: coverage, repeats, dates, values, reasons."""

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.normalize.amounts import round_to_currency
from twconv_gui.core.prepare.diagnostics import Diagnostics
from twconv_gui.core.prepare.event_tally import EventTally, moments
from twconv_gui.core.prepare.preparation import Preparation
from twconv_gui.core.reading.opening import open_table

NOW = datetime(2024, 3, 20, 12, 0, tzinfo=UTC)
HEADER = ["Order", "Date", "Email", "Phone", "Click", "Total", "Currency", "Status"]
MAPPING = {
    "columns": {
        "conversion_id": "Order",
        "conversion_time": "Date",
        "email": "Email",
        "phone": "Phone",
        "twclid": "Click",
        "value": "Total",
        "price_currency": "Currency",
    },
    "constants": {"event_id": "o87ne"},
    "phone_region": "US",
    "filters": [{"column": "Status", "drop": ["Failed"]}],
}


def _rows():
    rows = [
        # email + phone, EUR
        ["A1", "2024-03-18 10:00", "a@b.co", "+12125550134", "", "10.005", "EUR", "Paid"],
        # email only, EUR, repeats A1's id
        ["A1", "2024-03-18 11:00", "c@b.co", "", "", "20", "EUR", "Paid"],
        # click id only, JPY, in the future
        ["A3", "2024-03-25 10:00", "", "", "ABCdef123", "1234.5", "JPY", "Paid"],
        # email, EUR, older than 14 days
        ["A4", "2024-02-01 10:00", "d@b.co", "", "", "30", "EUR", "Paid"],
        # left out by the filter
        ["A5", "2024-03-18 10:00", "e@b.co", "", "", "5", "EUR", "Failed"],
    ]
    # seven rows without any identifier: one reason, seven rows, first five listed
    rows += [[f"B{i}", "2024-03-19 10:00", "", "", "", "1", "EUR", "Paid"] for i in range(7)]
    return rows


@pytest.mark.parametrize("encoded", [False, True])
def test_diagnostics_say_what_x_can_match_and_why_rows_fail(export, encoded):
    path = export(HEADER, _rows())
    preparation = Preparation(
        open_table(path), MappingProfile.from_dict(MAPPING), workers=1, now=NOW
    )
    if encoded:
        list(preparation.encoded_chunks())
    else:
        list(preparation)
    d = preparation.summary.diagnostics
    assert d.conversions == 4
    assert (d.with_email, d.with_phone, d.with_twclid, d.with_two_or_more) == (3, 1, 1, 1)
    assert d.repeated_ids == 1
    assert (d.first_day, d.last_day) == ("2024-02-01", "2024-03-25")
    assert d.per_day["2024-03-18"] == (2, "30.01")  # EUR, the main currency, to the cent
    assert (d.in_future, d.older_than_window, d.window_days) == (1, 1, 14)
    eur, jpy = d.currencies
    assert (eur.currency, eur.conversions, eur.total, eur.median) == ("EUR", 3, "60.01", "20.00")
    assert (jpy.currency, jpy.total, jpy.median) == ("JPY", "1235", "1235")  # no minor unit
    assert d.left_out_by_filter == {"Status is Failed": 1}
    [no_id] = [g for g in d.groups if g.reason.startswith("has no identifier")]
    assert (no_id.severity, no_id.count, no_id.first_rows) == ("error", 7, [7, 8, 9, 10, 11])
    [repeat] = [g for g in d.groups if g.field == "conversion_id"]
    assert repeat.reason.startswith("repeats the conversion id of another row;")
    assert (repeat.count, repeat.first_rows) == (1, [3])
    [left_out] = [g for g in d.groups if g.severity == "left out"]
    assert (left_out.count, left_out.first_rows) == (1, [6])
    assert d.groups[0].severity == "error"  # rejections come first
    assert "@" not in repr(d)  # no raw emails...
    assert "555" not in repr(d)  # ...or phones


def test_same_reason_with_different_row_numbers_is_one_group(export):
    rows = [[f"O{i % 3}", "2024-03-18 10:00", f"u{i}@b.co", "", "", "", "", ""] for i in range(9)]
    path = export(HEADER, rows)
    mapping = {**MAPPING, "filters": []}
    preparation = Preparation(open_table(path), MappingProfile.from_dict(mapping), now=NOW)
    list(preparation)
    [group] = preparation.summary.diagnostics.groups
    assert group.count == 6  # rows 5-10 repeat the ids of rows 2, 3 and 4
    assert group.first_rows == [5, 6, 7, 8, 9]
    assert "row 2" not in group.reason
    assert "another row" in group.reason


def test_attribution_window_is_a_setting(export):
    path = export(HEADER, _rows())
    preparation = Preparation(
        open_table(path), MappingProfile.from_dict(MAPPING), now=NOW, attribution_days=1
    )
    list(preparation)
    d = preparation.summary.diagnostics
    assert (d.window_days, d.older_than_window) == (1, 3)  # 18 and 1 March are > 1 day old


def test_worker_processes_give_the_same_diagnostics(export):
    rows = [
        [f"O{i}", f"2024-03-{1 + i % 19:02d} 10:00", f"u{i}@b.co", "", "", f"{i % 50}.5", "USD", ""]
        for i in range(6000)
    ]
    path = export(HEADER, rows)
    profile = MappingProfile.from_dict({**MAPPING, "filters": []})
    single = Preparation(open_table(path), profile, workers=1, now=NOW)
    list(single.encoded_chunks())
    parallel = Preparation(open_table(path), profile, workers=2, now=NOW)
    list(parallel.encoded_chunks())
    assert parallel.summary.diagnostics == single.summary.diagnostics
    assert single.summary.diagnostics.conversions == 6000
    assert single.summary.diagnostics.currencies[0].median == "25.00"  # between 24.5 and 25.5


def test_line_items_of_one_order_count_as_one_conversion(export):
    rows = [
        ["A1", "2024-03-18 10:00", "a@b.co", "", "", "10", "EUR", "Paid"],
        ["A1", "2024-03-18 10:00", "a@b.co", "", "", "5.5", "EUR", "Paid"],
        ["A2", "2024-03-19 10:00", "", "", "", "3", "EUR", "Paid"],  # no identifier
    ]
    path = export(HEADER, rows)
    mapping = {**MAPPING, "filters": [], "group_by_conversion_id": True}
    for encoded in (False, True):
        preparation = Preparation(open_table(path), MappingProfile.from_dict(mapping), now=NOW)
        list(preparation.encoded_chunks() if encoded else preparation)
        d = preparation.summary.diagnostics
        assert (d.conversions, d.with_email, d.repeated_ids) == (1, 1, 0)
        [eur] = d.currencies
        assert (eur.total, eur.median) == ("15.50", "15.50")
        assert [(g.severity, g.count, g.first_rows) for g in d.groups] == [("error", 1, [4])]


@given(
    st.lists(st.decimals(min_value=0, max_value=100_000, places=2), min_size=1, max_size=80),
    st.integers(min_value=1, max_value=9),
)
def test_total_and_median_are_those_of_every_conversion(amounts, chunk):
    # Tallies are made a chunk at a time and merged, as the workers' are; a value may recur
    # within a chunk and across chunks.
    events = [
        {
            "conversion_time": "2026-01-01T00:00:00.000Z",
            "identifiers": [{"twclid": "x"}],
            "value": float(amount),
            "price_currency": "EUR",
        }
        for amount in amounts
    ]
    whole = EventTally()
    for start in range(0, len(events), chunk):
        whole.merge(EventTally.of_events(events[start : start + chunk], moments(NOW, 14)))
    figures = Diagnostics()
    whole.fill(figures)
    [eur] = figures.currencies
    ordered = sorted(amounts)
    middle = (ordered[(len(amounts) - 1) // 2] + ordered[len(amounts) // 2]) / 2
    assert eur.conversions == len(amounts)
    assert eur.total == str(round_to_currency(sum(amounts), "EUR"))
    assert eur.median == str(round_to_currency(middle, "EUR"))
