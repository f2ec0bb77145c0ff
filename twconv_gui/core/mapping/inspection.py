"""A first look at an export: sheets, header, columns with samples, and a suggested mapping."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from twconv_gui.core.mapping.exports import not_a_sale
from twconv_gui.core.mapping.filters import DROP, ONE_OF, RowFilter
from twconv_gui.core.mapping.masking import mask_cell
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.mapping.suggest import MappingSuggestion, suggest_mapping
from twconv_gui.core.reading.opening import open_table
from twconv_gui.core.reading.table import Cell, Table

SAMPLE_ROWS = 300
PERSONAL_FIELDS = frozenset({"email", "phone"})
SAMPLES_SHOWN = 3
KIND_LABELS = {
    "csv": "delimited text",
    "xlsx": "Excel workbook",
    "xlsm": "Excel macro-enabled workbook",
    "xlsb": "Excel binary workbook",
    "xls": "Excel 97-2003 workbook",
    "ods": "OpenDocument spreadsheet",
}
DELIMITER_LABELS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


@dataclass(frozen=True)
class ColumnInfo:
    """One column as the inspect view shows it; samples have emails/phones masked."""

    letter: str
    name: str
    source_header: str
    samples: tuple[str, ...]
    field: str | None


@dataclass(frozen=True)
class Inspection:
    """What `twconv inspect` and the Load page show about a file.

    Attributes:
        notes: sentences for users, in order: the export recognized, helper columns, the time
            zone used, phones that cannot be used, the rows the filters leave out and why,
            repeated ids, other networks' click-id columns ignored.
    """

    table: Table
    columns: tuple[ColumnInfo, ...]
    suggestion: MappingSuggestion
    profile: MappingProfile
    sample_rows: tuple[tuple[Cell, ...], ...]
    sample_numbers: tuple[int, ...] = ()  # spreadsheet row number of each sample row
    notes: tuple[str, ...] = ()

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.table.kind, self.table.kind)

    @property
    def delimiter_label(self) -> str:
        delimiter = self.table.delimiter or ","
        return DELIMITER_LABELS.get(delimiter, repr(delimiter))

    def to_dict(self) -> dict[str, Any]:
        table = self.table
        return {
            "file": str(table.path),
            "kind": table.kind,
            "sheets": list(table.sheets),
            "sheet": table.sheet,
            "encoding": table.encoding,
            "delimiter": table.delimiter,
            "header_row": table.header_row,
            "estimated_rows": table.estimated_rows,
            "columns": [
                {
                    "letter": c.letter,
                    "name": c.name,
                    "header": c.source_header,
                    "samples": list(c.samples),
                    "suggested_field": c.field,
                }
                for c in self.columns
            ],
            "suggestion": [
                {"field": d.field, "column": d.column, "reason": d.reason, "score": d.score}
                for d in self.suggestion.details
            ],
            "export": self.suggestion.export,
            "filters": [
                {**f.row_filter.to_dict(), "reason": f.reason} for f in self.suggestion.filters
            ],
            "notes": list(self.notes),
            "mapping": self.profile.to_dict(),
        }


def inspect_file(
    path: str | Path, *, sheet: str | int | None = None, header_row: int | None = None
) -> Inspection:
    """Open the file, read a sample and suggest a mapping (ReadError when unreadable)."""
    table = open_table(path, sheet=sheet, header_row=header_row)
    numbered = tuple(itertools.islice(table.rows(), SAMPLE_ROWS))
    sample = tuple(cells for _, cells in numbered)
    preamble = getattr(table, "preamble", ())
    suggestion = suggest_mapping(table.columns, sample, preamble=preamble)
    field_of = {column: name for name, column in suggestion.columns.items()}
    columns = tuple(
        ColumnInfo(
            letter=get_column_letter(i + 1),
            name=name,
            source_header=table.source_headers[i],
            samples=_samples(sample, i, personal=field_of.get(name) in PERSONAL_FIELDS),
            field=field_of.get(name),
        )
        for i, name in enumerate(table.columns)
    )
    profile = MappingProfile(
        columns=dict(suggestion.columns),
        fallbacks={f: list(c) for f, c in suggestion.fallbacks.items()},
        timezone=suggestion.timezone,
        phone_region=None,  # never assumed: a phone_country column or +numbers
        sheet=table.sheet if (sheet is not None or len(table.sheets) > 1) else None,
        header_row=header_row,
        group_by_conversion_id=suggestion.group_by_conversion_id,
        filters=[f.row_filter for f in suggestion.filters],
    )
    if len(numbered) == SAMPLE_ROWS:
        profile.filters = [_complete(table, f) for f in profile.filters]
    notes = (*getattr(table, "notes", ()), *suggestion.notes)
    return Inspection(
        table,
        columns,
        suggestion,
        profile,
        sample,
        tuple(number for number, _ in numbered),
        notes=tuple(notes),
    )


def _complete(table: Table, row_filter: RowFilter) -> RowFilter:
    """A drop filter of the no-sale values seen in the sample, with those further down too.

    The sample is the first rows only; a "Failed" first seen on row 40,000 must be left out as
    well. One pass over that one column.
    """
    if row_filter.action != DROP or row_filter.test != ONE_OF:
        return row_filter
    values = list(row_filter.values)
    known = {v.casefold() for v in values}
    position = table.column_index(row_filter.column)
    for (cells,) in table.column_chunks([position], 50_000):
        for cell in dict.fromkeys(c for c in cells if isinstance(c, str)):
            text = cell.strip()
            if text and text.casefold() not in known and not_a_sale(text):
                known.add(text.casefold())
                values.append(text)
    return RowFilter(row_filter.column, DROP, ONE_OF, tuple(values))


def _samples(rows: tuple[tuple[Cell, ...], ...], index: int, *, personal: bool) -> tuple[str, ...]:
    seen: list[str] = []
    for cells in rows:
        text = mask_cell(cells[index], personal=personal)
        if text.strip() and text not in seen:
            seen.append(text)
            if len(seen) == SAMPLES_SHOWN:
                break
    return tuple(seen)
