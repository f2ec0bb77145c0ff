"""The event ids a file's event_id column names, for a check against the account's events
before the first batch (one wrong row must not stop a job with a 404 half-way)."""

from __future__ import annotations

from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.normalize.amounts import normalize_event_id
from twconv_gui.core.normalize.problems import ValueProblem
from twconv_gui.core.reading.table import Table


def event_ids_in_column(table: Table, profile: MappingProfile) -> dict[str, int]:
    """Each event id of the event_id column (its base-36 event part) -> the first row naming
    it. Empty when the event id is a constant or unmapped; cells that are no event id are left
    to the preparation, which reports them per row."""
    column = profile.columns.get("event_id")
    if column is None:
        return {}
    position = table.column_index(column)
    found: dict[str, int] = {}
    for number, cells in table.rows():
        cell = cells[position]
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            continue
        try:
            event_id = normalize_event_id(cell)
        except ValueProblem:
            continue
        found.setdefault(event_id.rsplit("-", 1)[-1], number)
    return found
