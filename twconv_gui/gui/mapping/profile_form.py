"""The Map form as a mapping profile: read from the editors, checked against the opened file."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from twconv_gui.core.errors import MappingError
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.reading.table import Table
from twconv_gui.gui.mapping.field_source import FieldSource
from twconv_gui.gui.mapping.filters_editor import FiltersEditor
from twconv_gui.gui.mapping.reading import ReadingSettings

READY_TEXT = "Ready to preview"


def form_dict(
    fields: Mapping[str, FieldSource],
    reading: ReadingSettings,
    filters: FiltersEditor,
    *,
    sheet: str | int | None,
    header_row: int | None,
) -> dict[str, Any]:
    """The form as the dictionary `MappingProfile.from_dict` reads (and mapping files hold)."""
    columns: dict[str, str | list[str]] = {}
    constants: dict[str, str] = {}
    for name, field in fields.items():
        kind = field.kind()
        if kind == "column":
            sources = field.columns()
            columns[name] = sources if len(sources) > 1 else sources[0]
        elif kind == "constant":
            constants[name] = field.constant_text()
    return {
        "columns": columns,
        "constants": constants,
        "timezone": reading.timezone(),
        "phone_region": reading.phone_region(),
        "time_format": reading.time_format(),
        "sheet": sheet,
        "header_row": header_row,
        "group_by_conversion_id": reading.group_check.isChecked(),
        "filters": [f.to_dict() for f in filters.filters()],
    }


def check_form(form: dict[str, Any], table: Table) -> tuple[MappingProfile | None, str]:
    """The profile `form` describes and READY_TEXT, or None and the core's message."""
    try:
        profile = MappingProfile.from_dict(form)
        profile.check_columns(table.columns, file_name=table.path.name)
        profile.check_complete()
    except MappingError as exc:
        return None, str(exc)
    return profile, READY_TEXT


def reading_notice(profile: MappingProfile, table: Table | None) -> str:
    """What to say when a loaded mapping was made for another sheet or header row ("": none)."""
    notice = ""
    if table is not None and _other_sheet(profile, table.sheet, table.sheets):
        notice = f"This mapping was saved for sheet {profile.sheet!r}. "
    if table is not None and profile.header_row not in (None, table.header_row):
        notice += f"It expects the headers on row {profile.header_row}. "
    if notice:
        notice += "Open the file again on the Load step with these settings if columns differ."
    return notice


def _other_sheet(profile: MappingProfile, sheet: str | None, sheets: tuple[str, ...]) -> bool:
    """True when the profile names a sheet other than the one the file was read from."""
    if profile.sheet is None or sheet is None:
        return False
    if isinstance(profile.sheet, int):
        return not (0 < profile.sheet <= len(sheets) and sheets[profile.sheet - 1] == sheet)
    return profile.sheet != sheet
