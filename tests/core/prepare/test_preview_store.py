"""The preview's compact rows: what a user sees of each conversion is what was prepared, and a
big file's preview holds a small fraction of the memory one object per conversion took."""

import gc
import tracemalloc
from array import array

import pytest

from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.prepare.preparation import Preparation
from twconv_gui.core.prepare.preview import LEFT_OUT, READY, REJECTED, WARNING, build_preview
from twconv_gui.core.prepare.preview_store import BLOCK, LaterRows, PackedColumn
from twconv_gui.core.reading.opening import open_table

ROWS = 2 * BLOCK + 700  # more than two blocks, and more than one chunk of the preparation


def test_a_packed_column_gives_back_each_value_across_blocks():
    values = [f"v{i}".encode() for i in range(ROWS)]
    for i in range(0, ROWS, 7):
        values[i] = None
    for i in range(3, ROWS, 11):
        values[i] = b""  # empty, not missing
    column = PackedColumn()
    for value in values[: BLOCK + 5]:
        column.append(value)
    assert column.get(BLOCK + 4) == values[BLOCK + 4]  # still being written
    assert column.get(3) == values[3]  # in a sealed, compressed block
    column.put(len(values) - 1, values[-1])  # the positions between stay empty
    column.finish(len(values) + 3)
    assert len(column) == len(values) + 3
    assert column.get(len(values) - 1) == values[-1]
    assert [column.get(i) for i in range(BLOCK + 5)] == values[: BLOCK + 5]
    assert all(column.get(i) is None for i in range(BLOCK + 5, len(values) - 1))
    assert column.get(len(values) + 2) is None
    with pytest.raises(ValueError, match="already written"):
        column.put(10, b"late")


def test_later_rows_find_the_conversion_of_each_row_given_in_any_order():
    # Rows of orders sorted by product come position by position, not row by row.
    pairs = {900_000_001: 3, 12: 0, 2_000_000_000: 4_000_000, 13: 0, 7: 5}
    later = LaterRows(array("q", [row << 32 | position for row, position in pairs.items()]))
    assert {row: later.get(row) for row in pairs} == pairs
    assert [later.get(row) for row in (1, 8, 14, 900_000_000, 2_000_000_001)] == [None] * 5


@pytest.fixture
def big_export(export):
    rows = []
    for i in range(ROWS):
        email = f"User{i}@Example.com"
        if i % 97 == 5:
            email = "not an address"  # rejected when it is the only identifier
        phone = f"(212) 555-{i % 10000:04d}" if i % 3 else ""
        if i % 89 == 7:
            phone = "12"  # beside a good email: a warning
        status = "Refunded" if i % 101 == 9 else "Paid"
        rows.append([f"W-{i}", f"2026-03-{i % 28 + 1:02d} 10:{i % 60:02d}", email, phone,
                     f"{i % 500}.25", status])  # fmt: skip
    path = export(["Order", "Time", "Email", "Phone", "Total", "Status"], rows)
    profile = MappingProfile.from_dict(
        {
            "columns": {
                "conversion_id": "Order",
                "conversion_time": "Time",
                "email": "Email",
                "phone": "Phone",
                "value": "Total",
            },
            "constants": {"event_id": "o87ne", "price_currency": "USD"},
            "phone_region": "US",
            "filters": [{"column": "Status", "drop": ["Refunded"]}],
        }
    )
    return path, profile


def test_every_conversion_shows_as_it_was_prepared(big_export):
    path, profile = big_export
    result = build_preview(open_table(path), profile, workers=1)
    prepared = list(Preparation(open_table(path), profile, workers=1))
    assert len(result.rows) == len(prepared) == ROWS
    statuses = set()
    for position, (shown, expected) in enumerate(zip(result.rows, prepared, strict=True)):
        assert shown.rows == expected.rows
        assert shown.event == expected.event
        assert shown.problems == expected.problems
        i = shown.rows[0] - 2
        statuses.add(shown.status)
        if shown.status in (REJECTED, LEFT_OUT):
            assert shown.event is None
            assert shown.source_value(result.source_fields, "conversion_id") == f"W-{i}"
            assert position in result.problem_indices
        else:
            assert shown.source is None
            bad_email = i % 97 == 5
            assert shown.email_normalized == (None if bad_email else f"user{i}@example.com")
            assert ("hashed_email" in shown.identifiers) is not bad_email
        if shown.status == READY and i % 3:
            assert shown.phone_e164 == f"+1212555{i % 10000:04d}"
    assert statuses == {READY, WARNING, REJECTED, LEFT_OUT}
    assert len(result.ready_indices) == sum(1 for p in prepared if p.event is not None)


def test_the_preview_lists_every_problem_as_the_preparation_does(big_export):
    path, profile = big_export
    preparation = Preparation(open_table(path), profile, workers=1)
    list(preparation)
    summary = build_preview(open_table(path), profile, workers=1).summary
    assert len(summary.problems) == len(preparation.summary.problems) > 0
    assert list(summary.problems) == preparation.summary.problems  # for the rejected-rows report
    assert summary.rejected_rows == preparation.summary.rejected_rows
    assert summary.problems[-1] == preparation.summary.problems[-1]


def test_an_order_whose_rows_are_far_apart_shows_the_identifier_of_its_last_row(export):
    rows = [[f"O-{i}", "2026-03-01 10:00", f"buyer{i}@example.com"] for i in range(ROWS)]
    rows[0][2] = ""  # O-0's address comes only on its last line, far below
    rows.append(["O-0", "2026-03-01 10:00", "Late@Example.com"])
    path = export(["Order", "Time", "Email"], rows)
    profile = MappingProfile.from_dict(
        {
            "columns": {"conversion_id": "Order", "conversion_time": "Time", "email": "Email"},
            "constants": {"event_id": "o87ne"},
            "group_by_conversion_id": True,
        }
    )
    result = build_preview(open_table(path), profile, workers=1)
    assert len(result.rows) == ROWS
    first = result.rows[0]
    assert first.rows == (2, ROWS + 2)
    assert first.email_normalized == "late@example.com"
    assert [row.email_normalized for row in result.rows[1:4]] == [
        "buyer1@example.com",
        "buyer2@example.com",
        "buyer3@example.com",
    ]
    assert result.rows[-1].email_normalized == f"buyer{ROWS - 1}@example.com"


def held_by_preview(table, profile):
    """Bytes a built preview holds (what is freed when it goes), and its conversions."""
    gc.collect()
    tracemalloc.start()
    try:
        result = build_preview(table, profile, workers=1)
        gc.collect()
        with_preview = tracemalloc.get_traced_memory()[0]
        conversions = len(result.rows)
        del result
        gc.collect()
        return with_preview - tracemalloc.get_traced_memory()[0], conversions
    finally:
        tracemalloc.stop()


def test_a_big_preview_holds_a_few_hundred_bytes_per_conversion(big_export):
    # One object per conversion (a dict per event, a row object) held about 1,300 bytes each.
    path, profile = big_export
    held, conversions = held_by_preview(open_table(path), profile)
    assert held / conversions < 350


def test_a_warning_on_every_row_keeps_the_preview_small(export):
    # Every row repeats an id and names the row it repeats: a different message on each.
    rows = [[f"P-{i % 50}", "2026-03-01 10:00", f"c{i}@example.com"] for i in range(ROWS)]
    path = export(["Payment", "Time", "Email"], rows)
    profile = MappingProfile.from_dict(
        {
            "columns": {"conversion_id": "Payment", "conversion_time": "Time", "email": "Email"},
            "constants": {"event_id": "o87ne"},
        }
    )
    table = open_table(path)
    build_preview(table, profile, workers=1)  # imports and caches warmed outside the count
    held, _ = held_by_preview(table, profile)
    # A Problem object per row, and its message, held 535 bytes a row here; packed, 177.
    assert held / len(rows) < 250, held / len(rows)
