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
from twconv_gui.core.normalize.times import TimeConverter, local_zone_name
from twconv_gui.core.normalize.zones import parse_zone, zone_from_header, zone_from_preamble
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


# -- Unix time (Meta offline event files) -----------------------------------------------------


def test_a_column_of_unix_seconds_and_milliseconds() -> None:
    converter = utc("Europe/Berlin", [1709648530, "1709648530123", None, " 1709648530 "])
    assert converter.unix_time is True  # UTC whatever the zone: callers say so
    assert converter.to_utc(1709648530) == "2024-03-05T14:22:10.000Z"
    assert converter.to_utc(1709648530123) == "2024-03-05T14:22:10.123Z"
    assert converter.to_utc("1709648530") == "2024-03-05T14:22:10.000Z"
    assert converter.to_utc("1709648530123") == "2024-03-05T14:22:10.123Z"
    assert converter.to_utc(1709648530.0) == "2024-03-05T14:22:10.000Z"  # calamine's floats


@pytest.mark.parametrize(
    "values",
    [
        [],
        [45296.5, 45000],  # Excel serials
        ["20240105"],  # yyyymmdd
        [1709648530, "2024-03-05"],
        [1709648530, True],
        ["1709648530", "170964853"],  # 9 digits: not Unix time
        [9_999_999_999],  # 2286
    ],
)
def test_columns_that_are_not_unix_time(values: list[Cell]) -> None:
    assert utc(values=values).unix_time is False


def test_excel_serials_and_yyyymmdd_still_work_beside_unix_time() -> None:
    converter = utc("Europe/Berlin", [45356.5, 45356])
    assert converter.unix_time is False
    assert converter.to_utc(45356.5) == "2024-03-05T11:00:00.000Z"
    assert utc().to_utc("20240305") == "2024-03-05T00:00:00.000Z"


@pytest.mark.parametrize("cell", [4_133_980_800, "9999999999", 9_999_999_999_999, 4.2e12])
def test_unix_time_after_2100_is_refused(cell: Cell) -> None:
    with pytest.raises(ValueProblem, match="Unix time up to 2100"):
        utc().to_utc(cell)


def test_unix_time_ignores_the_zone() -> None:
    converter = utc("America/New_York", [1709648530])
    assert converter.to_utc(1709648530, parse_zone("Asia/Tokyo")) == "2024-03-05T14:22:10.000Z"
    assert converter.to_utc(4_133_980_799) == "2100-12-31T23:59:59.000Z"


# -- a zone per row (a time-zone column) -------------------------------------------------------


def test_the_row_zone_is_used_for_times_without_an_offset() -> None:
    converter = utc("Europe/Berlin")
    tokyo = parse_zone("Asia/Tokyo")
    assert converter.to_utc("2024-03-05 14:22:10", tokyo) == "2024-03-05T05:22:10.000Z"
    assert converter.to_utc("2024-03-05 14:22:10", zone=tokyo) == "2024-03-05T05:22:10.000Z"
    assert converter.to_utc(datetime(2024, 3, 5, 14, 22, 10), tokyo) == "2024-03-05T05:22:10.000Z"
    assert converter.to_utc(date(2024, 3, 5), tokyo) == "2024-03-04T15:00:00.000Z"
    # no row zone (an empty zone cell): the column's zone
    assert converter.to_utc("2024-03-05 14:22:10", None) == "2024-03-05T13:22:10.000Z"
    assert converter.to_utc("2024-03-05 14:22:10", parse_zone("")) == "2024-03-05T13:22:10.000Z"


def test_a_value_with_its_own_offset_keeps_it() -> None:
    converter = utc("Europe/Berlin")
    tokyo = parse_zone("Asia/Tokyo")
    assert converter.to_utc("2024-03-05T14:22:10Z", tokyo) == "2024-03-05T14:22:10.000Z"
    assert converter.to_utc("2024-03-05 14:22:10 +01:00", tokyo) == "2024-03-05T13:22:10.000Z"
    aware = datetime(2024, 3, 5, 14, 22, 10, tzinfo=UTC)
    assert converter.to_utc(aware, tokyo) == "2024-03-05T14:22:10.000Z"


def test_a_row_zone_in_a_utc_column() -> None:
    converter = utc("UTC")
    assert converter.to_utc("2024-07-05 14:22:10", parse_zone("PDT")) == "2024-07-05T21:22:10.000Z"


# -- date and time in two columns --------------------------------------------------------------


def paypal(dates: list[Cell], date_cell: Cell, time_cell: Cell, zone: str) -> str:
    converter = TimeConverter.for_column(dates)
    return converter.to_utc(converter.combine(date_cell, time_cell), parse_zone(zone))


def test_paypal_us_export_month_first() -> None:
    dates: list[Cell] = ["2/1/2020", "2/13/2020"]  # 2/13 makes the column month/day/year
    assert paypal(dates, "2/1/2020", "11:05:56", "Europe/Berlin") == "2020-02-01T10:05:56.000Z"
    assert paypal(dates, "2/13/2020", "11:05:56 PM", "Europe/Berlin") == (
        "2020-02-13T22:05:56.000Z"
    )


def test_paypal_export_day_first() -> None:
    dates: list[Cell] = ["2/1/2020", "13/1/2020"]  # 13/1 makes the column day/month/year
    assert paypal(dates, "2/1/2020", "11:05:56", "Europe/Berlin") == "2020-01-02T10:05:56.000Z"


def test_paypal_abbreviations_say_whether_summer_time_applies() -> None:
    dates: list[Cell] = ["1/15/2020", "7/15/2020"]
    assert paypal(dates, "1/15/2020", "11:05:56", "PST") == "2020-01-15T19:05:56.000Z"
    assert paypal(dates, "7/15/2020", "11:05:56", "PDT") == "2020-07-15T18:05:56.000Z"
    assert paypal(dates, "1/15/2020", "11:05:56", "CET") == "2020-01-15T10:05:56.000Z"
    assert paypal(dates, "7/15/2020", "11:05:56", "CEST") == "2020-07-15T09:05:56.000Z"
    assert paypal(dates, "7/15/2020", "11:05:56", "GMT") == "2020-07-15T11:05:56.000Z"


def test_paypal_undecided_day_month_order_is_refused() -> None:
    converter = TimeConverter.for_column(["2/1/2020", "3/4/2020"])
    assert converter.column_problem is not None
    with pytest.raises(ValueProblem) as info:
        converter.combine("2/1/2020", "11:05:56")
    assert info.value.message.startswith("the date part could be 2 January or 1 February")


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Pacific Time (US & Canada)", "2024-03-05T22:22:10.000Z"),
        ("Eastern Time (US & Canada)", "2024-03-05T19:22:10.000Z"),
        ("Central Time (US & Canada)", "2024-03-05T20:22:10.000Z"),
        ("Arizona", "2024-03-05T21:22:10.000Z"),
        ("London", "2024-03-05T14:22:10.000Z"),
    ],
)
def test_square_export(zone: str, expected: str) -> None:
    assert paypal(["2024-03-05"], "2024-03-05", "14:22:10", zone) == expected


def test_square_export_in_summer() -> None:
    summer = paypal(["2024-07-05"], "2024-07-05", "14:22:10", "Pacific Time (US & Canada)")
    assert summer == "2024-07-05T21:22:10.000Z"


@pytest.mark.parametrize(
    ("date_cell", "time_cell", "expected"),
    [
        ("2024-03-05", "14:22:10", "2024-03-05T13:22:10.000Z"),
        ("2024-03-05", "14:22", "2024-03-05T13:22:00.000Z"),
        ("2024-03-05", "2:22:10 PM", "2024-03-05T13:22:10.000Z"),
        ("2024-03-05", "2:22 p.m.", "2024-03-05T13:22:00.000Z"),
        ("2024-03-05", "12:05 AM", "2024-03-04T23:05:00.000Z"),
        ("2024-03-05", "14:22:10.123", "2024-03-05T13:22:10.123Z"),
        ("2024-03-05", "14.22.10", "2024-03-05T13:22:10.000Z"),
        ("2024-03-05", " 14:22:10 ", "2024-03-05T13:22:10.000Z"),
        # a zone written with the time wins over the row's and the column's
        ("2024-03-05", "14:22:10 PST", "2024-03-05T22:22:10.000Z"),
        ("2024-03-05", "14:22:10+05:30", "2024-03-05T08:52:10.000Z"),
        ("2024-03-05", "14:22:10Z", "2024-03-05T14:22:10.000Z"),
        ("2024-03-05", "2:22:10 PM America/New_York", "2024-03-05T19:22:10.000Z"),
        # typed cells (openpyxl, calamine)
        (date(2024, 3, 5), time(14, 22, 10), "2024-03-05T13:22:10.000Z"),
        (datetime(2024, 3, 5), time(14, 22, 10), "2024-03-05T13:22:10.000Z"),
        (datetime(2024, 3, 5), timedelta(hours=14, minutes=22, seconds=10),
         "2024-03-05T13:22:10.000Z"),
        (date(2024, 3, 5), datetime(1899, 12, 30, 14, 22, 10), "2024-03-05T13:22:10.000Z"),
        (date(2024, 3, 5), 0.5, "2024-03-05T11:00:00.000Z"),
        (datetime(2024, 3, 5, 14, 22, 10), "14:22:10", "2024-03-05T13:22:10.000Z"),
        (date(2024, 3, 5), time(14, 22, 10, tzinfo=UTC), "2024-03-05T14:22:10.000Z"),
        (datetime(2024, 3, 5, tzinfo=ZoneInfo("America/New_York")), "14:22:10",
         "2024-03-05T19:22:10.000Z"),
        ("5 March 2024", "14:22:10", "2024-03-05T13:22:10.000Z"),
        ("2024-03-05T00:00:00Z", "14:22:10", "2024-03-05T14:22:10.000Z"),
        # an empty time: the date's own time, as a date-only value is read
        ("2024-03-05", None, "2024-03-04T23:00:00.000Z"),
        ("2024-03-05", "  ", "2024-03-04T23:00:00.000Z"),
        (datetime(2024, 3, 5, 14, 22, 10), None, "2024-03-05T13:22:10.000Z"),
    ],
)  # fmt: skip
def test_combine(date_cell: Cell, time_cell: Cell, expected: str) -> None:
    converter = utc("Europe/Berlin", [date_cell])
    assert converter.to_utc(converter.combine(date_cell, time_cell)) == expected


def test_combine_excel_serial_dates() -> None:
    converter = utc("Europe/Berlin", [45356, 45357])
    assert converter.to_utc(converter.combine(45356, "14:22:10")) == "2024-03-05T13:22:10.000Z"


@pytest.mark.parametrize(
    ("date_cell", "time_cell", "message"),
    [
        ("2/30/2020", "11:00", "the date part is not a valid date (day is out of range"),
        ("soon", "11:00", "the date part is not a date/time (expected e.g."),
        (time(11, 0), "11:00", "the date part is a time of day, not a date/time"),
        (None, "11:00", "has no date (the date part is empty)"),
        ("", "11:00", "has no date (the date part is empty)"),
        ("2024-03-05", "25:00", "the time part is not a valid time of day"),
        ("2024-03-05", "14:61", "the time part is not a valid time of day"),
        ("2024-03-05", "soon", "the time part is not a time of day (expected e.g. 14:30"),
        ("2024-03-05", "2024-03-05", "the time part is not a time of day"),
        ("2024-03-05", "13:00 AM", "the time part has an hour above 12 together with AM"),
        ("2024-03-05", "14:22 Mars", "the time part ends in 'Mars', which is not a time zone"),
        ("2024-03-05", "14:22 IST", "the time part ends in 'IST', which is not a time zone"),
        ("2024-03-05", timedelta(days=2), "the time part is a duration of a day or more"),
        ("2024-03-05", 1.5, "the time part is not a time of day"),
        ("2024-03-05", True, "the time part is not a time of day"),
        ("2024-03-05", date(2024, 3, 5), "the time part is not a time of day"),
        (datetime(2024, 3, 5, 9, 0), "14:22", "has a time of day in the date part too"),
        ("2024-03-05 09:00", "14:22", "has a time of day in the date part too"),
    ],
)
def test_combine_refusals_name_the_part(date_cell: Cell, time_cell: Cell, message: str) -> None:
    converter = utc(values=["2/13/2020"])
    with pytest.raises(ValueProblem) as info:
        converter.combine(date_cell, time_cell)
    assert info.value.message.startswith(message)


# -- the zone of times that carry none ---------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "name", "expected"),
    [
        ("PST", "PST (UTC-08:00)", "2024-07-05T22:22:10.000Z"),
        ("+05:30", "UTC+05:30", "2024-07-05T08:52:10.000Z"),
        ("UTC+2", "UTC+02:00", "2024-07-05T12:22:10.000Z"),
        ("Pacific Time (US & Canada)", "America/Los_Angeles", "2024-07-05T21:22:10.000Z"),
        ("europe/berlin", "Europe/Berlin", "2024-07-05T12:22:10.000Z"),
        # exact IANA names keep their meaning: CET is a zone with summer time
        ("CET", "CET", "2024-07-05T12:22:10.000Z"),
        ("UTC", "UTC", "2024-07-05T14:22:10.000Z"),
    ],
)
def test_the_column_zone_may_be_any_zone_name(zone: str, name: str, expected: str) -> None:
    converter = utc(zone)
    assert converter.zone_name == name
    assert converter.to_utc("2024-07-05 14:22:10") == expected


def test_the_computers_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    converter = utc(local_zone_name())
    assert converter.zone_name == "Asia/Tokyo"
    assert converter.zone == ZoneInfo("Asia/Tokyo")
    assert converter.to_utc("2024-03-05 14:22:10") == "2024-03-05T05:22:10.000Z"
    assert utc().zone is UTC


@pytest.mark.parametrize(
    ("header", "zone", "expected"),
    [
        ("Created (UTC)", "UTC", "2024-03-05T14:22:10.000Z"),  # Stripe
        ("Date (GMT)", "UTC", "2024-03-05T14:22:10.000Z"),
        ("Order Date (PST)", "PST", "2024-03-05T22:22:10.000Z"),
        ("Time (UTC+2)", "UTC+02:00", "2024-03-05T12:22:10.000Z"),
    ],
)
def test_a_zone_named_by_the_header(
    monkeypatch: pytest.MonkeyPatch, header: str, zone: str, expected: str
) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")  # the header wins over the computer's zone
    found = zone_from_header(header) or local_zone_name()
    assert found == zone
    assert utc(found).to_utc("2024-03-05 14:22:10") == expected


@pytest.mark.parametrize(
    ("parameter", "expected"),
    [
        ("Parameters:TimeZone=America/New_York", "2024-03-05T19:22:10.000Z"),
        ("Parameters:TimeZone=-0500", "2024-03-05T19:22:10.000Z"),
        ("Parameters:TimeZone=+05:30", "2024-03-05T08:52:10.000Z"),
    ],
)
def test_google_ads_template_zone(parameter: str, expected: str) -> None:
    zone = zone_from_preamble([[parameter]])
    assert zone is not None
    assert utc(zone).to_utc("2024-03-05 14:22:10") == expected
