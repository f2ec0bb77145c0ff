"""Header-row detection and column naming."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from twconv_gui.core.errors import ReadError
from twconv_gui.core.reading.header import (
    column_letter,
    detect_header,
    header_text,
    looks_like_label,
    unique_names,
)
from twconv_gui.core.reading.table import Cell


def numbered(*rows: Sequence[Cell], start: int = 1) -> list[tuple[int, Sequence[Cell]]]:
    """Sample rows numbered from `start`, leaving out empty ones as the readers do."""
    return [
        (start + index, row)
        for index, row in enumerate(rows)
        if any(cell not in (None, "") for cell in row)
    ]


@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (2, "C"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ")]
)
def test_column_letter(index: int, letters: str) -> None:
    assert column_letter(index) == letters


def test_unique_names_blank_and_duplicates() -> None:
    names = unique_names(["Email", " ", "Email", "email", "Name", "", "Email (2)"])
    assert names == (
        "Email",
        "Column B",
        "Email (3)",
        "email (4)",
        "Name",
        "Column F",
        "Email (2)",
    )


def test_unique_names_collapse_inner_whitespace_and_use_real_column_letters() -> None:
    assert unique_names(["Order\ndate", ""], first_column=2) == ("Order date", "Column D")


@given(st.lists(st.sampled_from(["", "Email", "email", "Name", "Column B", "Email (2)"])))
def test_unique_names_are_always_unique_and_visible(names: list[str]) -> None:
    result = unique_names(names)
    assert len(result) == len(names)
    assert len({name.casefold() for name in result}) == len(result)
    assert all(name.strip() for name in result)


def test_header_text_of_typed_cells() -> None:
    assert header_text(2024.0) == "2024"
    assert header_text(True) == "TRUE"
    assert header_text(datetime(2024, 3, 5)) == "2024-03-05"
    assert header_text(date(2024, 3, 5)) == "2024-03-05"
    assert header_text("  Email  ") == "Email"


@pytest.mark.parametrize("value", ["a@example.com", "2024-03-05", "5 Mar 2024", "12.50", "+1 555"])
def test_values_do_not_look_like_labels(value: str) -> None:
    assert not looks_like_label(value)


def test_title_row_and_blank_rows_are_skipped() -> None:
    sample = numbered(
        ["Sales report Q3", None, None],
        [None, None, None],
        ["Email", "Name", "Amount"],
        ["a@x.com", "Ann", 12.5],
        ["b@x.com", "Bob", 3.0],
    )
    layout = detect_header(sample, where="t.csv", rows_seen=5)
    assert layout.header_row == 3
    assert layout.columns == ("Email", "Name", "Amount")


def test_two_cell_title_over_a_four_column_table_is_skipped() -> None:
    sample = numbered(
        ["Exported", "2024-03-05", None, None],
        ["Email", "Name", "Phone", "Value"],
        ["a@x.com", "Ann", "+1 555 0100", 3],
    )
    assert detect_header(sample, where="t.csv", rows_seen=3).header_row == 2


def test_data_without_header_falls_back_to_first_row() -> None:
    sample = numbered(["a@x.com", 1.0, date(2024, 1, 1)], ["b@x.com", 2.0, date(2024, 1, 2)])
    assert detect_header(sample, where="t.csv", rows_seen=2).header_row == 1


def test_trailing_empty_columns_dropped_middle_blank_kept() -> None:
    sample = numbered(
        ["Email", None, "Name", None, None],
        ["a@x.com", "x", "Ann", None, None],
        ["b@x.com", None, "Bob", None, None],
    )
    layout = detect_header(sample, where="t.csv", rows_seen=3)
    assert layout.columns == ("Email", "Column B", "Name")
    assert layout.source_headers == ("Email", "", "Name")


def test_data_beyond_header_width_gets_a_column() -> None:
    sample = numbered(
        ["Email", "Name", "Phone"],
        ["a@x.com", "Ann", None, None, "note"],
        ["b@x.com", "Bob", "+1 555 0100"],
    )
    layout = detect_header(sample, where="t.csv", rows_seen=3)
    assert layout.columns == ("Email", "Name", "Phone", "Column D", "Column E")


def test_merged_header_cells_name_the_columns_they_cover() -> None:
    sample = numbered(
        ["Customer", None, "Order", None],
        ["First name", "Last name", "Date", "Amount"],
        ["Ann", "Lee", date(2024, 1, 1), 3.0],
    )
    layout = detect_header(
        sample, where="t.xlsx", rows_seen=3, header_row=1, merged=[((0, 0), (0, 1))]
    )
    assert layout.columns == ("Customer", "Customer (2)", "Order", "Column D")


def test_header_override_past_the_end() -> None:
    with pytest.raises(ReadError, match=r"t\.csv has only 3 rows, so row 9 cannot be the header"):
        detect_header(numbered(["A"], ["1"], ["2"]), where="t.csv", rows_seen=3, header_row=9)


def test_header_override_on_an_empty_row() -> None:
    sample = numbered(["A"], [None], ["2"])
    with pytest.raises(ReadError, match=r"Row 2 of t\.csv is empty"):
        detect_header(sample, where="t.csv", rows_seen=3, header_row=2)


def test_empty_sample_is_an_error() -> None:
    with pytest.raises(ReadError, match=r"t\.csv is empty"):
        detect_header([], where="t.csv", rows_seen=4)
