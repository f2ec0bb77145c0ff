"""TimeConverter: every notation users export, time zones with DST, column-level decisions."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twconv_gui.core.errors import MappingError
from twconv_gui.core.normalize.problems import ValueProblem
from twconv_gui.core.normalize.times import TimeConverter
from twconv_gui.core.reading.table import Cell

X_FORMAT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def utc(tz: str = "UTC", values: list[Cell] | None = None) -> TimeConverter:
    return TimeConverter.for_column(values or [], timezone=tz)


def x_format(dt: datetime) -> str:
    u = dt.astimezone(UTC)
    return f"{u:%Y-%m-%dT%H:%M:%S}.{u.microsecond // 1000:03d}Z"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-05T15:04:05Z", "2024-01-05T15:04:05.000Z"),
        ("2024-01-05T15:04:05z", "2024-01-05T15:04:05.000Z"),
        ("2024-01-05T15:04:05.603Z", "2024-01-05T15:04:05.603Z"),
        ("2024-01-05T15:04:05.123456789+01:00", "2024-01-05T14:04:05.123Z"),
        ("2024-01-05T15:04:05.5-0500", "2024-01-05T20:04:05.500Z"),
        ("2024-01-05T15:04:05+05", "2024-01-05T10:04:05.000Z"),
        ("2024-01-05T15:04:05.9999Z", "2024-01-05T15:04:05.999Z"),
        ("2024-01-05 15:04", "2024-01-05T15:04:00.000Z"),
        ("2024-01-05", "2024-01-05T00:00:00.000Z"),
        ("  2024-01-05 15:04:05 ", "2024-01-05T15:04:05.000Z"),
        ("2024-01-05 15:04:05 UTC", "2024-01-05T15:04:05.000Z"),
        ("2024-01-05 15:04:05 GMT+2", "2024-01-05T13:04:05.000Z"),
        ("2024-01-05 15:04:05 +0100", "2024-01-05T14:04:05.000Z"),
        ("2024-1-5 3:04 PM", "2024-01-05T15:04:00.000Z"),
        ("2024/01/05 15:04:05", "2024-01-05T15:04:05.000Z"),
        ("2024.01.05", "2024-01-05T00:00:00.000Z"),
        ("20240105", "2024-01-05T00:00:00.000Z"),
        ("Fri, 05 Jan 2024 15:04:05 +0000", "2024-01-05T15:04:05.000Z"),
        ("Fri, 05 Jan 2024 15:04:05 GMT", "2024-01-05T15:04:05.000Z"),
        ("Fri, 5 Jan 2024 10:04:05 EST", "2024-01-05T15:04:05.000Z"),
        ("Jan 5, 2024 3:04 PM", "2024-01-05T15:04:00.000Z"),
        ("January 5, 2024 3:04:05 p.m.", "2024-01-05T15:04:05.000Z"),
        ("Friday, January 5th, 2024 12:15 AM", "2024-01-05T00:15:00.000Z"),
        ("Sept 5 2024", "2024-09-05T00:00:00.000Z"),
        ("5 January 2024 15:04", "2024-01-05T15:04:00.000Z"),
        ("05-Jan-2024", "2024-01-05T00:00:00.000Z"),
        ("05-JAN-24", "2024-01-05T00:00:00.000Z"),
        ("5. März 2024 14:00", "2024-03-05T14:00:00.000Z"),
        ("5 janv. 2024", "2024-01-05T00:00:00.000Z"),
        ("1er février 2024", "2024-02-01T00:00:00.000Z"),
        ("12 de marzo de 2024", "2024-03-12T00:00:00.000Z"),
        ("3 okt 2024", "2024-10-03T00:00:00.000Z"),
        (
            "Fri Jan 05 2024 15:04:05 GMT+0100 (Central European Standard Time)",
            "2024-01-05T14:04:05.000Z",
        ),
        ("1704467045", "2024-01-05T15:04:05.000Z"),
        ("1704467045123", "2024-01-05T15:04:05.123Z"),
    ],
)
def test_text_notations(text: str, expected: str) -> None:
    assert utc().to_utc(text) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (datetime(2024, 1, 5, 15, 4, 5, 603999), "2024-01-05T15:04:05.603Z"),
        (
            datetime(2024, 1, 5, 15, 4, 5, tzinfo=timezone(timedelta(hours=-8))),
            "2024-01-05T23:04:05.000Z",
        ),
        (datetime(2024, 7, 5, 15, 4, tzinfo=ZoneInfo("Europe/Berlin")), "2024-07-05T13:04:00.000Z"),
        (date(2024, 1, 5), "2024-01-05T00:00:00.000Z"),
        (1704467045, "2024-01-05T15:04:05.000Z"),
        (1704467045.5, "2024-01-05T15:04:05.500Z"),
        (1704467045123, "2024-01-05T15:04:05.123Z"),
    ],
)
def test_cells(cell: Cell, expected: str) -> None:
    assert utc().to_utc(cell) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("yesterday", "is not a date/time (expected e.g. 2024-03-15 14:30"),
        ("N/A", "is not a date/time (expected e.g."),
        ("TBD", "is not a date/time"),
        ("2024", "is not a date/time"),
        ("Foo 5, 2024", "is not a date/time"),
        ("2024-02-30", "is not a valid date (day is out of range for month)"),
        ("2024-01-05 25:00", "is not a valid time of day"),
        ("2024-01-05 13:00 AM", "an hour above 12 together with AM"),
        ("2024-01-05 10:00 UTC+19", "UTC offset that does not exist"),
        (time(14, 30), "is a time of day, not a date/time"),
        (timedelta(hours=3), "is a duration, not a date/time"),
        (True, "is TRUE/FALSE, not a date/time"),
        (123, "is a number, not a date/time"),
        (45296.5, "only in a column of nothing but numbers"),
    ],
)
def test_refusals(cell: Cell, message: str) -> None:
    converter = utc(values=["2024-01-05", cell])
    with pytest.raises(ValueProblem) as info:
        converter.to_utc(cell)
    assert message in info.value.message


def test_excel_serials_in_a_column_of_numbers() -> None:
    converter = utc("Europe/Berlin", [45296.5, 45000, "45296.75"])
    assert converter.to_utc(45296.5) == "2024-01-05T11:00:00.000Z"  # 12:00 CET
    assert converter.to_utc(45296) == "2024-01-04T23:00:00.000Z"
    assert converter.to_utc("45296.75") == "2024-01-05T17:00:00.000Z"
    assert converter.to_utc(45296.634722222) == "2024-01-05T14:14:00.000Z"  # float noise
    with pytest.raises(ValueProblem, match="is a number, not a date/time"):
        converter.to_utc(1000)  # 1902: not a plausible conversion date


# -- time zones and DST -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "text", "expected"),
    [
        # spring-forward gap: 02:30 does not exist; read with the offset before it (EST)
        ("America/New_York", "2024-03-10 02:30", "2024-03-10T07:30:00.000Z"),
        # fall-back: 01:30 happens twice; the first occurrence (EDT) is taken
        ("America/New_York", "2024-11-03 01:30", "2024-11-03T05:30:00.000Z"),
        ("America/New_York", "2024-11-03 00:59", "2024-11-03T04:59:00.000Z"),
        ("America/New_York", "2024-11-03 02:00", "2024-11-03T07:00:00.000Z"),
        ("America/New_York", "01/15/2024 3:04 PM", "2024-01-15T20:04:00.000Z"),
        ("Europe/Berlin", "2024-01-15 12:00", "2024-01-15T11:00:00.000Z"),
        ("Europe/Berlin", "2024-07-15 12:00", "2024-07-15T10:00:00.000Z"),
        ("Europe/Berlin", "2024-03-31 02:30", "2024-03-31T01:30:00.000Z"),
        ("Europe/Berlin", "2024-10-27 02:30", "2024-10-27T00:30:00.000Z"),
        ("Europe/Berlin", "2024-07-15T12:00:00Z", "2024-07-15T12:00:00.000Z"),
        ("Asia/Kolkata", "2024-07-15 12:00", "2024-07-15T06:30:00.000Z"),
    ],
)
def test_time_zones(tz: str, text: str, expected: str) -> None:
    assert utc(tz, [text]).to_utc(text) == expected


def test_naive_datetime_cells_are_in_the_zone_and_fold_is_respected() -> None:
    ny = utc("America/New_York")
    assert ny.to_utc(datetime(2024, 11, 3, 1, 30)) == "2024-11-03T05:30:00.000Z"
    assert ny.to_utc(datetime(2024, 11, 3, 1, 30, fold=1)) == "2024-11-03T06:30:00.000Z"
    assert ny.to_utc(date(2024, 7, 4)) == "2024-07-04T04:00:00.000Z"


@pytest.mark.parametrize("tz", ["Mars/Olympus", "", "../etc/passwd", "EST5EDT6"])
def test_unknown_time_zone_is_a_mapping_error(tz: str) -> None:
    with pytest.raises(MappingError, match="is not a time zone"):
        TimeConverter.for_column([], timezone=tz)


@pytest.mark.parametrize("tz", ["UTC", "utc", "Etc/UTC", "GMT", "Z"])
def test_utc_names(tz: str) -> None:
    assert utc(tz).to_utc("2024-01-05 15:04") == "2024-01-05T15:04:00.000Z"


# -- day/month order --------------------------------------------------------------------------


def test_a_day_above_12_makes_the_column_day_first() -> None:
    converter = utc(values=["13/01/2024", "03/04/2024", None, "  "])
    assert converter.day_first is True
    assert converter.column_problem is None
    assert converter.to_utc("03/04/2024") == "2024-04-03T00:00:00.000Z"
    assert converter.to_utc("3/4/24 14:30") == "2024-04-03T14:30:00.000Z"
    with pytest.raises(ValueProblem, match="is not a valid date"):
        converter.to_utc("01/13/2024")


def test_a_second_number_above_12_makes_the_column_month_first() -> None:
    converter = utc(values=iter(["03/04/2024 10:00 AM", "12/31/2023 11:59 PM"]))
    assert converter.day_first is False
    assert converter.column_problem is None
    assert converter.to_utc("03/04/2024 10:00 AM") == "2024-03-04T10:00:00.000Z"
    assert converter.to_utc("12/31/2023 11:59 PM") == "2023-12-31T23:59:00.000Z"
    assert converter.to_utc("1/5/70") == "1970-01-05T00:00:00.000Z"


def test_an_undecidable_column_says_so_and_refuses_only_ambiguous_values() -> None:
    converter = utc(values=["03/04/2024", "05/05/2024", "2024-01-05"])
    assert converter.day_first is None
    assert converter.column_problem is not None
    assert "could be day/month/year or month/day/year" in converter.column_problem
    assert "%d/%m/%Y" in converter.column_problem
    assert "%m/%d/%Y" in converter.column_problem
    with pytest.raises(ValueProblem) as info:
        converter.to_utc("03/04/2024")
    assert info.value.message.startswith("could be 3 April or 4 March")
    assert "time format" in info.value.message
    assert converter.to_utc("05/05/2024") == "2024-05-05T00:00:00.000Z"
    assert converter.to_utc("2024-01-05") == "2024-01-05T00:00:00.000Z"


def test_the_suggested_formats_use_the_column_separator() -> None:
    problem = utc(values=["03-04-2024"]).column_problem
    assert problem is not None
    assert "%d-%m-%Y" in problem
    assert "%m-%d-%Y" in problem


def test_a_column_mixing_both_orders_is_reported() -> None:
    converter = utc(values=["13/01/2024", "01/13/2024", "03/04/2024"])
    assert converter.column_problem is not None
    assert converter.column_problem.startswith("mixes day-first dates")
    assert converter.to_utc("13/01/2024") == "2024-01-13T00:00:00.000Z"
    assert converter.to_utc("01/13/2024") == "2024-01-13T00:00:00.000Z"
    with pytest.raises(ValueProblem, match="could be 3 April or 4 March"):
        converter.to_utc("03/04/2024")


def test_dotted_dates_are_day_first_by_german_convention() -> None:
    converter = utc("Europe/Berlin", ["03.04.2024 14:30", "05.05.2024"])
    assert converter.column_problem is None
    assert converter.to_utc("03.04.2024 14:30") == "2024-04-03T12:30:00.000Z"


def test_impossible_dates_do_not_vote() -> None:
    converter = utc(values=["13/13/2024", "40/01/2024", "03/04/2024"])
    assert converter.day_first is None
    assert converter.column_problem is not None


# -- time_format ------------------------------------------------------------------------------


def test_time_format_overrides_detection() -> None:
    converter = TimeConverter.for_column(
        ["03/04/2024 14:30"], timezone="America/New_York", time_format="%d/%m/%Y %H:%M"
    )
    assert converter.column_problem is None
    assert converter.to_utc("03/04/2024 14:30") == "2024-04-03T18:30:00.000Z"
    assert converter.to_utc(" 3/4/2024 2:30 ") == "2024-04-03T06:30:00.000Z"
    assert converter.to_utc(datetime(2024, 4, 3, 14, 30)) == "2024-04-03T18:30:00.000Z"
    with pytest.raises(ValueProblem) as info:
        converter.to_utc("2024-04-03 14:30")
    assert info.value.message == (
        "does not match the time format %d/%m/%Y %H:%M set in the mapping "
        "(expected e.g. 15/03/2024 14:30)"
    )


@pytest.mark.parametrize(
    ("fmt", "cell", "expected"),
    [
        ("%Y-%m-%dT%H:%M:%S%z", "2024-04-03T14:30:00+0200", "2024-04-03T12:30:00.000Z"),
        ("%Y-%m-%dT%H:%M:%S%z", "2024-04-03T14:30:00Z", "2024-04-03T14:30:00.000Z"),
        ("%d %b %Y %I:%M %p", "03 Apr 2024 02:30 PM", "2024-04-03T14:30:00.000Z"),
        ("%d %B %Y", "3 avril 2024", "2024-04-03T00:00:00.000Z"),
        ("%m/%d/%y %H:%M:%S.%f", "04/03/24 14:30:05.25", "2024-04-03T14:30:05.250Z"),
        ("%Y%m%d", 20240403, "2024-04-03T00:00:00.000Z"),
        ("%Y%m%d", 20240403.0, "2024-04-03T00:00:00.000Z"),
        ("%w %d/%m/%Y", "3 03/04/2024", "2024-04-03T00:00:00.000Z"),  # via strptime
    ],
)
def test_time_formats(fmt: str, cell: Cell, expected: str) -> None:
    assert TimeConverter.for_column([], time_format=fmt).to_utc(cell) == expected


def test_time_format_with_offset_refuses_values_without_one() -> None:
    converter = TimeConverter.for_column([], time_format="%Y-%m-%d %H:%M%z")
    with pytest.raises(ValueProblem, match=r"expected e\.g\. 2024-03-15 14:30\+0100"):
        converter.to_utc("2024-04-03 14:30")


@pytest.mark.parametrize(
    ("fmt", "message"),
    [
        ("%H:%M", "has no full date"),
        ("%d/%m", "has no full date"),
        ("%d/%m/%Y %Q", "cannot be used"),
    ],
)
def test_unusable_time_formats_are_mapping_errors(fmt: str, message: str) -> None:
    with pytest.raises(MappingError, match=message):
        TimeConverter.for_column([], time_format=fmt)


# -- properties -------------------------------------------------------------------------------

_offsets = st.integers(-(23 * 60 + 59), 23 * 60 + 59).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
_aware = st.datetimes(datetime(1900, 1, 2), datetime(2200, 12, 30), timezones=_offsets)
_naive = st.datetimes(datetime(1970, 1, 2), datetime(2100, 12, 30))
_ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kathmandu"]


@settings(max_examples=200, deadline=None)
@given(_aware)
def test_aware_datetimes_and_their_iso_text_round_trip(dt: datetime) -> None:
    converter = utc("America/New_York")
    expected = x_format(dt)
    assert X_FORMAT.match(expected)
    assert converter.to_utc(dt) == expected
    assert converter.to_utc(dt.isoformat()) == expected
    assert converter.to_utc(dt.isoformat(sep=" ", timespec="milliseconds")) == expected


@settings(max_examples=200, deadline=None)
@given(_naive, st.sampled_from(_ZONES))
def test_naive_times_are_read_in_the_zone_with_fold_0(dt: datetime, tz: str) -> None:
    dt = dt.replace(fold=0)  # text has no fold; spreadsheet cells never carry fold=1
    dotted = dt.strftime("%d.%m.%Y %H:%M:%S.%f")
    converter = utc(tz, [dotted])
    expected = x_format(dt.replace(tzinfo=ZoneInfo(tz)))
    assert converter.to_utc(dt) == expected
    assert converter.to_utc(dt.isoformat(sep=" ")) == expected
    assert converter.to_utc(dotted) == expected


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.text("0123456789/-.: TZAPMJanGMT+,()", max_size=30)))
def test_any_text_gives_the_x_format_or_a_value_problem(text: str) -> None:
    converter = utc("Europe/Berlin", [text])
    try:
        result = converter.to_utc(text)
    except ValueProblem:
        return
    assert X_FORMAT.match(result)
