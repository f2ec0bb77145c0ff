"""What will be sent, row by row: prepared events beside the normalized identifiers they hash."""

from __future__ import annotations

import hashlib
import itertools
import re
import threading
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

import phonenumbers

from twconv_gui.core.errors import Cancelled
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.normalize.countries import region_of
from twconv_gui.core.normalize.identifiers import PhoneHasher, is_sha256_hex, normalize_email
from twconv_gui.core.normalize.problems import ValueProblem
from twconv_gui.core.prepare.batching import MAX_BATCH_SIZE, check_batch_size
from twconv_gui.core.prepare.parallel import CHUNK_ROWS
from twconv_gui.core.prepare.preparation import Preparation, PrepareProgress, PrepareSummary
from twconv_gui.core.prepare.preview_store import (
    LEFT_OUT,
    READY,
    REJECTED,
    WARNING,
    PreviewRow,
    PreviewRows,
    merged_identifiers,
    position_of_row,
)
from twconv_gui.core.prepare.release import let_others_run
from twconv_gui.core.reading.table import Cell, Table

__all__ = [
    "IDENTIFIERS_PHASE",
    "LEFT_OUT",
    "READY",
    "REJECTED",
    "SOURCE_FIELDS",
    "WARNING",
    "PreviewResult",
    "PreviewRow",
    "PreviewRows",
    "build_preview",
]

# The phase reported while the raw email and phone cells are read for display.
IDENTIFIERS_PHASE = "identifiers"

_NOT_DIGIT = re.compile(r"[^0-9]")

# The fields whose source cells a row that is not sent keeps, so the user recognizes it.
SOURCE_FIELDS = (
    "conversion_time",
    "event_id",
    "email",
    "phone",
    "twclid",
    "value",
    "price_currency",
    "number_items",
    "conversion_id",
)
SOURCE_TEXT_LIMIT = 200  # characters kept of one source cell


@dataclass
class PreviewResult:
    """Every conversion of a file with its status, and the preparation's summary.

    Attributes:
        rows: one PreviewRow per conversion, in the order they would be sent (made when
            looked at: see PreviewRows).
        summary: counts, problems and column notes of the preparation.
        problem_indices: positions in `rows` of rejected rows and rows with warnings.
        ready_indices: positions in `rows` of the conversions that will be sent.
        source_fields: the fields of PreviewRow.source, in order (the mapped ones).
    """

    rows: PreviewRows
    summary: PrepareSummary
    problem_indices: array[int] = field(default_factory=lambda: array("q"))
    ready_indices: array[int] = field(default_factory=lambda: array("q"))
    source_fields: tuple[str, ...] = ()

    def batch_of(self, index: int, size: int = MAX_BATCH_SIZE) -> tuple[int, list[int]] | None:
        """The 1-based number of the batch that sends `rows[index]`, and the positions it holds.

        Batches are cut like core.batching does: ready conversions only, in order. None when
        the conversion is rejected.
        """
        check_batch_size(size)
        rank = bisect_left(self.ready_indices, index)
        if rank >= len(self.ready_indices) or self.ready_indices[rank] != index:
            return None
        start = rank - rank % size
        return rank // size + 1, list(self.ready_indices[start : start + size])

    def batch_payload(self, index: int, size: int = MAX_BATCH_SIZE) -> dict[str, Any] | None:
        """The request body {"conversions": [...]} of the batch that sends `rows[index]`."""
        found = self.batch_of(index, size)
        if found is None:
            return None
        return {"conversions": [self.rows.event(i) for i in found[1]]}


def build_preview(
    table: Table,
    profile: MappingProfile,
    *,
    progress: Callable[[PrepareProgress], None] | None = None,
    cancel: threading.Event | None = None,
    workers: int | None = None,
) -> PreviewResult:
    """Prepare `table` once and read its email/phone cells again to show what gets hashed.

    Raises MappingError (mapping does not fit), ReadError (file unreadable) and Cancelled.
    Memory: each conversion is kept as the compressed JSON that is sent, plus a few bytes
    (PreviewRows); rows not sent keep their mapped source cells as text.
    """
    preparation = Preparation(
        table, profile, progress=progress, cancel=cancel, workers=workers, keep_problems=False
    )
    rows = PreviewRows()
    for chunk in preparation.encoded_chunks():
        rows.add_chunk(chunk)
    fields = tuple(f for f in SOURCE_FIELDS if profile.sources(f) or profile.constants.get(f))
    unsent = len(rows.ready_indices) < len(rows)
    _fill_identifiers(
        table, profile, rows, fields if unsent else (), progress=progress, cancel=cancel
    )
    rows.finish()
    preparation.summary.problems = rows.all_problems()
    return PreviewResult(
        rows, preparation.summary, rows.problem_indices, rows.ready_indices, fields
    )


# -- the normalized identifiers, for display -----------------------------------------------------


def _fill_identifiers(
    table: Table,
    profile: MappingProfile,
    rows: PreviewRows,
    source_fields: tuple[str, ...],
    *,
    progress: Callable[[PrepareProgress], None] | None,
    cancel: threading.Event | None,
) -> None:
    """Fill the normalized email and phone of each row, and the source cells of rows not sent
    (one more read of the file, done only when there is something to fill)."""
    email_index = _column_indexes(table, profile, "email")
    phone_index = _column_indexes(table, profile, "phone")
    country_index = _column_indexes(table, profile, "phone_country")
    email_constant = profile.constants.get("email")
    phone_constant = profile.constants.get("phone")
    identifiers = bool(email_index or phone_index or email_constant or phone_constant)
    if not identifiers and not source_fields:
        return
    sources = [
        (_column_indexes(table, profile, name), _text(profile.constants.get(name)))
        for name in source_fields
    ]
    phones = _PhoneDisplay(profile.phone_region or "")
    filler = _Filler(rows, grouped=profile.group_by_conversion_id)
    source = table.rows()
    done = 0
    while True:
        # Read a chunk, then work on it: reading between every row's hashing starves the GUI
        # thread of the GIL (each file read releases and retakes it, which defeats CPython's
        # switch requests), reading in a tight loop does not.
        chunk = [
            (
                number,
                cells,
                _first_filled(cells, email_index) if email_index else email_constant,
                _first_filled(cells, phone_index) if phone_index else phone_constant,
                region_of(cells[country_index[0]]) if country_index else None,
            )
            for number, cells in itertools.islice(source, CHUNK_ROWS)
        ]
        if not chunk:
            break
        let_others_run()  # reading the file would keep the window waiting
        done += len(chunk)
        if cancel is not None and cancel.is_set():
            raise Cancelled
        if progress is not None:
            progress(PrepareProgress(IDENTIFIERS_PHASE, done, table.estimated_rows))
        for row_number, cells, email, phone, region in chunk:
            target = filler.stage(row_number)
            if target is None:
                continue
            if target.unsent and sources and target.source is None:
                target.source = tuple(
                    _text(_first_filled(cells, indexes)) if indexes else constant
                    for indexes, constant in sources
                )
            if not identifiers or (target.email is not None and target.phone is not None):
                continue
            sent = target.sent()
            if target.email is None:
                target.email = _email_display(email, sent.get("hashed_email"))
            if target.phone is None:
                target.phone = phones.display(phone, sent.get("hashed_phone_number"), region)
        filler.flush(chunk[-1][0])
    filler.flush(None)


class _Staged:
    """What the identifiers pass found so far for one conversion."""

    __slots__ = ("_position", "_rows", "email", "phone", "source", "unsent")

    def __init__(self, rows: PreviewRows, position: int) -> None:
        self._rows = rows
        self._position = position
        self.unsent = rows.status(position) in (REJECTED, LEFT_OUT)
        self.email: str | None = None
        self.phone: str | None = None
        self.source: tuple[str, ...] | None = None

    def sent(self) -> dict[str, str]:
        """The identifiers the conversion sends, merged ({} for a conversion not sent).

        Read again at each ask rather than kept: an export sorted by product keeps most of
        its orders staged at once (the event's block is unpacked already: rows come in order).
        """
        return merged_identifiers(self._rows.event(self._position))


class _Filler:
    """Finds the conversion of each source row and writes what was found, in position order.

    Ungrouped, conversions come one per row in file order: a walk, no dict of a million rows.
    Grouped, a conversion is written once its last row has been read (line items of one order
    usually sit together, so few wait).
    """

    def __init__(self, rows: PreviewRows, *, grouped: bool) -> None:
        self._rows = rows
        self._grouped = grouped
        self._extra = rows.extra_rows() if grouped else None
        self._staged: dict[int, _Staged] = {}
        self._walk = 0  # ungrouped: the position of the row last asked for
        self._next = 0  # the first position not written yet

    def stage(self, row_number: int) -> _Staged | None:
        position = self._position(row_number)
        if position is None or position < self._next:
            return None
        staged = self._staged.get(position)
        if staged is None:
            staged = self._staged[position] = _Staged(self._rows, position)
        return staged

    def flush(self, read_up_to: int | None) -> None:
        """Write the conversions whose every row has been read (None: all of them)."""
        rows = self._rows
        while self._next < len(rows) and (
            read_up_to is None or rows.last_row(self._next) <= read_up_to
        ):
            staged = self._staged.pop(self._next, None)
            if staged is not None:
                rows.fill(self._next, staged.email, staged.phone, staged.source)
            self._next += 1

    def _position(self, row_number: int) -> int | None:
        if self._grouped:
            return position_of_row(self._rows, self._extra, row_number)
        first = self._rows.first_rows()
        while self._walk < len(first) and first[self._walk] < row_number:
            self._walk += 1
        if self._walk < len(first) and first[self._walk] == row_number:
            return self._walk
        return None


def _text(cell: Cell) -> str:
    """A source cell as the user would recognize it in their spreadsheet."""
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        text = cell.isoformat(sep=" ")
    elif isinstance(cell, date | time):
        text = cell.isoformat()
    elif isinstance(cell, float) and cell.is_integer():
        text = str(int(cell))
    else:
        text = str(cell).strip()
    return text[:SOURCE_TEXT_LIMIT]


def _column_indexes(table: Table, profile: MappingProfile, name: str) -> list[int]:
    """The columns that feed a field, in the order they are tried (fallbacks after)."""
    return [table.column_index(column) for column in profile.sources(name)]


def _first_filled(cells: tuple[Cell, ...], positions: list[int]) -> Cell:
    for position in positions:
        cell = cells[position]
        if cell is not None and not (isinstance(cell, str) and not cell.strip()):
            return cell
    return None


def _email_display(cell: Cell, sent_hash: str | None) -> str | None:
    """The normalized address whose SHA-256 is (or would be) sent, or None."""
    try:
        text = normalize_email(cell)
    except ValueProblem:
        return None
    if is_sha256_hex(text):
        return None
    if sent_hash is not None:
        return text if hashlib.sha256(text.encode("utf-8")).hexdigest() == sent_hash else None
    return text


class _PhoneDisplay:
    """E.164 forms for display; a cheap guess checked against the hash sent, parsing otherwise.

    Parsing a number costs ~30 µs, a million times per large file. Most cells are the national
    or international digits of the number, so the candidates built from their digits are
    tried first; one is used only when its SHA-256 is exactly the hash sent.
    """

    def __init__(self, region: str) -> None:
        self._hasher = PhoneHasher(region)
        code = phonenumbers.country_code_for_region(region) if region else 0
        self._country = str(code) if code else ""

    def display(self, cell: Cell, sent_hash: str | None, region: str | None = None) -> str | None:
        if cell is None or cell == "" or isinstance(cell, bool):
            return None
        if sent_hash is not None:
            for candidate in self._candidates(cell, region):
                if hashlib.sha256(candidate.encode("ascii")).hexdigest() == sent_hash:
                    return candidate
        try:
            e164 = self._hasher.e164(cell, region=region)
        except ValueProblem:
            return None
        return None if is_sha256_hex(e164) else e164

    def _candidates(self, cell: Cell, region: str | None) -> Iterator[str]:
        if isinstance(cell, int):
            text = str(cell)
        elif isinstance(cell, float) and cell.is_integer() and cell > 0:
            text = str(int(cell))
        elif isinstance(cell, str):
            text = cell.strip()
        else:
            return
        digits = _NOT_DIGIT.sub("", text)
        if not 6 <= len(digits) <= 17:
            return
        if text.startswith("+"):
            yield "+" + digits
            return
        if digits.startswith("00"):
            yield "+" + digits[2:]
        country = self._country
        if region is not None:
            code = phonenumbers.country_code_for_region(region)
            country = str(code) if code else country
        if country:
            yield "+" + country + digits
            if digits.startswith("0"):
                yield "+" + country + digits.lstrip("0")
            if digits.startswith(country):
                yield "+" + digits
