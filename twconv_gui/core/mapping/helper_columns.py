"""Helper columns of a mapping: a row's country, time of day and time zone, the refunded part.

Each finder looks at headers and sample values and returns the column with a reason for users
(or None). They never guess a fixed country or zone: a zone comes only from a header that
names it ("Created (UTC)") or from a template's preamble.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from twconv_gui.core.mapping import header_synonyms as syn
from twconv_gui.core.mapping import values as kinds
from twconv_gui.core.mapping.headers import header
from twconv_gui.core.mapping.values import ValueProfile
from twconv_gui.core.normalize.countries import region_of
from twconv_gui.core.normalize.zones import parse_zone, zone_from_header, zone_from_preamble
from twconv_gui.core.reading.table import Cell

_MIN_COUNTRY_SHARE = 0.6


@dataclass(frozen=True)
class HelperPick:
    """A column picked for a helper field, and why."""

    column: str
    reason: str
    score: float


@dataclass(frozen=True)
class CountryColumn:
    """A column naming each row's country; `regions` holds each sample row's region or None."""

    column: str
    share: float  # of non-empty values that name a country
    regions: tuple[str | None, ...]
    address: frozenset[str]  # address words of its header ("billing", "shipping")


def _filled(cells: Sequence[Cell]) -> list[Cell]:
    return [c for c in cells if c is not None and not (isinstance(c, str) and not c.strip())]


def country_columns(
    columns: Sequence[str], values: Sequence[Sequence[Cell]]
) -> list[CountryColumn]:
    """Columns whose header says country and whose values name countries, best first."""
    found: list[CountryColumn] = []
    for column, cells in zip(columns, values, strict=True):
        h = header(column)
        if not any(w in h.compact for w in syn.COUNTRY_WORDS) and not h.tokens & {"land"}:
            continue
        if any(w in h.compact for w in syn.COUNTRY_NOT) and "country" not in h.tokens:
            continue
        if any(w in h.compact for w in ("origin", "issu", "manufactur")):
            continue
        regions = tuple(region_of(c) for c in cells)
        filled = _filled(cells)
        share = sum(r is not None for r in regions) / len(filled) if filled else 0.0
        if filled and share < _MIN_COUNTRY_SHARE:
            continue
        address = frozenset(h.tokens & set(syn.ADDRESS_WORDS))
        found.append(CountryColumn(column, share, regions, address))
    fill = {c.column: sum(r is not None for r in c.regions) for c in found}
    return sorted(found, key=lambda c: (-fill[c.column], -c.share))


def country_for(phone_column: str, countries: Sequence[CountryColumn]) -> CountryColumn | None:
    """The country column that goes with a phone column: same address words, else the best."""
    words = header(phone_column).tokens & set(syn.ADDRESS_WORDS)
    if words:
        for country in countries:
            if country.address & words:
                return country
    return countries[0] if countries else None


def time_of_day(
    time_column: str,
    columns: Sequence[str],
    profiles: Sequence[ValueProfile],
    used: set[str],
) -> HelperPick | None:
    """A time column beside a conversion_time column that holds dates only."""
    p = profiles[columns.index(time_column)]
    if not p.n or p.count(kinds.DATE) < 0.8 * p.n:
        return None
    for column, q in zip(columns, profiles, strict=True):
        h = header(column)
        timeish = any(w in h.tokens for w in syn.TIME_WORDS) or h.compact.endswith("zeit")
        if column == time_column or column in used or not timeish:
            continue
        if q.n and q.count(kinds.TIME) >= 0.8 * q.n:
            why = (
                f'"{time_column}" holds dates only; the time of day is in "{column}" '
                f"({q.count(kinds.TIME)} of {q.n} values are times)"
            )
            return HelperPick(column, why, 0.9)
    return None


def time_zone_column(
    columns: Sequence[str], values: Sequence[Sequence[Cell]], used: set[str]
) -> HelperPick | None:
    """A column naming each row's time zone (PayPal's TimeZone, Square's Time Zone)."""
    for column, cells in zip(columns, values, strict=True):
        h = header(column)
        if column in used or h.compact not in syn.TIME_ZONE_HEADERS:
            continue
        filled = _filled(cells)[:100]
        read = sum(parse_zone(c) is not None for c in filled)
        if filled and read >= 0.8 * len(filled):
            why = f'header "{column}" names a time zone; {read} of {len(filled)} values are zones'
            return HelperPick(column, why, 0.9)
    return None


def refunded_column(
    columns: Sequence[str], profiles: Sequence[ValueProfile], used: set[str]
) -> HelperPick | None:
    """A numeric column holding the refunded amount (Refunded Amount, Amount Refunded…)."""
    for column, p in zip(columns, profiles, strict=True):
        h = header(column)
        named = h.compact in syn.REFUNDED_HEADERS or h.bare in syn.REFUNDED_HEADERS
        if column in used or not named:
            continue
        if p.n and p.count(kinds.NUMBER) < 0.8 * p.n:
            continue
        why = f'header "{column}" is a usual name for the refunded amount'
        if p.n:
            why += f"; values look like amounts ({p.count(kinds.NUMBER)} of {p.n})"
        return HelperPick(column, why, 0.85)
    return None


def fixed_zone(
    time_column: str | None, preamble: Sequence[Sequence[Cell]]
) -> tuple[str, str] | None:
    """(IANA zone, why) when the file names the zone of its times, else None."""
    zone = zone_from_preamble(preamble) if preamble else None
    if zone:
        return zone, f"the line above the header sets the time zone {zone}"
    if time_column is not None and (zone := zone_from_header(time_column)):
        return zone, f'the header "{time_column}" says its times are in {zone}'
    return None
