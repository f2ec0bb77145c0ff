"""Date/time notations: the regexes, month names and strptime formats that read a time's text."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache

from twconv_gui.core.normalize.problems import ValueProblem
from twconv_gui.core.normalize.zones import parse_zone
from twconv_gui.core.reading.table import Cell

__all__ = [
    "DAY_MONTH_NAME",
    "DECIMAL",
    "DM_PREFIX",
    "ENGLISH_MONTHS",
    "MONTH_NAME_DAY",
    "NOT_A_TIME",
    "NUMERIC_DATE",
    "TimeFormat",
    "date_time",
    "named_date_time",
    "time_of_day",
    "year_of",
]

_ZERO = timedelta(0)
_DAY = timedelta(days=1)

_NOT_A_CLOCK = "is not a time of day (expected e.g. 14:30, 14:30:05 or 2:30 PM)"
# A time of day alone (a "Time" column beside a "Date" one), with an optional zone after it.
_CLOCK = re.compile(
    r"\s*(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2})(?:[.,](?P<F>\d+))?)?"
    r"(?:\s*(?P<AP>[ap])\.?\s?m\.?)?(?:\s+|(?=[+\-Zz])|\Z)(?P<zone>.*?)\s*",
    re.I,
)

NOT_A_TIME = (
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
NUMERIC_DATE = re.compile(r"\s*(?P<a>\d{1,4})([/.-])(?P<b>\d{1,2})\2(?P<c>\d{1,4})" + _TIME, re.I)
# 5 January 2024, 05-Jan-2024, Fri, 05 Jan 2024 15:04:05 +0000, 5. März 2024, 1er janvier 2024
DAY_MONTH_NAME = re.compile(
    r"(?i)\s*" + _WEEKDAY + r"(?P<d>\d{1,2})(?:st|nd|rd|th|er)?\.?[\s/-]*(?:de\s+)?"
    r"(?P<mon>[^\W\d_]{3,})\.?,?[\s/-]*(?:de\s+)?(?P<y>\d{4}|\d{2})(?!\d)" + _TIME
)
# Jan 5, 2024 3:04 PM, Friday, January 5th, 2024, Fri Jan 05 2024 15:04:05 GMT+0100 (CET)
MONTH_NAME_DAY = re.compile(
    r"(?i)\s*" + _WEEKDAY + r"(?P<mon>[^\W\d_]{3,})\.?[\s/-]*(?P<d>\d{1,2})(?:st|nd|rd|th)?,?"
    r"[\s/-]+(?P<y>\d{4}|\d{2})(?!\d)" + _TIME
)
# The cheap first look at a column: the first two numbers of a D/M/Y or M/D/Y value.
DM_PREFIX = re.compile(r"\s*(\d{1,2})([/.-])(\d{1,2})\2(?:\d{4}|\d{2})(?!\d)")
DECIMAL = re.compile(r"\s*\d+(?:\.\d+)?\s*\Z")
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
ENGLISH_MONTHS = _MONTH_WORDS[0].title().split()


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


def year_of(text: str) -> int:
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


def named_date_time(m: re.Match[str]) -> tuple[datetime, timedelta | None]:
    """The time of a match whose month is a name (groups d, mon, y and the time groups)."""
    month = _MONTHS.get(m["mon"].lower().rstrip("."))
    if month is None:
        raise ValueProblem(NOT_A_TIME)
    return date_time(year_of(m["y"]), month, int(m["d"]), m)


def date_time(y: int, mo: int, d: int, m: re.Match[str]) -> tuple[datetime, timedelta | None]:
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


class TimeFormat:
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
            return named_date_time(m)
        return date_time(year_of(m["y"]), int(m["mo"]), int(m["d"]), m)


def time_of_day(cell: Cell) -> tuple[time | None, tzinfo | None]:
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
    """time_of_day for text: "11:05:56", "11:05:56 AM", "14:22", "14:22:10 PDT"..."""
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
