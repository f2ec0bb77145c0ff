"""inspect_file on the corpus of real export layouts in tests/exports (see its SOURCES.md)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from twconv_gui.core.mapping.filters import first_leaving_out
from twconv_gui.core.mapping.inspection import Inspection, inspect_file
from twconv_gui.core.normalize.click_ids import foreign_header
from twconv_gui.core.reading.table import Cell

CORPUS = Path(__file__).parents[2] / "exports"
EXPECTED: dict[str, Any] = (
    json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
    if (CORPUS / "expected.json").exists()
    else {}
)
FILES = sorted(name for name in EXPECTED if not name.startswith("_"))
# Reasons in expected.json that a row filter (not a missing identifier) must act on.
STATUS_WORDS = (
    "refund", "pending", "void", "cancel", "failed", "on-hold", "on hold", "uncaptured",
    "incomplete", "lost", "open (", "denied", "reversed", "withdrawal", "currency conversion",
    "dispute", "payment review", "not a purchase", "holded", "closed (", "test mode",
)  # fmt: skip


def _inspect(name: str) -> Inspection:
    entry = EXPECTED[name]
    return inspect_file(CORPUS / name, sheet=entry.get("sheet"), header_row=entry.get("header_row"))


def _rows(report: Inspection) -> dict[int, tuple[Cell, ...]]:
    return dict(report.table.rows())


def _groups(report: Inspection, rows: dict[int, tuple[Cell, ...]]) -> dict[int, list[int]]:
    """Row number -> the rows sent together with it (its order when grouped)."""
    profile = report.profile
    if not profile.group_by_conversion_id:
        return {n: [n] for n in rows}
    index = report.table.column_index(profile.columns["conversion_id"])
    by_id: dict[str, list[int]] = defaultdict(list)
    for number, cells in rows.items():
        key = str(cells[index] or "").strip()
        by_id[key or f"row {number}"].append(number)
    return {n: members for members in by_id.values() for n in members}


def _left_out(report: Inspection, rows: dict[int, tuple[Cell, ...]], members: list[int]) -> bool:
    filters = report.profile.filters
    indexes = [report.table.column_index(f.column) for f in filters]
    cells = [[rows[n][i] for i in indexes] for n in members if n in rows]
    return bool(cells) and first_leaving_out(filters, cells) is not None


@pytest.mark.skipif(not FILES, reason="the export corpus is not there")
@pytest.mark.parametrize("name", FILES)
def test_corpus_conversion_id_filters_and_click_ids(name: str) -> None:
    entry = EXPECTED[name]
    report = _inspect(name)
    profile = report.profile
    rows = _rows(report)
    groups = _groups(report, rows)

    ids = [s for s in entry["sales"] if s.get("conversion_id")]
    if ids:
        assert "conversion_id" in profile.columns, report.suggestion.details
        index = report.table.column_index(profile.columns["conversion_id"])
        for sale in ids:
            cell = rows[sale["source_row"]][index]
            if isinstance(cell, float) and cell.is_integer():
                cell = int(cell)
            assert str(cell).strip() == sale["conversion_id"]

    for sale in entry["sales"]:
        row = sale["source_row"]
        assert not _left_out(report, rows, groups.get(row, [row])), (row, profile.filters)
    for left in entry.get("left_out", []):
        if any(w in left["why"] for w in STATUS_WORDS) and left["source_row"] in rows:
            row = left["source_row"]
            assert _left_out(report, rows, groups.get(row, [row])), (left, profile.filters)

    twclid = profile.sources("twclid")
    assert not [c for c in twclid if foreign_header(c) is not None]
    if not any(s.get("twclid") for s in entry["sales"]):
        assert not twclid
    assert profile.phone_region is None


@pytest.mark.skipif(not FILES, reason="the export corpus is not there")
@pytest.mark.parametrize("name", FILES)
def test_corpus_phone_country_and_time_zone(name: str) -> None:
    entry = EXPECTED[name]
    report = _inspect(name)
    profile = report.profile
    rows = _rows(report)
    phones = [s for s in entry["sales"] if s.get("phone_e164")]
    if phones and not entry.get("phone_region_assumed") and "phone" in profile.columns:
        national = any(
            not str(rows[s["source_row"]][report.table.column_index(c)] or "").startswith("+")
            for s in phones
            for c in profile.sources("phone")[:1]
            if rows[s["source_row"]][report.table.column_index(c)] not in (None, "")
        )
        if national:
            assert "phone_country" in profile.columns, report.notes
    if entry.get("time_zone_assumed") == "UTC" and profile.timezone is not None:
        assert profile.timezone == "UTC"
