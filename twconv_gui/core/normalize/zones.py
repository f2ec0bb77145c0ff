"""Time zones as exports write them: IANA names, offsets, abbreviations, Rails and Windows names."""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, available_timezones

import tzlocal

from twconv_gui.core.reading.table import Cell

__all__ = [
    "local_zone_name",
    "parse_zone",
    "zone_from_header",
    "zone_from_preamble",
    "zone_label",
]

_UTC_WORDS = frozenset(
    {
        "UTC", "GMT", "Z", "UT", "UCT", "ZULU", "UNIVERSAL", "GMT0", "ETC/UTC", "ETC/GMT",
        "ETC/UCT", "ETC/ZULU", "ETC/UNIVERSAL", "COORDINATED UNIVERSAL TIME",
    }
)  # fmt: skip

# Abbreviations with one meaning in exports, as minutes east of UTC. An abbreviation pins an
# offset: PayPal writes PST on winter rows and PDT on summer ones, so PST is -8 all year.
# CST is North America's (not China's), BST British Summer Time; IST, AST, SST... are
# ambiguous and deliberately absent.
_ABBREVIATIONS = {
    "PST": -480, "PDT": -420, "MST": -420, "MDT": -360, "CST": -360, "CDT": -300,
    "EST": -300, "EDT": -240, "AKST": -540, "AKDT": -480, "HST": -600, "HDT": -540,
    "NST": -210, "NDT": -150, "WET": 0, "WEST": 60, "BST": 60, "CET": 60, "CEST": 120,
    "MET": 60, "MEST": 120, "EET": 120, "EEST": 180, "MSK": 180, "SAST": 120, "GST": 240,
    "PKT": 300, "HKT": 480, "SGT": 480, "AWST": 480, "JST": 540, "KST": 540, "ACST": 570,
    "ACDT": 630, "AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780, "BRT": -180, "ART": -180,
}  # fmt: skip

_IANA_FIXED = frozenset({"EST", "MST", "HST"})  # IANA zones of one fixed offset, as abbreviated

# Rails/ActiveSupport display names (what Square writes in "Time Zone") whose IANA zone is not
# simply found by its city name; every other city ("Berlin", "Tokyo") is looked up in the IANA
# database itself. A curated extract of ActiveSupport::TimeZone::MAPPING, which ships with no
# Python package: the US/Canada names and the big cities whose zone is named after another one.
_NAMED = {
    "pacific time (us & canada)": "America/Los_Angeles",
    "mountain time (us & canada)": "America/Denver",
    "central time (us & canada)": "America/Chicago",
    "eastern time (us & canada)": "America/New_York",
    "atlantic time (canada)": "America/Halifax",
    "pacific time": "America/Los_Angeles",
    "mountain time": "America/Denver",
    "central time": "America/Chicago",
    "eastern time": "America/New_York",
    "alaska time": "America/Anchorage",
    "hawaii time": "Pacific/Honolulu",
    "arizona": "America/Phoenix",
    "alaska": "America/Juneau",
    "hawaii": "Pacific/Honolulu",
    "indiana (east)": "America/Indiana/Indianapolis",
    "saskatchewan": "America/Regina",
    "newfoundland": "America/St_Johns",
    "guadalajara": "America/Mexico_City",
    "quito": "America/Lima",
    "brasilia": "America/Sao_Paulo",
    "buenos aires": "America/Argentina/Buenos_Aires",
    "edinburgh": "Europe/London",
    "bern": "Europe/Zurich",
    "kyiv": "Europe/Kyiv",
    "pretoria": "Africa/Johannesburg",
    "st. petersburg": "Europe/Moscow",
    "abu dhabi": "Asia/Dubai",
    "islamabad": "Asia/Karachi",
    "mumbai": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata",
    "chennai": "Asia/Kolkata",
    "beijing": "Asia/Shanghai",
    "hanoi": "Asia/Bangkok",
    "osaka": "Asia/Tokyo",
    "sapporo": "Asia/Tokyo",
    "canberra": "Australia/Canberra",
    "wellington": "Pacific/Auckland",
    "samoa": "Pacific/Apia",
    "utc": "Etc/UTC",
}
# The areas of canonical IANA names; US/Pacific, Canada/Central... would make cities ambiguous.
_AREAS = ("Africa/", "America/", "Antarctica/", "Asia/", "Atlantic/", "Australia/", "Europe/",
          "Indian/", "Pacific/")  # fmt: skip

_OFFSET = re.compile(r"(?:(?:UTC|GMT|UT)\s*)?([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.I)
# "(GMT+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "(UTC) Coordinated ..."
_WINDOWS = re.compile(r"\(\s*(?:UTC|GMT)\s*((?:[+-]\s*\d{1,2}(?::?\d{2})?)?)\s*\)\s*(.*)", re.I)
_BRACKETED = re.compile(r"[(\[]\s*([^()\[\]]{1,40}?)\s*[)\]]")
_SUFFIX_UTC = re.compile(
    r".*\w[\s_-]+((?:UTC|GMT)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?)\s*", re.I | re.S
)
_SUFFIX_ABBREVIATION = re.compile(r".*\w[\s_-]+([A-Z]{2,5})\s*", re.S)
_PARAMETER = re.compile(r"\s*parameters\s*:\s*time\s*zone\s*[=:]?\s*(.*)", re.I | re.S)


def parse_zone(text: Cell) -> tzinfo | None:
    """The time zone a cell names, or None when it names none (never raises).

    Understood: IANA names in any case ("Europe/Berlin", "europe/berlin"), UTC/GMT/Z, offsets
    ("+05:30", "+0530", "-08", "UTC+2", "GMT-08:00", "UTC +05:30"), unambiguous abbreviations
    (PST, PDT, CET, CEST, JST... each a fixed offset, since the abbreviation itself says
    whether summer time applies; IST and other ambiguous ones give None), Rails display names
    ("Pacific Time (US & Canada)", "Arizona", "London"), city names found in the IANA database
    ("Berlin", "Tokyo") and Windows labels ("(UTC+01:00) Amsterdam, Berlin, Bern, ...").
    Results are cached by text, so calling this once per row is cheap.

    Args:
        text: a cell, typically of a time-zone column; anything but text gives None.

    Returns:
        A tzinfo (a ZoneInfo where the name stands for a region with summer time, else a fixed
        offset; UTC itself is datetime.UTC), or None.
    """
    if type(text) is not str:
        return None
    return _parse(text, cities=True)


def zone_label(tz: tzinfo | None) -> str:
    """How to name a zone in a message: "Europe/Berlin", "UTC", "PST (UTC-08:00)", "UTC+05:30".

    Args:
        tz: a zone from parse_zone (or any tzinfo); None is read as UTC.
    """
    if tz is None or tz is UTC:
        return "UTC"
    if isinstance(tz, ZoneInfo):
        return tz.key
    if isinstance(tz, timezone):
        offset = tz.utcoffset(None) or timedelta(0)
        name, plain = tz.tzname(None), timezone(offset).tzname(None)
        return plain if name == plain else f"{name} ({plain})"
    return str(tz)


def local_zone_name() -> str:
    """The computer's IANA time zone (the TZ environment variable first), "UTC" if unknown.

    This is the zone of times that carry none and come from a file with no zone column, header
    or parameter: the zone the exporting program most likely wrote them in.
    """
    # TZ is read here on every call: tzlocal reads it once per process and caches it.
    name: str | None = os.environ.get("TZ", "").strip().lstrip(":")
    if name and "zoneinfo/" in name:  # TZ=/usr/share/zoneinfo/Europe/Berlin
        name = name.rsplit("zoneinfo/", 1)[1]
    if not name or not (name.upper() in _UTC_WORDS or name.lower() in _iana()):
        try:
            with warnings.catch_warnings():  # tzlocal warns when TZ and the system disagree
                warnings.simplefilter("ignore")
                name = tzlocal.get_localzone_name()
        except Exception:  # any failure means "cannot be told"
            return "UTC"
    if not name or name.upper() in _UTC_WORDS:
        return "UTC"
    return _iana().get(name.lower(), "UTC")


def zone_from_header(header: str) -> str | None:
    """The zone a column header names, as a name parse_zone reads; None when it names none.

    Read from brackets ("Created (UTC)", "Date [GMT+1]", "Order Date (PST)", "Time
    (Europe/Berlin)") or a last word ("Created UTC", "created_at_utc", "Date EST").
    Abbreviations count only in capitals and city names not at all, so "Amount (EUR)",
    "Date (dd/mm/yyyy)" or "Store (Paris)" name no zone.

    Args:
        header: the column's name as the file writes it.

    Returns:
        "UTC", an IANA name, an abbreviation ("PST") or an offset ("UTC+01:00"), or None.
    """
    candidates = [m[1] for m in _BRACKETED.finditer(header)]
    last = _SUFFIX_UTC.fullmatch(header) or _SUFFIX_ABBREVIATION.fullmatch(header)
    if last is not None:
        candidates.append(last[1])
    for text in candidates:
        if text.upper() in _ABBREVIATIONS and not text.isupper():
            continue
        if (tz := _parse(text, cities=False)) is not None:
            return _zone_key(tz)
    return None


def zone_from_preamble(lines: Sequence[Sequence[Cell]]) -> str | None:
    """The zone of a Google Ads import template's "Parameters:TimeZone=..." line.

    Args:
        lines: the rows above the header, as cells; the parameter may fill the first cell or
            be split over several ("Parameters:TimeZone=" | "America/New_York").

    Returns:
        A name parse_zone reads ("America/New_York", "UTC-05:00"), or None when no line sets
        a zone that exists.
    """
    for row in lines:
        texts = [t for t in (str(c).strip() for c in row if c is not None) if t]
        m = _PARAMETER.fullmatch(" ".join(texts)) if texts else None
        if m is None:
            continue
        value = m[1].strip().strip(";,").strip()
        for candidate in (value, *re.split(r"[\s;,]+", value, maxsplit=1)[:1]):
            if candidate and (tz := _parse(candidate, cities=False)) is not None:
                return _zone_key(tz)
    return None


@lru_cache(maxsize=4096)
def _parse(text: str, *, cities: bool) -> tzinfo | None:
    """parse_zone's work, cached; cities=False leaves out plain city and Windows names."""
    s = " ".join(text.replace("\u2212", "-").split())
    if not s or len(s) > 120:
        return None
    upper = s.upper()
    if upper in _UTC_WORDS:
        return UTC
    if (minutes := _ABBREVIATIONS.get(upper)) is not None:
        return timezone(timedelta(minutes=minutes), upper)
    if (m := _OFFSET.fullmatch(s)) is not None:
        return _fixed(*m.groups())
    lower = s.lower()
    if (key := _iana().get(lower)) is not None:
        return UTC if key in ("Etc/UTC", "UTC") else ZoneInfo(key)
    if (key := _NAMED.get(lower)) is not None:
        return UTC if key == "Etc/UTC" else ZoneInfo(key)
    if not cities:
        return None
    if (m := _WINDOWS.fullmatch(s)) is not None:
        return _windows_label(m[1], m[2])
    if (key := _cities().get(lower)) is not None:
        return ZoneInfo(key)
    return None


def _fixed(sign: str, hours: str, minutes: str | None) -> tzinfo | None:
    """A fixed offset from its parts, None past ±14:00 or with minutes of 60 or more."""
    h, m = int(hours), int(minutes or 0)
    if h > 14 or m >= 60 or (h == 14 and m):
        return None
    offset = timedelta(hours=h, minutes=m)
    if not offset:
        return UTC
    return timezone(-offset if sign == "-" else offset)


def _windows_label(offset_text: str, names: str) -> tzinfo | None:
    """A Windows label's zone: its first place whose zone has the label's offset (standard or
    summer), else the plain offset (which then ignores summer time)."""
    m = _OFFSET.fullmatch(offset_text) if offset_text else None
    fixed = _fixed(*m.groups()) if m else UTC
    if fixed is None:
        return None
    standard = fixed.utcoffset(None)
    for name in (names, *names.split(",")):
        tz = _parse(name, cities=True) if name.strip() else None
        if isinstance(tz, ZoneInfo) and standard in _offsets_of(tz):
            return tz
    return fixed


def _offsets_of(tz: ZoneInfo) -> set[timedelta | None]:
    """The zone's offsets in January and July 2024 (its standard and its summer offset)."""
    return {datetime(2024, month, 15, tzinfo=tz).utcoffset() for month in (1, 7)}


def _zone_key(tz: tzinfo) -> str:
    """A name that parse_zone and TimeConverter.for_column read back as the same zone."""
    if isinstance(tz, ZoneInfo):
        return tz.key
    offset = tz.utcoffset(None)
    if not offset:
        return "UTC"
    name = tz.tzname(None) or ""
    # CET, EET, WET and MET are also IANA zones with summer time: give their fixed offset.
    if name in _ABBREVIATIONS and (name.lower() not in _iana() or name in _IANA_FIXED):
        return name
    return timezone(offset).tzname(None)


@cache
def _iana() -> dict[str, str]:
    """Every IANA zone name by its lowercase form (built once, ~20 ms)."""
    keys = available_timezones() - {"localtime", "Factory", "posixrules"}
    return {key.lower(): key for key in keys}


@cache
def _cities() -> dict[str, str]:
    """IANA zones by their city in lowercase with spaces ("new york" → America/New_York)."""
    found: dict[str, str] = {}
    for key in sorted(_iana().values(), key=lambda k: (k.count("/"), k), reverse=True):
        if key.startswith(_AREAS):
            found[key.rsplit("/", 1)[1].replace("_", " ").lower()] = key
    return found
