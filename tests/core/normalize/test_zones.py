"""Time zones as exports write them: zone columns, headers, Google's preamble, the computer's."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

import pytest
import tzlocal

from twconv_gui.core.normalize import zones
from twconv_gui.core.normalize.zones import (
    local_zone_name,
    parse_zone,
    zone_from_header,
    zone_from_preamble,
    zone_label,
)
from twconv_gui.core.reading.table import Cell


def utc_of(wall: datetime, tz: tzinfo | None) -> str:
    """The UTC time a user would see for a wall-clock time read in the zone."""
    assert tz is not None
    u = wall.replace(tzinfo=tz).astimezone(UTC)
    return f"{u:%Y-%m-%dT%H:%M:%S}.{u.microsecond // 1000:03d}Z"


JAN = datetime(2024, 1, 15, 12, 0)
JUL = datetime(2024, 7, 15, 12, 0)


@pytest.mark.parametrize(
    ("text", "label", "january", "july"),
    [
        # IANA names, any case: summer time follows the date
        ("Europe/Berlin", "Europe/Berlin", "2024-01-15T11:00:00.000Z", "2024-07-15T10:00:00.000Z"),
        ("europe/berlin", "Europe/Berlin", "2024-01-15T11:00:00.000Z", "2024-07-15T10:00:00.000Z"),
        (" AMERICA/NEW_YORK ", "America/New_York", "2024-01-15T17:00:00.000Z",
         "2024-07-15T16:00:00.000Z"),
        ("Etc/GMT+2", "Etc/GMT+2", "2024-01-15T14:00:00.000Z", "2024-07-15T14:00:00.000Z"),
        # UTC by any name
        ("UTC", "UTC", "2024-01-15T12:00:00.000Z", "2024-07-15T12:00:00.000Z"),
        ("GMT", "UTC", "2024-01-15T12:00:00.000Z", "2024-07-15T12:00:00.000Z"),
        ("Z", "UTC", "2024-01-15T12:00:00.000Z", "2024-07-15T12:00:00.000Z"),
        ("utc", "UTC", "2024-01-15T12:00:00.000Z", "2024-07-15T12:00:00.000Z"),
        ("Etc/UTC", "UTC", "2024-01-15T12:00:00.000Z", "2024-07-15T12:00:00.000Z"),
        # offsets
        ("+05:30", "UTC+05:30", "2024-01-15T06:30:00.000Z", "2024-07-15T06:30:00.000Z"),
        ("+0530", "UTC+05:30", "2024-01-15T06:30:00.000Z", "2024-07-15T06:30:00.000Z"),
        ("-08", "UTC-08:00", "2024-01-15T20:00:00.000Z", "2024-07-15T20:00:00.000Z"),
        ("UTC+2", "UTC+02:00", "2024-01-15T10:00:00.000Z", "2024-07-15T10:00:00.000Z"),
        ("GMT-08:00", "UTC-08:00", "2024-01-15T20:00:00.000Z", "2024-07-15T20:00:00.000Z"),
        ("UTC +05:30", "UTC+05:30", "2024-01-15T06:30:00.000Z", "2024-07-15T06:30:00.000Z"),
        ("UTC−03:00", "UTC-03:00", "2024-01-15T15:00:00.000Z", "2024-07-15T15:00:00.000Z"),
        ("+00:00", "UTC", "2024-01-15T12:00:00.000Z", "2024-07-15T12:00:00.000Z"),
        # abbreviations pin their offset, whatever the date
        ("PST", "PST (UTC-08:00)", "2024-01-15T20:00:00.000Z", "2024-07-15T20:00:00.000Z"),
        ("PDT", "PDT (UTC-07:00)", "2024-01-15T19:00:00.000Z", "2024-07-15T19:00:00.000Z"),
        ("pst", "PST (UTC-08:00)", "2024-01-15T20:00:00.000Z", "2024-07-15T20:00:00.000Z"),
        ("EST", "EST (UTC-05:00)", "2024-01-15T17:00:00.000Z", "2024-07-15T17:00:00.000Z"),
        ("EDT", "EDT (UTC-04:00)", "2024-01-15T16:00:00.000Z", "2024-07-15T16:00:00.000Z"),
        ("CST", "CST (UTC-06:00)", "2024-01-15T18:00:00.000Z", "2024-07-15T18:00:00.000Z"),
        ("CDT", "CDT (UTC-05:00)", "2024-01-15T17:00:00.000Z", "2024-07-15T17:00:00.000Z"),
        ("MST", "MST (UTC-07:00)", "2024-01-15T19:00:00.000Z", "2024-07-15T19:00:00.000Z"),
        ("MDT", "MDT (UTC-06:00)", "2024-01-15T18:00:00.000Z", "2024-07-15T18:00:00.000Z"),
        ("AKST", "AKST (UTC-09:00)", "2024-01-15T21:00:00.000Z", "2024-07-15T21:00:00.000Z"),
        ("AKDT", "AKDT (UTC-08:00)", "2024-01-15T20:00:00.000Z", "2024-07-15T20:00:00.000Z"),
        ("HST", "HST (UTC-10:00)", "2024-01-15T22:00:00.000Z", "2024-07-15T22:00:00.000Z"),
        ("BST", "BST (UTC+01:00)", "2024-01-15T11:00:00.000Z", "2024-07-15T11:00:00.000Z"),
        ("CET", "CET (UTC+01:00)", "2024-01-15T11:00:00.000Z", "2024-07-15T11:00:00.000Z"),
        ("CEST", "CEST (UTC+02:00)", "2024-01-15T10:00:00.000Z", "2024-07-15T10:00:00.000Z"),
        ("EET", "EET (UTC+02:00)", "2024-01-15T10:00:00.000Z", "2024-07-15T10:00:00.000Z"),
        ("EEST", "EEST (UTC+03:00)", "2024-01-15T09:00:00.000Z", "2024-07-15T09:00:00.000Z"),
        ("WET", "WET (UTC)", "2024-01-15T12:00:00.000Z", "2024-07-15T12:00:00.000Z"),
        ("WEST", "WEST (UTC+01:00)", "2024-01-15T11:00:00.000Z", "2024-07-15T11:00:00.000Z"),
        ("MSK", "MSK (UTC+03:00)", "2024-01-15T09:00:00.000Z", "2024-07-15T09:00:00.000Z"),
        ("JST", "JST (UTC+09:00)", "2024-01-15T03:00:00.000Z", "2024-07-15T03:00:00.000Z"),
        ("KST", "KST (UTC+09:00)", "2024-01-15T03:00:00.000Z", "2024-07-15T03:00:00.000Z"),
        ("AEST", "AEST (UTC+10:00)", "2024-01-15T02:00:00.000Z", "2024-07-15T02:00:00.000Z"),
        ("AEDT", "AEDT (UTC+11:00)", "2024-01-15T01:00:00.000Z", "2024-07-15T01:00:00.000Z"),
        ("ACST", "ACST (UTC+09:30)", "2024-01-15T02:30:00.000Z", "2024-07-15T02:30:00.000Z"),
        ("AWST", "AWST (UTC+08:00)", "2024-01-15T04:00:00.000Z", "2024-07-15T04:00:00.000Z"),
        ("NZST", "NZST (UTC+12:00)", "2024-01-15T00:00:00.000Z", "2024-07-15T00:00:00.000Z"),
        ("NZDT", "NZDT (UTC+13:00)", "2024-01-14T23:00:00.000Z", "2024-07-14T23:00:00.000Z"),
        # Rails display names (Square's "Time Zone" column), cities, Windows labels
        ("Pacific Time (US & Canada)", "America/Los_Angeles", "2024-01-15T20:00:00.000Z",
         "2024-07-15T19:00:00.000Z"),
        ("Eastern Time (US & Canada)", "America/New_York", "2024-01-15T17:00:00.000Z",
         "2024-07-15T16:00:00.000Z"),
        ("Central Time (US & Canada)", "America/Chicago", "2024-01-15T18:00:00.000Z",
         "2024-07-15T17:00:00.000Z"),
        ("Mountain Time (US & Canada)", "America/Denver", "2024-01-15T19:00:00.000Z",
         "2024-07-15T18:00:00.000Z"),
        ("Arizona", "America/Phoenix", "2024-01-15T19:00:00.000Z", "2024-07-15T19:00:00.000Z"),
        ("Alaska", "America/Juneau", "2024-01-15T21:00:00.000Z", "2024-07-15T20:00:00.000Z"),
        ("Hawaii", "Pacific/Honolulu", "2024-01-15T22:00:00.000Z", "2024-07-15T22:00:00.000Z"),
        ("London", "Europe/London", "2024-01-15T12:00:00.000Z", "2024-07-15T11:00:00.000Z"),
        ("Berlin", "Europe/Berlin", "2024-01-15T11:00:00.000Z", "2024-07-15T10:00:00.000Z"),
        ("New Delhi", "Asia/Kolkata", "2024-01-15T06:30:00.000Z", "2024-07-15T06:30:00.000Z"),
        ("Sydney", "Australia/Sydney", "2024-01-15T01:00:00.000Z", "2024-07-15T02:00:00.000Z"),
        ("New York", "America/New_York", "2024-01-15T17:00:00.000Z", "2024-07-15T16:00:00.000Z"),
        ("(GMT+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "Europe/Amsterdam",
         "2024-01-15T11:00:00.000Z", "2024-07-15T10:00:00.000Z"),
        ("(UTC-08:00) Pacific Time (US & Canada)", "America/Los_Angeles",
         "2024-01-15T20:00:00.000Z", "2024-07-15T19:00:00.000Z"),
        ("(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi", "Asia/Kolkata",
         "2024-01-15T06:30:00.000Z", "2024-07-15T06:30:00.000Z"),
        ("(UTC) Coordinated Universal Time", "UTC", "2024-01-15T12:00:00.000Z",
         "2024-07-15T12:00:00.000Z"),
        # a Windows label whose places are unknown: its offset
        ("(UTC+03:00) Nowhere Town", "UTC+03:00", "2024-01-15T09:00:00.000Z",
         "2024-07-15T09:00:00.000Z"),
    ],
)  # fmt: skip
def test_zones_a_column_may_hold(text: str, label: str, january: str, july: str) -> None:
    tz = parse_zone(text)
    assert zone_label(tz) == label
    assert (utc_of(JAN, tz), utc_of(JUL, tz)) == (january, july)


@pytest.mark.parametrize(
    "cell",
    [
        "IST", "AST", "SST", "", "   ", "junk", "Mars/Olympus", "../etc/passwd", "/etc/localtime",
        "EST5EDT6", "+15:00", "UTC+19", "+05:60", "Pacific", "localtime", "x" * 500, None, 5,
        -8.0, True, datetime(2024, 1, 1),
    ],
)  # fmt: skip
def test_junk_is_no_zone(cell: Cell) -> None:
    assert parse_zone(cell) is None


def test_zones_are_cached_by_text() -> None:
    assert parse_zone("Europe/Berlin") is parse_zone("Europe/Berlin")
    assert parse_zone("PST") is parse_zone("PST")


def test_every_rails_name_in_the_table_is_a_zone_of_this_computer() -> None:
    for name, key in zones._NAMED.items():
        tz = parse_zone(name)
        assert tz is not None, name
        assert zone_label(tz) in (key, "UTC")


@pytest.mark.parametrize(
    ("header", "zone"),
    [
        ("Created (UTC)", "UTC"),  # Stripe
        ("Date (GMT)", "UTC"),
        ("Order Date (PST)", "PST"),
        ("Time (UTC+2)", "UTC+02:00"),
        ("Date [GMT-05:00]", "UTC-05:00"),
        ("Time (Europe/Berlin)", "Europe/Berlin"),
        ("Created UTC", "UTC"),
        ("created_at_utc", "UTC"),
        ("Date EST", "EST"),
        ("Date (CET)", "UTC+01:00"),  # "CET" alone would be IANA's zone with summer time
        ("Created (utc)", "UTC"),
        # names that hold no zone: words inside names, units, cities, lowercase abbreviations
        ("Created", None),
        ("Customer", None),
        ("Estimated value", None),
        ("Amount (EUR)", None),
        ("Date (dd/mm/yyyy)", None),
        ("Store (Paris)", None),
        ("Date (est)", None),
        ("Order ID", None),
        ("Timezone", None),
        ("UTC", None),
        ("Gmtx", None),
    ],
)
def test_zone_from_header(header: str, zone: str | None) -> None:
    assert zone_from_header(header) == zone
    if zone is not None:
        assert parse_zone(zone) is not None


@pytest.mark.parametrize(
    ("lines", "zone"),
    [
        ([["Parameters:TimeZone=America/New_York"]], "America/New_York"),
        ([["Parameters:TimeZone=America/New_York", None, ""]], "America/New_York"),
        ([["parameters:timezone=-0500"]], "UTC-05:00"),
        ([["Parameters:TimeZone=+05:30"]], "UTC+05:30"),
        ([["Parameters:TimeZone=", "America/New_York"]], "America/New_York"),
        ([["Parameters:TimeZone", "Europe/Berlin"]], "Europe/Berlin"),
        ([["Parameters:", "TimeZone=Europe/Berlin"]], "Europe/Berlin"),
        ([["Parameters:TimeZone=", -500]], "UTC-05:00"),  # a spreadsheet made -0500 a number
        ([["Parameters:TimeZone=America/New_York;"]], "America/New_York"),
        ([[], ["Offline conversions"], ["Parameters:TimeZone=Asia/Tokyo"]], "Asia/Tokyo"),
        ([["Parameters:TimeZone=Mars/Olympus"]], None),
        ([["Google Click ID", "Conversion Name"]], None),
        ([], None),
    ],
)
def test_zone_from_preamble(lines: list[list[Cell]], zone: str | None) -> None:
    assert zone_from_preamble(lines) == zone


def test_google_preamble_zone_reads_a_time_in_new_york() -> None:
    zone = zone_from_preamble([["Parameters:TimeZone=America/New_York"]])
    tz = parse_zone(zone)
    assert utc_of(datetime(2024, 3, 5, 14, 22, 10), tz) == "2024-03-05T19:22:10.000Z"
    assert utc_of(datetime(2024, 7, 5, 14, 22, 10), tz) == "2024-07-05T18:22:10.000Z"


@pytest.mark.parametrize(
    ("tz", "expected"),
    [
        ("Asia/Tokyo", "Asia/Tokyo"),
        (":Europe/Berlin", "Europe/Berlin"),
        ("/usr/share/zoneinfo/America/New_York", "America/New_York"),
        ("europe/berlin", "Europe/Berlin"),
        ("UTC", "UTC"),
        ("Etc/UTC", "UTC"),
    ],
)
def test_local_zone_honours_tz(monkeypatch: pytest.MonkeyPatch, tz: str, expected: str) -> None:
    monkeypatch.setenv("TZ", tz)
    assert local_zone_name() == expected


def test_local_zone_from_the_system(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TZ", raising=False)
    monkeypatch.setattr(tzlocal, "get_localzone_name", lambda: "Australia/Sydney")
    assert local_zone_name() == "Australia/Sydney"
    monkeypatch.setenv("TZ", "EST5EDT,M3.2.0,M11.1.0")  # POSIX rules: ask the system
    assert local_zone_name() == "Australia/Sydney"


@pytest.mark.parametrize("system", ["", None, "Mars/Olympus", RuntimeError("no zone")])
def test_local_zone_that_cannot_be_told_is_utc(
    monkeypatch: pytest.MonkeyPatch, system: str | Exception | None
) -> None:
    def fake() -> str | None:
        if isinstance(system, Exception):
            raise system
        return system

    monkeypatch.delenv("TZ", raising=False)
    monkeypatch.setattr(tzlocal, "get_localzone_name", fake)
    assert local_zone_name() == "UTC"


def test_zone_label() -> None:
    assert zone_label(None) == "UTC"
    assert zone_label(UTC) == "UTC"
    assert zone_label(ZoneInfo("America/Chicago")) == "America/Chicago"
