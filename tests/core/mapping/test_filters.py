"""Row filters judge an order's lines together, a line at a time or all at once alike."""

from hypothesis import given, settings
from hypothesis import strategies as st

from twconv_gui.core.mapping.filters import (
    ABOVE_ZERO,
    DROP,
    KEEP,
    NON_EMPTY,
    ONE_OF,
    RowFilter,
    first_leaving_out,
    leaving_out,
    row_marks,
)

FILTERS = st.builds(
    RowFilter,
    column=st.just("Status"),
    action=st.sampled_from([KEEP, DROP]),
    test=st.sampled_from([ONE_OF, NON_EMPTY, ABOVE_ZERO]),
    values=st.sampled_from([("paid",), ("refunded", "voided"), ("",), ()]),
)
CELLS = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "paid", "Paid ", "refunded", "voided", "0", "12.50", "-3"]),
    st.integers(-2, 3),
    st.booleans(),
)


def as_written(filters, cells_per_row):
    """The rule as the module's documentation states it, written out directly."""
    for position, row_filter in enumerate(filters):
        cells = [cells[position] for cells in cells_per_row]
        if row_filter.action == DROP:
            if any(row_filter.passes(cell) for cell in cells):
                return position
            continue
        filled = [c for c in cells if not (c is None or (isinstance(c, str) and not c.strip()))]
        if not any(row_filter.passes(cell) for cell in filled or cells):
            return position
    return None


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_marks_joined_line_by_line_judge_as_the_rule_says(data):
    filters = data.draw(st.lists(FILTERS, min_size=1, max_size=3))
    width = len(filters)
    lines = data.draw(st.lists(st.lists(CELLS, min_size=width, max_size=width), min_size=1))
    expected = as_written(filters, lines)
    assert first_leaving_out(filters, lines) == expected
    joined = [0] * width
    for cells in lines:  # as the Map step's count folds a million-line file, line by line
        joined = [a | b for a, b in zip(joined, row_marks(filters, cells), strict=True)]
    assert leaving_out(filters, joined) == expected


def test_an_order_level_status_on_the_first_line_keeps_the_other_lines():
    paid_only = [RowFilter("Financial Status", KEEP, ONE_OF, ("paid",))]
    assert first_leaving_out(paid_only, [["paid"], [None], [""]]) is None
    assert first_leaving_out(paid_only, [["refunded"], [None]]) == 0
    assert first_leaving_out(paid_only, [[None], [None]]) == 0
