"""Grouped exports: each order finished at its last line, its lines counted as they are read."""

import csv
import dataclasses
import tempfile
import tracemalloc
from datetime import datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.normalize.identifiers import PhoneHasher
from twconv_gui.core.prepare import order_lines
from twconv_gui.core.prepare.first_look import first_look
from twconv_gui.core.prepare.order_lines import LineCounter, OrderLines
from twconv_gui.core.prepare.preparation import Preparation
from twconv_gui.core.prepare.row_values import RowReader, RowValues, pack_lines, unpack_lines
from twconv_gui.core.reading.opening import open_table
from twconv_gui.core.reading.table import Table

HEADER = ["Order", "Name", "Created", "Email", "Total"]


def grouped(**more):
    columns = {
        "conversion_id": ["Order", "Name"],  # Name is read where Order is empty
        "conversion_time": "Created",
        "email": "Email",
        "value": "Total",
    }
    return MappingProfile.from_dict(
        {
            "columns": columns,
            "constants": {"event_id": "o87ne", "price_currency": "EUR"},
            "group_by_conversion_id": True,
            **more,
        }
    )


def line(order, spelled=None, *, fallback=False, total="5.00"):
    written = spelled if spelled is not None else str(order)
    return [
        "" if fallback else written,
        written if fallback else "",
        "2024-05-01 12:00",
        f"buyer{order}@example.com",
        total,
    ]


def write(path: Path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def test_the_count_reads_ids_as_the_preparation_does(export):
    path = export(
        HEADER,
        [
            line(1001, "1001"),
            line(1001, " 1001 "),
            line(1001, "1001.0"),
            line(1001, "1001", fallback=True),
            line(7, "7"),
            line(0, ""),  # no id at all: its own conversion, not counted
        ],
    )
    lines = first_look(open_table(path), grouped()).order_lines
    assert lines is not None
    assert lines.lines == 5
    assert [lines.take("1001") for _ in range(5)] == [False, False, False, True, None]
    assert lines.take("7") is True

    results = list(Preparation(open_table(path), grouped(), workers=1))
    assert [r.rows for r in results] == [(2, 3, 4, 5), (6,), (7,)]
    assert results[0].event["conversion_id"] == "1001"


CELLS = st.one_of(
    st.none(),
    st.sampled_from(["", "  ", "1001", " 1001 ", "1001.0", "1001.5", "#1001", "N/A", "TRUE"]),
    st.sampled_from(["a@b.co", "order a@b.co", "+1 212 555 0134", "(212) 555-0134", "R-7"]),
    st.text(max_size=6),
    st.integers(-5, 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)),
)


@settings(max_examples=300, deadline=None)
@given(
    width=st.integers(1, 3),
    cells=st.lists(st.lists(CELLS, min_size=3, max_size=3), min_size=1, max_size=8),
    constant=st.sampled_from([None, "C-1", " 42.0 "]),
)
def test_the_count_sees_the_ids_the_preparation_reads(width, cells, constant):
    """Every kind of cell a reader gives (text, numbers, booleans, dates, blanks, personal
    data), in the id column and its fallbacks, with or without a constant."""
    names = ["Order", "Name", "Ref"][:width]
    rows = [tuple(row[:width]) for row in cells]
    table = Table(
        path=Path("orders.csv"),
        kind="csv",
        sheet=None,
        sheets=(),
        header_row=1,
        columns=tuple(names),
        source_headers=tuple(names),
        rows_factory=lambda: iter(()),
    )
    constants = {"event_id": "o87ne"} | ({"conversion_id": constant} if constant else {})
    profile = MappingProfile.from_dict(
        {"columns": {"conversion_id": names}, "group_by_conversion_id": True}
    )
    # A mapping file cannot give both a column and a constant; a profile built in code can.
    profile = dataclasses.replace(profile, constants=constants)
    reader = RowReader(
        index={"conversion_id": 0},
        columns={"conversion_id": names[0]},
        constants=constants,
        time_converter=None,
        amount_parsers={},
        phone_hasher=PhoneHasher(""),
        infer_currency=False,
        fallbacks={"conversion_id": list(enumerate(names))[1:]},
    )
    read = [values.conversion_id for values in reader.read_chunk(list(enumerate(rows)))]
    columns = [list(column) for column in zip(*rows, strict=True)]
    assert LineCounter(table, profile).ids(columns) == read


def test_an_ungrouped_profile_counts_nothing(export):
    path = export(HEADER, [line(1), line(1)])
    profile = dataclasses.replace(grouped(), group_by_conversion_id=False)
    assert first_look(open_table(path), profile).order_lines is None


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 12), st.sampled_from(["{}", " {} ", "{}.0", "fallback", ""])),
        min_size=1,
        max_size=60,
    )
)
def test_orders_come_out_whole_in_the_order_of_their_first_lines(lines):
    """However an export interleaves the lines of its orders and spells their ids."""
    rows, expected = [], {}
    for number, (order, spelling) in enumerate(lines, start=2):
        if spelling == "":
            rows.append(line(order, ""))
            expected[("none", number)] = [number]
            continue
        text = spelling.format(order) if spelling != "fallback" else str(order)
        rows.append(line(order, text, fallback=spelling == "fallback"))
        expected.setdefault(order, []).append(number)
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder) / "orders.csv", rows)
        results = list(Preparation(open_table(path), grouped(), workers=1))
    assert [r.rows for r in results] == [tuple(rows) for rows in expected.values()]
    assert all(r.event is not None for r in results if r.rows[0] not in _unnamed(expected))


def _unnamed(expected):
    return {rows[0] for key, rows in expected.items() if isinstance(key, tuple)}


def test_an_order_goes_out_once_its_last_line_is_read_not_at_the_end_of_the_file(export):
    rows = [line(n // 2) for n in range(20_000)]  # two lines per order, side by side
    preparation = Preparation(open_table(export(HEADER, rows)), grouped(), workers=1)
    events = iter(preparation)
    first = next(events)
    assert first.rows == (2, 3)
    assert preparation.summary.rows_read <= 2_000  # the first chunks, not all 20,000 lines
    assert sum(1 for _ in events) == 9_999


def test_a_grouped_preparation_holds_the_open_orders_not_the_file(export):
    rows = [line(n // 3) for n in range(15_000)]
    path = export(HEADER, rows)
    table, profile = open_table(path), grouped()
    list(Preparation(table, profile, workers=1))  # imports and caches warmed outside the count
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        count = 0
        for _ in Preparation(table, profile, workers=1):
            count += 1
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert count == 5_000
    # Every line's values kept to the end measured 925 bytes a line here; a chunk's worth of
    # open lines, about 330.
    assert peak < 600 * len(rows), f"{peak / len(rows):.0f} bytes a line"


def test_a_line_added_after_the_count_is_not_sent_twice(export):
    path = export(HEADER, [line(1), line(1), line(2)])
    table = open_table(path)

    def rows_with_one_more():  # the export was saved again, one line longer
        yield from table.rows()
        yield 5, tuple(cell or None for cell in line(1, total="9.00"))

    changed = dataclasses.replace(table, rows_factory=rows_with_one_more)
    preparation = Preparation(changed, grouped(), workers=1)
    results = list(preparation)
    assert [r.rows for r in results] == [(2, 3), (4,), (5,)]
    assert results[0].event["value"] == 5.0  # the order total, not the late 9.00
    assert results[2].event is None
    assert "the file changed while it was being prepared" in results[2].problems[0].message
    assert preparation.summary.rows_rejected == 1


def test_counts_are_forgotten_in_small_pieces():
    lines = OrderLines()
    lines.count(["a", "b", None, "a"])
    assert lines.lines == 3
    lines.release()
    assert lines.take("a") is None


def by_product(orders, lines_each=3):
    """An export sorted by product: each order's lines lie a third of the file apart."""
    return [line(order) for item in range(lines_each) for order in range(orders)]


def test_lines_that_wait_are_packed_and_come_back_the_same(export, monkeypatch):
    rows = by_product(3_000)
    rows[1_500][3] = "not an email"  # first lines of their orders: they wait, packed
    rows[3_500][4] = "-3"
    path = export(HEADER, rows)
    held = list(Preparation(open_table(path), grouped(), workers=1))
    monkeypatch.setattr(order_lines, "_PACK_ABOVE", 0)
    packed = list(Preparation(open_table(path), grouped(), workers=1))
    assert packed == held
    assert len(packed) == 3_000
    assert any(r.event is None for r in packed)


def test_an_export_sorted_by_product_is_held_packed(export, monkeypatch):
    rows = by_product(5_000)
    table, profile = open_table(export(HEADER, rows)), grouped()
    list(Preparation(table, profile, workers=1))  # imports and caches warmed outside the count

    def peak_per_line():
        tracemalloc.start()
        try:
            base = tracemalloc.get_traced_memory()[0]
            for _ in Preparation(table, profile, workers=1):
                pass
            return (tracemalloc.get_traced_memory()[1] - base) / len(rows)
        finally:
            tracemalloc.stop()

    monkeypatch.setattr(order_lines, "_PACK_ABOVE", 1_000)
    packed = peak_per_line()
    monkeypatch.setattr(order_lines, "_PACK_ABOVE", 10**9)
    held = peak_per_line()
    assert packed < 0.7 * held, (packed, held)  # measured: 545 and 950 bytes a line


def test_packed_lines_come_back_whole():
    reader = RowReader(
        index={"conversion_id": 0, "email": 1, "value": 2, "content_name": 3},
        columns={"conversion_id": "Order", "email": "Email", "value": "Total"}
        | {"content_name": "Item"},
        constants={},
        time_converter=None,
        amount_parsers={},
        phone_hasher=PhoneHasher(""),
        infer_currency=True,
    )
    lines = reader.read_chunk(
        [
            (7, ("A-1", "not an email", "12.50 €", "Mug")),
            (9, ("A-1", "a@example.com", "12.50 €", "Cup")),
            (11, ("A-1", "a@example.com", "12.5 €", "Cup")),
        ]
    )
    lines[0].filter_cells = (datetime(2024, 5, 1, 12), None, 3.5)
    packed = pack_lines(lines[:1])
    packed = pack_lines(lines[1:], packed)  # more lines of the order, later in the file
    back = unpack_lines(packed, reader.columns, reader.filters)
    assert len(back) == 3
    for line, original in zip(back, lines, strict=True):
        for name in RowValues.__slots__:
            assert getattr(line, name) == getattr(original, name), name
    assert back[0].identifier_problems  # the email that could not be read
    assert str(back[2].value) == "12.5"  # equal amounts keep their own writing
    assert back[1].content == {"content_name": "Cup"}
    assert back[1].problems is not back[2].problems  # lists are never shared
    # The second and third lines' shared text is written once, not again for each.
    assert len(packed) < len(pack_lines(lines[:1])) * 2
