"""Conversion times: any spreadsheet date/time notation to X's UTC `yyyy-MM-ddTHH:mm:ss.SSSZ`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from twconv_gui.core.errors import MappingError
from twconv_gui.core.normalize.problems import ValueProblem
from twconv_gui.core.normalize.time_notations import (
    DAY_MONTH_NAME,
    DECIMAL,
    DM_PREFIX,
    ENGLISH_MONTHS,
    MONTH_NAME_DAY,
    NOT_A_TIME,
    NUMERIC_DATE,
    TimeFormat,
    date_time,
    named_date_time,
    time_of_day,
    year_of,
)
from twconv_gui.core.normalize.zones import local_zone_name, parse_zone, zone_label
from twconv_gui.core.reading.table import Cell

__all__ = ["TimeConverter", "local_zone_name"]

_ZERO = timedelta(0)
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
_NOT_A_NUMBER = "is a number, not a date/time (numbers are read as Excel dates"


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

    def __init__(self, tz: tzinfo | None, fmt: TimeFormat | None = None) -> None:
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
                return cls(tz, TimeFormat(time_format))
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
                if (m := DM_PREFIX.match(v)) is not None:
                    numeric += 1
                    numbers_only = False
                    a, b = int(m[1]), int(m[3])
                    if m[2] != ".":
                        undotted, sep = True, m[2]
                    first_big |= 12 < a <= 31 and 1 <= b <= 12
                    second_big |= 12 < b <= 31 and 1 <= a <= 12
                elif numbers_only and DECIMAL.match(v) is None and v.strip():
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
        clock, tz = time_of_day(time_cell)
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
        raise ValueProblem(f"is {kind}, not a date/time" if kind else NOT_A_TIME)

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
        if self._prefer_numeric and (m := NUMERIC_DATE.match(value)) is not None:
            return self._from_numeric_date(m)
        text = value.strip()
        if text.isdigit() and text.isascii() and len(text) != 8:  # 8 digits: ISO's YYYYMMDD
            if len(text) in (10, 13) or (len(text) == 5 and self._serials):
                return self._from_number(int(text))
            raise ValueProblem(NOT_A_TIME)
        try:
            dt = datetime.fromisoformat(text)
            return dt, dt.utcoffset()
        except ValueError:
            pass
        if (m := NUMERIC_DATE.match(text)) is not None:
            return self._from_numeric_date(m)
        if (m := DAY_MONTH_NAME.match(text) or MONTH_NAME_DAY.match(text)) is not None:
            return named_date_time(m)
        if DECIMAL.match(text) is not None:
            return self._from_number(float(text))
        raise ValueProblem(NOT_A_TIME)

    def _from_numeric_date(self, m: re.Match[str]) -> tuple[datetime, timedelta | None]:
        """A date written as three numbers: Y/M/D, or D/M/Y or M/D/Y per the column's order."""
        a, b, c = m.group("a", "b", "c")
        if len(a) == 4 and len(c) <= 2:
            return date_time(int(a), int(b), int(c), m)
        if len(a) > 2 or len(c) not in (2, 4):
            raise ValueProblem(NOT_A_TIME)
        first, second = int(a), int(b)
        day_first = self.day_first
        if day_first is None:
            if first > 12 or first == second or not first or not second:
                day_first = True
            elif second > 12:
                day_first = False
            else:
                dm, md = ENGLISH_MONTHS[second - 1], ENGLISH_MONTHS[first - 1]
                raise ValueProblem(
                    f"could be {first} {dm} or {second} {md}: the column does not show whether "
                    "dates are day/month/year or month/day/year. Set the time format in the "
                    "mapping (e.g. %d/%m/%Y or %m/%d/%Y)"
                )
        if day_first:
            return date_time(year_of(c), second, first, m)
        return date_time(year_of(c), first, second, m)
