"""Big collections are emptied a slice at a time, and emptied completely."""

from twconv_gui.core.prepare.preparation import FirstRows
from twconv_gui.core.prepare.release import SLICE, release, release_all


def test_a_big_list_is_emptied_whatever_its_length():
    for length in (0, 1, SLICE, SLICE + 1, 3 * SLICE + 7):
        items = [str(i) for i in range(length)]
        release(items)
        assert items == []


def test_lists_and_dicts_are_emptied():
    lists_and_dicts = [[1, 2, 3], {"a": 1}, list(range(SLICE * 2))]
    release_all(lists_and_dicts)
    assert lists_and_dicts == [[], {}, []]


def test_repeated_ids_are_found_then_forgotten():
    seen = FirstRows()
    assert seen.repeats(["A", None, "B"], [2, 3, 4]) == []
    assert seen.repeats(["B", "C", "A", None], [5, 6, 7, 8]) == [(0, 4), (2, 2)]
    seen.release()
    assert seen.repeats(["A"], [9]) == []  # forgotten: a fresh start
