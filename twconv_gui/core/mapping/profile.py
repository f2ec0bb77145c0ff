"""Mapping profiles: which column or constant feeds each conversion field, and how to read it."""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers

from twconv_gui.core.errors import MappingError
from twconv_gui.core.mapping.fields import FIELD_NAMES, HELPER_FIELDS, HELPS, IDENTIFIER_FIELDS
from twconv_gui.core.mapping.filters import RowFilter, parse_filters
from twconv_gui.core.normalize import zones

PROFILE_KEYS = (
    "columns",
    "constants",
    "timezone",
    "phone_region",
    "time_format",
    "sheet",
    "header_row",
    "group_by_conversion_id",
    "filters",
)


@dataclass
class MappingProfile:
    """What a user saves and shares: the JSON mapping file of the GUI and the CLI.

    Attributes:
        columns: field name -> source column name (the first one, when several are named).
        fallbacks: field name -> further columns read, in order, when the first is empty
            (JSON: a list of columns for one field, e.g. Phone, Shipping Phone, Billing Phone).
        constants: field name -> a value used for every row (e.g. the event id).
        timezone: IANA zone for times written without an offset (or a time_zone column);
            None: the computer's zone, stated wherever times are shown.
        phone_region: ISO 3166 country for phone numbers written without a country code when
            the row's phone_country column is empty or unmapped; None: no fixed region, so
            such numbers are used only when a country column gives their country.
        time_format: strptime format that overrides time detection, or None.
        sheet: workbook sheet (name, or 1-based position), None for the first non-empty one.
        header_row: 1-based header row, None to detect it.
        group_by_conversion_id: one conversion per conversion_id (line-item exports).
        filters: which rows are left out (failed, refunded, cancelled…), see filters.py.
    """

    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    timezone: str | None = None
    phone_region: str | None = None
    time_format: str | None = None
    sheet: str | int | None = None
    header_row: int | None = None
    group_by_conversion_id: bool = False
    fallbacks: dict[str, list[str]] = field(default_factory=dict)
    filters: list[RowFilter] = field(default_factory=list)

    def sources(self, name: str) -> list[str]:
        """Every column that feeds a field, in the order they are tried (empty: none)."""
        first = self.columns.get(name)
        return [first, *self.fallbacks.get(name, ())] if first is not None else []

    def source_columns(self) -> list[str]:
        """Every column the mapping reads (fields, their fallbacks and the filters), once each."""
        names = [c for f in self.columns for c in self.sources(f)]
        names += [f.column for f in self.filters]
        return list(dict.fromkeys(names))

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "the mapping") -> MappingProfile:
        """Build and validate a profile; MappingError names every problem found."""
        if not isinstance(data, Mapping):
            raise MappingError(f'{source} must be a JSON object like {{"columns": {{...}}}}.')
        errors: list[str] = []
        unknown = sorted(set(data) - set(PROFILE_KEYS))
        if unknown:
            errors.append(
                f"unknown setting(s) {', '.join(map(repr, unknown))}; "
                f"allowed: {', '.join(PROFILE_KEYS)}"
            )
        columns, fallbacks = _column_map(data.get("columns", {}), errors)
        constants = _string_map(data.get("constants", {}), "constants", errors)
        for section, entries in (("columns", columns), ("constants", constants)):
            for name in entries:
                if name not in FIELD_NAMES:
                    errors.append(f"unknown field {name!r} in {section}{_did_you_mean(name)}")
        for name in sorted(set(columns) & set(constants)):
            errors.append(f"field {name!r} is both a column and a constant; keep one of the two")
        for name, value in constants.items():
            if not value.strip():
                errors.append(f"constant {name!r} is empty; give a value or remove it")

        timezone = _optional(data, "timezone", str, None, errors)
        phone_region = _optional(data, "phone_region", str, None, errors)
        phone_region = phone_region.strip().upper() or None if phone_region else None
        time_format = _optional(data, "time_format", str, None, errors)
        header_row = _optional(data, "header_row", int, None, errors)
        group = _optional(data, "group_by_conversion_id", bool, False, errors)
        sheet = data.get("sheet")
        if sheet is not None and (
            isinstance(sheet, bool) or not isinstance(sheet, str | int) or sheet == ""
        ):
            errors.append('"sheet" must be a sheet name, a 1-based sheet number or null')
        if isinstance(sheet, int) and not isinstance(sheet, bool) and sheet < 1:
            errors.append('"sheet" numbers start at 1 (the first sheet)')
        if header_row is not None and header_row < 1:
            errors.append('"header_row" is the 1-based row of the headers, so at least 1')
        filters = parse_filters(data.get("filters"), errors)
        if timezone is not None:
            check_timezone(timezone, errors)
        if phone_region is not None and phone_region not in phonenumbers.SUPPORTED_REGIONS:
            errors.append(
                f'"phone_region" {phone_region!r} is not a country code phone numbers know; '
                "use a two-letter ISO code such as US, GB, DE"
            )
        if time_format is not None and "%" not in time_format:
            errors.append(
                f'"time_format" {time_format!r} has no strptime directive; '
                'write it like "%d/%m/%Y %H:%M", or set null to detect times'
            )
        if group and "conversion_id" not in columns:
            errors.append(
                '"group_by_conversion_id" needs a column mapped to conversion_id (the order id)'
            )
        instead = {"time_zone": '"timezone"', "phone_country": '"phone_region"'}
        for helper in sorted(HELPER_FIELDS & set(constants)):
            hint = (
                f"; for one value for every row use {instead[helper]}" if helper in instead else ""
            )
            errors.append(f"{helper!r} is read from a column, it cannot be a constant{hint}")
        if errors:
            raise MappingError(f"{source} cannot be used:\n  - " + "\n  - ".join(errors))
        return cls(
            columns=columns,
            constants=constants,
            timezone=timezone,
            phone_region=phone_region,
            time_format=time_format,
            sheet=sheet,
            header_row=header_row,
            group_by_conversion_id=group,
            fallbacks=fallbacks,
            filters=filters,
        )

    @classmethod
    def load(cls, path: str | Path) -> MappingProfile:
        """Read a mapping file; every failure is a MappingError naming the file."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise MappingError(f"Mapping file {path} does not exist.") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise MappingError(f"Mapping file {path} cannot be read: {exc}") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise MappingError(
                f"Mapping file {path.name} is not valid JSON (line {exc.lineno}, "
                f"column {exc.colno}: {exc.msg})."
            ) from None
        return cls.from_dict(data, source=f"Mapping file {path.name}")

    def to_dict(self) -> dict[str, Any]:
        columns: dict[str, str | list[str]] = {
            name: self.sources(name) if name in self.fallbacks else column
            for name, column in self.columns.items()
        }
        return {
            "columns": columns,
            "constants": dict(self.constants),
            "timezone": self.timezone,
            "phone_region": self.phone_region,
            "time_format": self.time_format,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "group_by_conversion_id": self.group_by_conversion_id,
            "filters": [f.to_dict() for f in self.filters],
        }

    def save(self, path: str | Path) -> None:
        """Write the profile as pretty JSON (atomically, so a crash never leaves half a file)."""
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        try:
            tmp.write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n")
            tmp.replace(path)
        except OSError as exc:
            raise MappingError(f"Cannot write mapping file {path}: {exc.strerror}") from None

    def check_columns(self, columns: Sequence[str], *, file_name: str) -> None:
        """Fail with a clear message when a mapped column is not in the file."""
        missing = [(f, c) for f in self.columns for c in self.sources(f) if c not in columns]
        missing += [("filter", f.column) for f in self.filters if f.column not in columns]
        if not missing:
            return
        lines = []
        for name, column in missing:
            close = difflib.get_close_matches(column, columns, n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            lines.append(f'{name}: column "{column}" is not in {file_name}{hint}')
        raise MappingError(
            "The mapping does not fit this file:\n  - "
            + "\n  - ".join(lines)
            + f"\nColumns in {file_name}: {', '.join(columns)}"
        )

    def check_complete(self, *, event_id_override: str | None = None) -> None:
        """Fail unless the fields every conversion needs have a source."""
        sources = set(self.columns) | set(self.constants)
        if event_id_override:
            sources.add("event_id")
        errors = []
        if "conversion_time" not in sources:
            errors.append("conversion_time has no column: map the column with the sale time")
        if "event_id" not in sources:
            errors.append(
                'event_id has no source: add "constants": {"event_id": "<your event id>"} '
                "(the id of the conversion event in X Ads Events Manager)"
            )
        if not sources & IDENTIFIER_FIELDS:
            errors.append(
                "no identifier is mapped: map at least one of twclid, email, phone, "
                "or ip_address together with user_agent"
            )
        elif (
            not sources & (IDENTIFIER_FIELDS - {"ip_address", "user_agent"})
            and not {
                "ip_address",
                "user_agent",
            }
            <= sources
        ):
            lone, other = (
                ("ip_address", "user_agent") if "ip_address" in sources else ("user_agent", "ip")
            )
            errors.append(
                f"{lone} alone does not identify anyone: map {other} beside it, "
                "or a twclid, email or phone"
            )
        for helper, helped in HELPS.items():
            if helper in sources and helped not in sources:
                errors.append(f"{helper} is mapped but {helped}, which it helps, is not")
        if errors:
            raise MappingError("The mapping is incomplete:\n  - " + "\n  - ".join(errors))


def check_timezone(name: str, errors: list[str]) -> None:
    """Append a message to `errors` when `name` is neither an IANA time zone nor a zone the
    time converter reads (a fixed offset such as "UTC-05:00", an abbreviation such as PST)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        if zones.parse_zone(name) is None:
            errors.append(
                f'"timezone" {name!r} is not a time zone name; use an IANA name such as '
                '"America/New_York", "Europe/Berlin" or "UTC", or an offset such as "+05:30"'
            )


def _did_you_mean(name: str) -> str:
    close = difflib.get_close_matches(name, FIELD_NAMES, n=1)
    return f" (did you mean {close[0]!r}?)" if close else f"; fields: {', '.join(FIELD_NAMES)}"


def _column_map(value: Any, errors: list[str]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The "columns" object: a column name, or a list of column names tried in order."""
    if not isinstance(value, Mapping):
        errors.append('"columns" must be an object of field names to column names')
        return {}, {}
    single: dict[str, Any] = {}
    fallbacks: dict[str, list[str]] = {}
    for name, item in value.items():
        if isinstance(item, list):
            names = [str(c) for c in item if isinstance(c, str | int) and not isinstance(c, bool)]
            if not names or len(names) != len(item) or any(not c.strip() for c in names):
                errors.append(f'"columns.{name}" must be a column name or a list of column names')
                continue
            if len(set(names)) != len(names):
                errors.append(f'"columns.{name}" names the same column twice')
            single[name] = names[0]
            if len(names) > 1:
                fallbacks[str(name)] = names[1:]
        else:
            single[name] = item
    return _string_map(single, "columns", errors), fallbacks


def _string_map(value: Any, key: str, errors: list[str]) -> dict[str, str]:
    if not isinstance(value, Mapping):
        errors.append(f'"{key}" must be an object of field names to values')
        return {}
    result: dict[str, str] = {}
    for name, item in value.items():
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            errors.append(f'"{key}.{name}" must be text')
            continue
        result[str(name)] = str(item)
    return result


def _optional(
    data: Mapping[str, Any], key: str, kind: type, default: Any, errors: list[str]
) -> Any:
    value = data.get(key, default)
    if value is None:
        return default
    if kind is int and isinstance(value, bool):
        errors.append(f'"{key}" must be a whole number or null')
        return default
    if not isinstance(value, kind):
        errors.append(f'"{key}" must be {_kind_name(kind)}')
        return default
    return value


def _kind_name(kind: type) -> str:
    names: dict[type, str] = {str: "text", int: "a whole number or null", bool: "true or false"}
    return names.get(kind, kind.__name__)
