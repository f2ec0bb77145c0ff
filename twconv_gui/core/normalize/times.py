"""Conversion times: any spreadsheet date/time notation to X's UTC `yyyy-MM-ddTHH:mm:ss.SSSZ`."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from twconv_gui.core.errors import MappingError
from twconv_gui.core.normalize.problems import ValueProblem
from twconv_gui.core.normalize.zones import local_zone_name, parse_zone, zone_label
from twconv_gui.core.reading.table import Cell

__all__ = ["TimeConverter", "local_zone_name"]

_ZERO = timedelta(0)
_DAY = timedelta(days=1)
_MIDNIGHT = time()
_EPOCH = datetime(1970, 1, 1)
_EXCEL_EPOCH = datetime(1899, 12, 30)  # 1900 date system, Lotus' phantom 1900-02-29 included
_SERIAL_MIN = (datetime(1954, 1, 1) - _EXCEL_EPOCH).days
_SERIAL_MAX = (datetime(2101, 1, 1) - _EXCEL_EPOCH).days  # exclusive: up to 2100-12-31
# Unix time: 10-digit seconds or 13-digit milliseconds, up to 2100-12-31 (2001-09-09 onwards).
_UNIX_S = (1_000_000_000, int((datetime(2101, 1, 1) - _EPOCH).total_seconds()))
_UNIX_MS = (_UNIX_S[0] * 1000, _UNIX_S[1] * 1000)
_X_TIME = "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ"
_UTC_NAMES = frozenset({"UTC", "Z", "GMT", "ETC/UTC", "ETC/GMT", "UCT", "ZULU"})
_NOT_A_CLOCK = "is not a time of day (expected e.g. 14:30, 14:30:05 or 2:30 PM)"
# A time of day alone (a "Time" column beside a "Date" one), with an optional zone after it.
_CLOCK = re.compile(
    r"\s*(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2})(?:[.,](?P<F>\d+))?)?"
    r"(?:\s*(?P<AP>[ap])\.?\s?m\.?)?(?:\s+|(?=[+\-Zz])|\Z)(?P<zone>.*?)\s*",
    re.I,
)
_NOT_A_NUMBER = "is a number, not a date/time (numbers are read as Excel dates"
_NOT_A_TIME = (
    "is not a date/time (expected e.g. 2024-03-15 14:30, 2024-03-15T14:30:00Z, "
    "15/03/2024 14:30 or Mar 15, 2024 2:30 PM)"
)

# Time of day after a date, then an optional offset or zone and a trailing "(zone name)".
_ZONE = r"(?P<Z>Z|(?:UTC|GMT|UT)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}(?::?\d{2})?|[ECMP][SD]T)"
_TIME = (
    r"(?:(?:T\s*|\s*,\s*|\s+(?:at\s+|um\s+|à\s+)?|\s*@\s*)"
    r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<F>\d+))?)?"
    r"(?:\s*(?P<AP>[ap])\.?\s?m\.?)?(?:\s*" + _ZONE + r")?(?:\s*\([^()]*\))?)?\s*\Z"
)
_WEEKDAY = r"(?:[^\W\d_]{2,}\.?,?\s+)?"
# 05/01/2024, 5-1-24, 05.01.2024, 2024/01/05, 2024-1-5 3:04 PM, 2024-01-05 15:04:05 UTC
_NUM = re.compile(r"\s*(?P<a>\d{1,4})([/.-])(?P<b>\d{1,2})\2(?P<c>\d{1,4})" + _TIME, re.I)
# 5 January 2024, 05-Jan-2024, Fri, 05 Jan 2024 15:04:05 +0000, 5. März 2024, 1er janvier 2024
_DMON = re.compile(
    r"(?i)\s*" + _WEEKDAY + r"(?P<d>\d{1,2})(?:st|nd|rd|th|er)?\.?[\s/-]*(?:de\s+)?"
    r"(?P<mon>[^\W\d_]{3,})\.?,?[\s/-]*(?:de\s+)?(?P<y>\d{4}|\d{2})(?!\d)" + _TIME
)
# Jan 5, 2024 3:04 PM, Friday, January 5th, 2024, Fri Jan 05 2024 15:04:05 GMT+0100 (CET)
_MOND = re.compile(
    r"(?i)\s*" + _WEEKDAY + r"(?P<mon>[^\W\d_]{3,})\.?[\s/-]*(?P<d>\d{1,2})(?:st|nd|rd|th)?,?"
    r"[\s/-]+(?P<y>\d{4}|\d{2})(?!\d)" + _TIME
)
# The cheap first look at a column: the first two numbers of a D/M/Y or M/D/Y value.
_DM_PREFIX = re.compile(r"\s*(\d{1,2})([/.-])(\d{1,2})\2(?:\d{4}|\d{2})(?!\d)")
_DECIMAL = re.compile(r"\s*\d+(?:\.\d+)?\s*\Z")
# RFC 2822's obsolete US zone names: the only zone abbreviations with a single meaning.
_NAMED_ZONES = {"EST": -5, "EDT": -4, "CST": -6, "CDT": -5,
                "MST": -7, "MDT": -6, "PST": -8, "PDT": -7}  # fmt: skip

# strptime directives a column format may use, as regex groups shared with the parsers above.
_DIRECTIVES = {
    "d": r"(?P<d>\d{1,2})", "m": r"(?P<mo>\d{1,2})", "Y": r"(?P<y>\d{4})", "y": r"(?P<y>\d{2})",
    "b": r"(?P<mon>[^\W\d_]{3,})\.?", "B": r"(?P<mon>[^\W\d_]{3,})", "H": r"(?P<H>\d{1,2})",
    "I": r"(?P<H>\d{1,2})", "M": r"(?P<M>\d{1,2})", "S": r"(?P<S>\d{1,2})",
    "f": r"(?P<F>\d{1,6})", "p": r"(?P<AP>[ap])\.?\s?m\.?", "z": _ZONE,
    "a": r"[^\W\d_]{2,}\.?", "A": r"[^\W\d_]{2,}", "%": "%",
}  # fmt: skip
_GROUPS = ("d", "mo", "mon", "y", "H", "M", "S", "F", "AP", "Z")

_MONTH_WORDS = (
    "january february march april may june july august september october november december",
    "januar februar märz april mai juni juli august september oktober november dezember",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "januari februari maart april mei juni juli augustus september oktober november december",
)
_ENGLISH_MONTHS = _MONTH_WORDS[0].title().split()


def _build_months() -> dict[str, int]:
    """Month numbers by lowercase name (English, German, French, Spanish, Italian, Portuguese,
    Dutch): full names, unaccented forms and every unambiguous prefix of 3+ letters."""
    found: dict[str, set[int]] = {}
    for words in _MONTH_WORDS:
        for number, word in enumerate(words.split(), start=1):
            nfd = unicodedata.normalize("NFD", word)
            plain = "".join(c for c in nfd if not unicodedata.combining(c))
            for name in {word, plain}:
                for end in range(3, len(name) + 1):
                    found.setdefault(name[:end], set()).add(number)
    months = {name: nums.pop() for name, nums in found.items() if len(nums) == 1}
    months.update({"mrz": 3, "mrt": 3, "jän": 1, "jänner": 1})
    return months


_MONTHS = _build_months()


def _year(text: str) -> int:
    """A 4-digit year, or a 2-digit one read as strptime's %y does (69-99 → 19xx, else 20xx)."""
    year = int(text)
    return year if len(text) != 2 else year + (1900 if year >= 69 else 2000)


def _zone(text: str) -> timedelta:
    """The UTC offset written after a time: Z, UTC, GMT+1, +05:30, -0800, EST..."""
    z = text.upper().replace(" ", "")
    if z in _NAMED_ZONES:
        return timedelta(hours=_NAMED_ZONES[z])
    z = z.removeprefix("UTC").removeprefix("GMT").removeprefix("UT").removeprefix("Z")
    if not z:
        return _ZERO
    digits = z[1:].replace(":", "")
    hours, minutes = (int(digits), 0) if len(digits) <= 2 else (int(digits[:-2]), int(digits[-2:]))
    if hours > 14 or minutes >= 60:
        raise ValueProblem("has a UTC offset that does not exist (expected e.g. +01:00)")
    offset = timedelta(hours=hours, minutes=minutes)
    return -offset if z[0] == "-" else offset


def _make_date(year: int, month: int, day: int) -> datetime:
    """datetime(year, month, day), or ValueProblem saying why that date does not exist."""
    try:
        return datetime(year, month, day)
    except ValueError as exc:
        raise ValueProblem(f"is not a valid date ({exc})") from None


def _named(m: re.Match[str]) -> tuple[datetime, timedelta | None]:
    """The time of a match whose month is a name (groups d, mon, y and the time groups)."""
    month = _MONTHS.get(m["mon"].lower().rstrip("."))
    if month is None:
        raise ValueProblem(_NOT_A_TIME)
    return _at(_year(m["y"]), month, int(m["d"]), m)


def _at(y: int, mo: int, d: int, m: re.Match[str]) -> tuple[datetime, timedelta | None]:
    """The date with the time-of-day groups of a match (H, M, S, F, AP, Z), and the offset."""
    h, mi, s, f, ap, z = m.group("H", "M", "S", "F", "AP", "Z")
    if h is None:
        return _make_date(y, mo, d), None
    hour = int(h)
    if ap is not None and hour <= 12:
        hour = hour % 12 + (12 if ap in "pP" else 0)
    elif ap is not None and ap in "aA":
        raise ValueProblem("has an hour above 12 together with AM")
    us, zone = int(f[:6].ljust(6, "0")) if f else 0, _zone(z) if z else None
    try:
        return datetime(y, mo, d, hour, int(mi), int(s or 0), us), zone
    except ValueError:
        _make_date(y, mo, d)  # says what is wrong with the date, if that is it
        raise ValueProblem("is not a valid time of day (hour, minute or second too big)") from None


class _TimeFormat:
    """A strptime format from the mapping, read by one precompiled regex (strptime's rules for
    %d %m %Y %y %b %B %H %I %M %S %f %p %z %a %A %%), else by datetime.strptime."""

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        pieces = re.split(r"(%.)", fmt)
        used = {p[1] for p in pieces[1::2]}
        pattern = "".join(
            _DIRECTIVES.get(p[1], "(?!)") if i % 2 else "".join(
                r"\s+" if c.isspace() else re.escape(c) for c in p
            )
            for i, p in enumerate(pieces)
        )  # fmt: skip
        never = "".join(f"(?:(?P<{g}>(?!)))?" for g in _GROUPS if f"?P<{g}>" not in pattern)
        try:  # a directive used twice, or an unknown one: strptime decides
            self._regex: re.Pattern[str] | None = re.compile(rf"\s*{pattern}\s*{never}", re.I)
        except re.error:
            self._regex = None
        if not (used & set("Yy") and used & set("mbB") and "d" in used):
            raise ValueError(
                f"The time format '{fmt}' has no full date: it needs %Y or %y, %m or %b, and %d"
            )
        sample = datetime(2024, 3, 15, 14, 30, 5, 250000, timezone(timedelta(hours=1)))
        try:
            self.example = sample.strftime(fmt)
            self.parse(self.example)
        except (ValueError, ValueProblem):
            raise ValueError(
                f"The time format '{fmt}' cannot be used (write it like %d/%m/%Y %H:%M)"
            ) from None

    def parse(self, text: str) -> tuple[datetime, timedelta | None]:
        """Reads one value; ValueProblem naming the expected format when it does not fit."""
        mismatch = f"does not match the time format {self.fmt} set in the mapping"
        m = self._regex.fullmatch(text) if self._regex is not None else None
        if m is None:
            try:  # no regex (rare directives), or let strptime have the last word
                dt = datetime.strptime(text.strip(), self.fmt)
            except ValueError:
                raise ValueProblem(f"{mismatch} (expected e.g. {self.example})") from None
            return dt.replace(tzinfo=None), dt.utcoffset()
        if m["mon"] is not None:
            return _named(m)
        return _at(_year(m["y"]), int(m["mo"]), int(m["d"]), m)


def _column_zone(name: str) -> tzinfo | None:
    """The zone a mapping names for a column; None for UTC (nothing to convert)."""
    text = name.strip()
    if text.upper() in _UTC_NAMES:
        return None
    try:  # exact IANA names first: they keep their meaning (CET is a zone with summer time)
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        pass
    tz = parse_zone(text)
    if tz is None:
        raise MappingError(
            f"'{name}' is not a time zone: use an IANA name such as Europe/Berlin, "
            "America/New_York or UTC, or an offset such as +05:30"
        )
    return None if tz is UTC else tz


def _is_unix(value: float) -> bool:
    """Whether a number is Unix time: 10-digit seconds or 13-digit milliseconds up to 2100."""
    return _UNIX_S[0] <= value < _UNIX_S[1] or _UNIX_MS[0] <= value < _UNIX_MS[1]


def _time_of_day(cell: Cell) -> tuple[time | None, tzinfo | None]:
    """The time of day of a time column's cell and the zone written with it, if any.

    An empty cell gives (None, None). ValueProblem messages name the time part.
    """
    if cell is None:
        return None, None
    if type(cell) is str:
        return _clock_text(cell)
    if isinstance(cell, datetime):  # a time-only Excel cell read as 1899-12-30 hh:mm
        return cell.time(), cell.tzinfo
    if isinstance(cell, time):
        return cell.replace(tzinfo=None), cell.tzinfo
    if isinstance(cell, timedelta):
        if _ZERO <= cell < _DAY:
            return (datetime.min + cell).time(), None
        raise ValueProblem("the time part is a duration of a day or more, not a time of day")
    if isinstance(cell, int | float) and not isinstance(cell, bool) and 0 <= cell < 1:
        ms = min(round(cell * 86_400_000), 86_399_999)  # an Excel day fraction: 0.5 is noon
        return (datetime.min + timedelta(milliseconds=ms)).time(), None
    raise ValueProblem(f"the time part {_NOT_A_CLOCK}")


@lru_cache(maxsize=65_536)  # a time column repeats its values: 86,400 seconds a day at most
def _clock_text(text: str) -> tuple[time | None, tzinfo | None]:
    """_time_of_day for text: "11:05:56", "11:05:56 AM", "14:22", "14:22:10 PDT"..."""
    m = _CLOCK.fullmatch(text)
    if m is None:
        if not text.strip():
            return None, None
        raise ValueProblem(f"the time part {_NOT_A_CLOCK}")
    tz = None
    if m["zone"] and (tz := parse_zone(m["zone"])) is None:
        raise ValueProblem(
            f"the time part ends in '{m['zone']}', which is not a time zone "
            "(expected e.g. UTC, +01:00, PST or Europe/Berlin)"
        )
    hour, ap = int(m["H"]), m["AP"]
    if ap is not None and hour <= 12:
        hour = hour % 12 + (12 if ap in "pP" else 0)
    elif ap is not None and ap in "aA":
        raise ValueProblem("the time part has an hour above 12 together with AM")
    us = int(m["F"][:6].ljust(6, "0")) if m["F"] else 0
    try:
        return time(hour, int(m["M"]), int(m["S"] or 0), us), tz
    except ValueError:
        raise ValueProblem(
            "the time part is not a valid time of day (hour, minute or second too big)"
        ) from None


class TimeConverter:
    """Converts one column's cells to UTC times, with the column's formats decided once.

    Naive times (no offset in the value) are wall-clock times in the column's time zone, read
    with PEP 495 semantics (fold=0): a wall time that occurs twice when clocks fall back is
    the first occurrence (01:30 on 2024-11-03 in New York is 01:30 EDT = 05:30Z), and a wall
    time skipped when clocks spring forward is read with the offset in force before the gap
    (02:30 on 2024-03-10 in New York is 02:30 EST = 07:30Z, shown locally as 03:30 EDT).
    Output is truncated (not rounded) to milliseconds.

    A value's own offset ("Z", "+02:00", an aware datetime, Unix time) always wins; otherwise
    the zone given with the value (to_utc's zone, e.g. from a time-zone column) is used, and
    without one the column's zone. A date and a time in two columns are put together with
    combine(), read with the date column's day/month order, then passed to to_utc.

    Attributes:
        column_problem: why some of the column's values cannot be read (day/month order
            undecided or mixed), to show once for the column; None when there is none.
        day_first: True for D/M/Y, False for M/D/Y, None when the column does not tell.
        unix_time: every value of the column is Unix time (10-digit seconds or 13-digit
            milliseconds, up to 2100), which is UTC whatever the zone: say so rather than
            naming a zone.
    """

    def __init__(self, tz: tzinfo | None, fmt: _TimeFormat | None = None) -> None:
        """Use for_column(), which makes the column's decisions (tz None means UTC)."""
        self._tz = tz
        self._format = fmt
        self.day_first: bool | None = None
        self.unix_time = False
        self._dates: dict[str, tuple[datetime, timedelta | None]] = {}  # combine()'s cache
        self._serials = False  # plain numbers in the Excel serial range are dates
        self._prefer_numeric = False  # most values are D/M/Y or M/D/Y: try that first
        self.column_problem: str | None = None

    @classmethod
    def for_column(
        cls, values: Iterable[Cell], *, timezone: str = "UTC", time_format: str | None = None
    ) -> TimeConverter:
        """Looks at all of a column's values once and decides how to read them.

        Decided here: the day/month order (a number above 12 tells; dotted D.M.Y is day-first
        unless values tell otherwise), and whether numbers are Excel dates (if all values are).

        Args:
            values: the column's cells (None and blank strings are skipped). For a date and
                a time in two columns, the date column's cells.
            timezone: zone of times written without an offset: an IANA name such as
                "Europe/Berlin" (exactly as written, e.g. "CET" is IANA's Central European
                zone with summer time), else anything zones.parse_zone reads ("+05:30",
                "PST", "Pacific Time (US & Canada)"). The mapping's default is "UTC"; pass
                local_zone_name() for the computer's zone.
            time_format: a strptime format (e.g. "%d/%m/%Y %H:%M") overriding detection;
                %z in it means each value carries its own offset.

        Raises:
            MappingError: the time zone is unknown or the time format is unusable.
        """
        tz = _column_zone(timezone)
        if time_format:
            try:
                return cls(tz, _TimeFormat(time_format))
            except ValueError as exc:
                raise MappingError(str(exc)) from None
        first_big = second_big = undotted = False
        numeric = texts = filled = 0
        numbers_only, unix, sep = True, True, "/"
        for v in values:
            if isinstance(v, str):
                texts += 1
                if unix and (t := v.strip()):
                    filled += 1
                    unix = t.isdigit() and len(t) in (10, 13) and _is_unix(int(t))
                if (m := _DM_PREFIX.match(v)) is not None:
                    numeric += 1
                    numbers_only = False
                    a, b = int(m[1]), int(m[3])
                    if m[2] != ".":
                        undotted, sep = True, m[2]
                    first_big |= 12 < a <= 31 and 1 <= b <= 12
                    second_big |= 12 < b <= 31 and 1 <= a <= 12
                elif numbers_only and _DECIMAL.match(v) is None and v.strip():
                    numbers_only = False
            elif v is not None and (isinstance(v, bool) or not isinstance(v, int | float)):
                numbers_only = unix = False
            elif v is not None:
                filled += 1
                unix = unix and _is_unix(v)
        conv = cls(tz)
        conv._serials, conv._prefer_numeric = numbers_only, numeric * 2 > texts
        conv.unix_time = unix and filled > 0
        dmy, mdy = f"%d{sep}%m{sep}%Y", f"%m{sep}%d{sep}%Y"
        if first_big and second_big:
            conv.column_problem = (
                f"mixes day-first dates (like 13{sep}01{sep}2024) and month-first ones (like "
                f"01{sep}13{sep}2024), so dates like 03{sep}04{sep}2024 cannot be read. Make the "
                f"column consistent, or set the time format in the mapping ({dmy} or {mdy})"
            )
        elif first_big or second_big:
            conv.day_first = first_big
        elif numeric and not undotted:
            conv.day_first = True
        elif numeric:
            conv.column_problem = (
                f"has dates like 03{sep}04{sep}2024 that could be day/month/year or "
                "month/day/year, and no date in the column has a number above 12 to tell "
                f"which. Set the time format in the mapping: {dmy} for day first or {mdy} "
                "for month first (add %H:%M if the values have times)"
            )
        return conv

    @property
    def zone(self) -> tzinfo:
        """The column's zone, used for values without an offset when to_utc gets no zone."""
        return self._tz if self._tz is not None else UTC

    @property
    def zone_name(self) -> str:
        """The column's zone as a message names it: "Europe/Berlin", "UTC", "UTC+05:30"."""
        return zone_label(self._tz)

    def to_utc(self, value: Cell, zone: tzinfo | None = None) -> str:
        """The value as a UTC time with milliseconds, e.g. "2022-02-18T01:14:00.603Z".

        Args:
            value: a non-empty cell: datetime (naive: in the zone), date (midnight), Excel
                serial or Unix epoch number, or text (ISO 8601, RFC 2822, D/M/Y...).
            zone: the zone of this value when it carries no offset of its own (e.g. the
                row's time-zone cell, read by zones.parse_zone); None: the column's zone.

        Raises:
            ValueProblem: the value is no date/time, or its day/month order is undecided.
        """
        offset: timedelta | None
        if type(value) is str:
            dt, offset = self._parse_text(value)
        elif type(value) is datetime:
            dt, offset = value, value.utcoffset()
        elif type(value) is float or type(value) is int:
            dt, offset = self._from_number(value)
        else:
            dt, offset = self._other_cell(value)
        if offset is None:
            tz = self._tz if zone is None else zone
            if tz is not None:
                offset = tz.utcoffset(dt)
        if offset:
            try:
                dt -= offset
            except OverflowError:
                raise ValueProblem("is outside the years 1 to 9999") from None
        ms = dt.microsecond // 1000  # %-formatting measured faster than isoformat or f-strings
        return _X_TIME % (dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, ms)

    def combine(self, date_cell: Cell, time_cell: Cell) -> datetime:
        """One date/time from a date column's cell and a time-of-day column's cell.

        Use a converter made by for_column over the date column's values: the date is read
        with that column's day/month order (2/1/2020 is 1 February in a column that also has
        2/13/2020). Then convert with the row's zone, if any:
        ``conv.to_utc(conv.combine(date_cell, time_cell), zone)``.

        Args:
            date_cell: a date: date or datetime (a time of day in it must be midnight or the
                same as the time cell's), text in any notation to_utc reads, or an Excel
                serial in a column of numbers.
            time_cell: a time of day: time, datetime (its time part), timedelta under a day,
                an Excel day fraction (0.5 is noon), or text ("11:05:56", "11:05:56 AM",
                "14:22", "14:22:10 PDT", "14:22+01:00"). Empty: the date's own time.

        Returns:
            A naive datetime (to_utc reads it in the zone), or an aware one when either part
            carries its own offset or zone.

        Raises:
            ValueProblem: the date part or the time part is wrong; the message says which.
        """
        if type(date_cell) is str:
            found = self._dates.get(date_cell)
            if found is None:
                found = self._date_part(date_cell)
                if len(self._dates) < 10_000:  # a column repeats its dates: 366 a year
                    self._dates[date_cell] = found
            day, offset = found
        else:
            day, offset = self._date_part(date_cell)
        clock, tz = _time_of_day(time_cell)
        if clock is None:
            clock = day.time()
        elif day.time() not in (_MIDNIGHT, clock):
            raise ValueProblem(
                "has a time of day in the date part too, and it differs from the time part: "
                "map only one of them, or remove the times from the date column"
            )
        if tz is None and offset is not None:
            tz = day.tzinfo if day.tzinfo is not None else timezone(offset)
        return datetime.combine(day.date(), clock, tz)

    def _date_part(self, cell: Cell) -> tuple[datetime, timedelta | None]:
        """combine()'s date: the cell read as to_utc would, problems naming the date part."""
        if cell is None or (type(cell) is str and not cell.strip()):
            raise ValueProblem("has no date (the date part is empty)")
        try:
            if type(cell) is str:
                return self._parse_text(cell)
            return self._other_cell(cell)
        except ValueProblem as problem:
            raise ValueProblem(f"the date part {problem.message}") from None

    def _other_cell(self, value: Cell) -> tuple[datetime, timedelta | None]:
        """Cells of rarer types: datetime/date subclasses, time, timedelta, bool."""
        if isinstance(value, datetime):
            return value, value.utcoffset()
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day), None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return self._from_number(value)
        kind = {bool: "TRUE/FALSE", time: "a time of day", timedelta: "a duration"}.get(type(value))
        raise ValueProblem(f"is {kind}, not a date/time" if kind else _NOT_A_TIME)

    def _from_number(self, value: float) -> tuple[datetime, timedelta | None]:
        """Unix epoch seconds/milliseconds (UTC), or an Excel serial date (local time)."""
        if self._format is not None and float(value).is_integer():
            return self._format.parse(str(int(value)))
        if _UNIX_S[0] <= value < _UNIX_S[1]:
            return _EPOCH + timedelta(milliseconds=round(value * 1000)), _ZERO
        if _UNIX_MS[0] <= value < _UNIX_MS[1]:
            return _EPOCH + timedelta(milliseconds=round(value)), _ZERO
        if _SERIAL_MIN <= value < _SERIAL_MAX:
            if self._serials:
                return _EXCEL_EPOCH + timedelta(milliseconds=round(value * 86_400_000)), None
            raise ValueProblem(f"{_NOT_A_NUMBER} only in a column of nothing but numbers)")
        raise ValueProblem(f"{_NOT_A_NUMBER} from 1954 to 2100, or Unix time up to 2100)")

    def _parse_text(self, value: str) -> tuple[datetime, timedelta | None]:
        """Reads a text value: ISO 8601 first (fast), then the other notations."""
        if self._format is not None:
            return self._format.parse(value)
        if self._prefer_numeric and (m := _NUM.match(value)) is not None:
            return self._from_numeric_date(m)
        text = value.strip()
        if text.isdigit() and text.isascii() and len(text) != 8:  # 8 digits: ISO's YYYYMMDD
            if len(text) in (10, 13) or (len(text) == 5 and self._serials):
                return self._from_number(int(text))
            raise ValueProblem(_NOT_A_TIME)
        try:
            dt = datetime.fromisoformat(text)
            return dt, dt.utcoffset()
        except ValueError:
            pass
        if (m := _NUM.match(text)) is not None:
            return self._from_numeric_date(m)
        if (m := _DMON.match(text) or _MOND.match(text)) is not None:
            return _named(m)
        if _DECIMAL.match(text) is not None:
            return self._from_number(float(text))
        raise ValueProblem(_NOT_A_TIME)

    def _from_numeric_date(self, m: re.Match[str]) -> tuple[datetime, timedelta | None]:
        """A date written as three numbers: Y/M/D, or D/M/Y or M/D/Y per the column's order."""
        a, b, c = m.group("a", "b", "c")
        if len(a) == 4 and len(c) <= 2:
            return _at(int(a), int(b), int(c), m)
        if len(a) > 2 or len(c) not in (2, 4):
            raise ValueProblem(_NOT_A_TIME)
        first, second = int(a), int(b)
        day_first = self.day_first
        if day_first is None:
            if first > 12 or first == second or not first or not second:
                day_first = True
            elif second > 12:
                day_first = False
            else:
                dm, md = _ENGLISH_MONTHS[second - 1], _ENGLISH_MONTHS[first - 1]
                raise ValueProblem(
                    f"could be {first} {dm} or {second} {md}: the column does not show whether "
                    "dates are day/month/year or month/day/year. Set the time format in the "
                    "mapping (e.g. %d/%m/%Y or %m/%d/%Y)"
                )
        if day_first:
            return _at(_year(c), second, first, m)
        return _at(_year(c), first, second, m)
