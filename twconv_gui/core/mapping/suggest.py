"""Guess which column holds which conversion field, from the header names and sample values.

Pure and fast: `suggest_mapping` looks at the header row (and the lines above it) and at most
a few hundred sample rows, never at files. It proposes the columns of each field (with
fallbacks for phones and emails), the helper columns (a row's country, time of day, time
zone, refunded amount), the row filters that leave out what is no sale, the time zone, and
notes for users about what it could not decide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from twconv_gui.core.mapping import helper_columns as helpers
from twconv_gui.core.mapping import values as kinds
from twconv_gui.core.mapping.candidates import ColumnSuggestion, candidates
from twconv_gui.core.mapping.exports import KnownExport, SuggestedFilter, recognize, suggest_filters
from twconv_gui.core.mapping.fields import FIELD_NAMES
from twconv_gui.core.mapping.headers import header, header_matches
from twconv_gui.core.mapping.line_items import repeated_ids
from twconv_gui.core.mapping.ranking import (
    CONTACT_FIELDS,
    check_phones,
    contact_fallbacks,
    rank_contacts,
)
from twconv_gui.core.mapping.values import ValueProfile, profile_values
from twconv_gui.core.normalize.click_ids import foreign_header
from twconv_gui.core.normalize.zones import local_zone_name
from twconv_gui.core.reading.table import Cell

__all__ = ["ColumnSuggestion", "MappingSuggestion", "suggest_mapping"]


@dataclass(frozen=True)
class MappingSuggestion:
    """The proposed mapping.

    Attributes:
        columns: field -> column, each column used at most once (helper fields included).
        details: why, per chosen field, in FIELD_NAMES order.
        fallbacks: field -> further columns tried in order when the first is empty.
        filters: row filters proposed, each with its reason.
        timezone: IANA zone the file names for its times (header or preamble), else None.
        group_by_conversion_id: rows sharing the conversion id are one order's line items.
        export: the known export recognized ("Shopify orders export"), or None.
        notes: sentences for users: what was assumed, ignored or could not be decided.
    """

    columns: dict[str, str]
    details: tuple[ColumnSuggestion, ...]
    fallbacks: dict[str, list[str]] = field(default_factory=dict)
    filters: tuple[SuggestedFilter, ...] = ()
    timezone: str | None = None
    group_by_conversion_id: bool = False
    export: str | None = None
    notes: tuple[str, ...] = ()


_ORDER = {f: i for i, f in enumerate(FIELD_NAMES)}
_RECORD_WORDS = frozenset(("contact", "lead", "record", "client", "kunde", "kunden"))


def _assign(
    cands: list[ColumnSuggestion], order: dict[str, int], boost: dict[str, float]
) -> dict[str, ColumnSuggestion]:
    """Greedy by score: the surest pair first, each field and each column used once."""
    ranked = sorted(
        cands,
        key=lambda c: (-(c.score + boost.get(c.field, 0.0)), order[c.column], _ORDER[c.field]),
    )
    chosen: dict[str, ColumnSuggestion] = {}
    used: set[str] = set()
    for c in ranked:
        if c.field not in chosen and c.column not in used:
            chosen[c.field] = c
            used.add(c.column)
    return chosen


def _prefer(
    cands: list[ColumnSuggestion], export: KnownExport, columns: Sequence[str]
) -> list[ColumnSuggestion]:
    """Raise the export's usual columns for each field above the others."""
    out = []
    for c in cands:
        usual = [header(u).compact for u in export.prefer.get(c.field, ())]
        if (compact := header(c.column).compact) in usual:
            score = max(c.score, 1.0 - 0.01 * usual.index(compact))
            why = f"{c.reason}; the usual column of a {export.name}"
            out.append(replace(c, reason=why, score=round(score, 3)))
        else:
            out.append(c)
    return out


def _prefer_time_of_day(
    cands: list[ColumnSuggestion], columns: Sequence[str], profiles: Sequence[ValueProfile]
) -> list[ColumnSuggestion]:
    """A sale-time column with the time of day wins over a date-only one ("Won At" over "Close
    Date"), when its header says it is the sale's time as surely: times of day are not lost."""
    by_column = dict(zip(columns, profiles, strict=True))
    times = [c for c in cands if c.field == "conversion_time"]
    if not times:
        return cands
    best = max(c.score for c in times)

    def full(c: ColumnSuggestion) -> bool:
        p = by_column[c.column]
        return bool(p.n) and p.count(kinds.DATETIME) >= 0.8 * p.n

    def sale_header(c: ColumnSuggestion) -> bool:
        return header_matches(c.column).get("conversion_time", (0.0, ""))[0] >= 0.95

    winner = next(
        (c for c in sorted(times, key=lambda c: -c.score) if full(c) and sale_header(c)), None
    )
    if winner is None or winner.score >= best:
        return cands
    raised = replace(
        winner, score=round(best + 0.001, 3), reason=f"{winner.reason}; it keeps the time of day"
    )
    return [raised if c is winner else c for c in cands]


def _with_contacts(
    cands: list[ColumnSuggestion],
    columns: Sequence[str],
    profiles: Sequence[ValueProfile],
    values: Sequence[Sequence[Cell]],
    countries: Sequence[helpers.CountryColumn],
) -> list[ColumnSuggestion]:
    triples = [(c.field, c.column, c.score) for c in cands]
    ranking = rank_contacts(triples, columns, profiles, values, countries)
    out = []
    for c in cands:
        score = ranking.scores.get((c.field, c.column))
        if score is not None:
            check = ranking.phones.get(c.column) if c.field == "phone" else None
            why = c.reason
            p = profiles[columns.index(c.column)]
            if check is not None and check.valid + check.national < check.rows:
                why += f"; {check.valid} of {check.rows} rows hold a valid number"
            elif c.field == "email" and p.n < p.rows:
                why += f"; filled in {p.n} of {p.rows} rows"
            out.append(replace(c, score=score, reason=why))
        else:
            out.append(c)
    return out


def _record_id(
    columns: Sequence[str], profiles: Sequence[ValueProfile], used: set[str]
) -> ColumnSuggestion | None:
    """Without any order id: a contact or lead id that is unique on every sample row."""
    for column, p in zip(columns, profiles, strict=True):
        h = header(column)
        if column in used or "id" not in h.tokens or not h.tokens & _RECORD_WORDS:
            continue
        if p.n >= 2 and p.distinct == p.n == p.rows and p.count(kinds.IDLIKE) == p.n:
            why = (
                f'no order id in the file; "{column}" is unique on every sample row '
                f"({p.n} of {p.n}), so each row is one sale"
            )
            return ColumnSuggestion("conversion_id", column, why, 0.4)
    return None


def _helper(fname: str, pick: helpers.HelperPick | None) -> ColumnSuggestion | None:
    return ColumnSuggestion(fname, pick.column, pick.reason, pick.score) if pick else None


def suggest_mapping(
    columns: Sequence[str],
    sample_rows: Sequence[Sequence[Cell]],
    *,
    preamble: Sequence[Sequence[Cell]] = (),
) -> MappingSuggestion:
    """Propose field -> column from header names and what the sample values look like.

    Args:
        columns: the unique column names.
        sample_rows: the first rows of the file (a few hundred at most).
        preamble: rows above the header (a template's "Parameters:TimeZone=..." line).
    """
    text_cache: dict[str, int] = {}
    values = [[r[i] if i < len(r) else None for r in sample_rows] for i in range(len(columns))]
    profiles = [profile_values(v, text_cache) for v in values]
    order = {c: i for i, c in enumerate(columns)}
    export = recognize(columns)
    cands = candidates(columns, profiles, has_rows=bool(sample_rows))
    # Privacy by default: a description column is text someone typed (a charge's note, a deal's
    # summary) and may name the customer; it is sent only when the user maps it.
    cands = [c for c in cands if c.field != "description"]
    if export is not None:
        cands = _prefer(cands, export, columns)
    countries = helpers.country_columns(columns, values)
    cands = _with_contacts(cands, columns, profiles, values, countries)

    cands = _prefer_time_of_day(cands, columns, profiles)
    first = _assign(cands, order, {})
    if "content_id" in first or "content_name" in first:
        # a file with product columns: its quantity is the product's quantity
        chosen = _assign(cands, order, {"content_num_items": 0.1})
    else:
        chosen = _assign([c for c in cands if not c.field.startswith("content_")], order, {})
    used = {c.column for c in chosen.values()}
    if "conversion_id" not in chosen and (record := _record_id(columns, profiles, used)):
        chosen["conversion_id"] = record
        used.add(record.column)

    fallbacks: dict[str, list[str]] = {}
    by_column = dict(zip(columns, profiles, strict=True))
    for fname in (*CONTACT_FIELDS, "twclid"):
        if fname not in chosen:
            continue
        ranked = sorted(
            ((c.column, c.score) for c in cands if c.field == fname),
            key=lambda pair: (-pair[1], order[pair[0]]),
        )
        others = contact_fallbacks(fname, chosen[fname].column, ranked, by_column, used)
        if others:
            fallbacks[fname] = others
            used.update(others)

    notes: list[str] = []
    if export is not None:
        notes.append(f"Recognized as a {export.name}.")
    _add_helpers(
        chosen,
        columns=columns,
        profiles=profiles,
        values=values,
        countries=countries,
        used=used,
        export=export,
    )
    zone = helpers.fixed_zone(
        chosen["conversion_time"].column if "conversion_time" in chosen else None, preamble
    )
    filters = tuple(suggest_filters(columns, values, export))
    mapped = {f: c.column for f, c in chosen.items()}
    repeats = repeated_ids(
        columns, sample_rows, mapped, line_item_export=bool(export and export.line_items)
    )
    notes += _time_notes(chosen, profiles, columns, zone)
    notes += _phone_notes(chosen, fallbacks, values, columns)
    notes += [f"Rows where {f.row_filter.describe()} are left out: {f.reason}." for f in filters]
    notes += [repeats.note] if repeats.note else []
    notes += _foreign_notes(columns, profiles)

    details = tuple(chosen[f] for f in FIELD_NAMES if f in chosen)
    return MappingSuggestion(
        {c.field: c.column for c in details},
        details,
        fallbacks=fallbacks,
        filters=filters,
        timezone=zone[0] if zone else None,
        group_by_conversion_id=repeats.group,
        export=export.name if export else None,
        notes=tuple(notes),
    )


def _add_helpers(
    chosen: dict[str, ColumnSuggestion],
    *,
    columns: Sequence[str],
    profiles: Sequence[ValueProfile],
    values: Sequence[Sequence[Cell]],
    countries: Sequence[helpers.CountryColumn],
    used: set[str],
    export: KnownExport | None,
) -> None:
    """Choose phone_country, time_of_day, time_zone and refunded_value (in place)."""
    found: dict[str, ColumnSuggestion | None] = {}
    if "phone" in chosen:
        usual = export.prefer.get("phone_country", ()) if export else ()
        preferred = {header(c).compact for c in usual}
        country = next((c for c in countries if header(c.column).compact in preferred), None)
        country = country or helpers.country_for(chosen["phone"].column, countries)
        if country is not None and country.column not in used:
            filled = sum(r is not None for r in country.regions)
            why = (
                f'header "{country.column}" names each row\'s country ({filled} of '
                f"{len(country.regions)} rows); phones without +country code are read in it"
            )
            found["phone_country"] = ColumnSuggestion("phone_country", country.column, why, 0.9)
    if "conversion_time" in chosen:
        time_column = chosen["conversion_time"].column
        pick = helpers.time_of_day(time_column, columns, profiles, used)
        if pick is not None:
            note = f'; the time of day is in the separate column "{pick.column}", not combined here'
            chosen["conversion_time"] = replace(
                chosen["conversion_time"], reason=chosen["conversion_time"].reason + note
            )
        found["time_of_day"] = _helper("time_of_day", pick)
        found["time_zone"] = _helper("time_zone", helpers.time_zone_column(columns, values, used))
    if "value" in chosen:
        found["refunded_value"] = _helper(
            "refunded_value", helpers.refunded_column(columns, profiles, used)
        )
    for fname, suggestion in found.items():
        if suggestion is not None and suggestion.column not in used:
            chosen[fname] = suggestion
            used.add(suggestion.column)


def _time_notes(
    chosen: dict[str, ColumnSuggestion],
    profiles: Sequence[ValueProfile],
    columns: Sequence[str],
    zone: tuple[str, str] | None,
) -> list[str]:
    if "conversion_time" not in chosen:
        return []
    column = chosen["conversion_time"].column
    p = profiles[columns.index(column)]
    if zone is not None:
        return [f"Times are read in {zone[0]}: {zone[1]}."]
    if "time_zone" in chosen:
        return [f'Each row\'s time zone is read from "{chosen["time_zone"].column}".']
    if p.n and p.count(kinds.ZONED) >= 0.8 * p.n:
        return []
    return [
        f'The times in "{column}" carry no time zone and nothing in the file names one: they '
        f'will be read in this computer\'s zone, {local_zone_name()}. Set "timezone" in the '
        "mapping if the sales happened in another zone."
    ]


def _phone_notes(
    chosen: dict[str, ColumnSuggestion],
    fallbacks: dict[str, list[str]],
    values: Sequence[Sequence[Cell]],
    columns: Sequence[str],
) -> list[str]:
    if "phone" not in chosen or "phone_country" in chosen:
        return []
    national = 0
    for column in [chosen["phone"].column, *fallbacks.get("phone", ())]:
        national += check_phones(values[columns.index(column)], None).national
    if not national:
        return []
    return [
        f"{national} sample phone numbers have no +country code and no country column was "
        "found: phones without +country code cannot be used: map a country column "
        '(phone_country) or set "phone_region".'
    ]


def _foreign_notes(columns: Sequence[str], profiles: Sequence[ValueProfile]) -> list[str]:
    notes = []
    for column, p in zip(columns, profiles, strict=True):
        found = foreign_header(column)
        if found is not None:
            notes.append(f'"{column}" holds {found.describe()}: it is never sent as an X click id.')
        elif p.n and p.count(kinds.FOREIGN_CLICK) * 2 >= p.n:
            notes.append(
                f'"{column}" holds values shaped like another network\'s click ids: it is never '
                "sent as an X click id."
            )
    return notes
