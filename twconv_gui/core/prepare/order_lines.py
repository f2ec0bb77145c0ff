"""How many lines each order has, so that a grouped preparation can finish an order at its last.

Grouped by conversion id, an order's lines may lie anywhere in the file. Without knowing how
many each order has, every row's values had to be kept until the file's end: about 1.4 KB a
line, 1.5 GB for a million-line shop export. Counted first (in the first look, which reads a
few columns of the whole file anyway), an order is finished and let go as soon as its last
line is read.

The count must see the very ids the preparation sees, so "1001", "1001.0" and " 1001 " count
as the one order they become (see LineCounter). Should it ever see fewer lines of an order than
the preparation reads (the file saved again in between), the extra line is refused, never sent
as a second conversion.
"""

from __future__ import annotations

from collections.abc import Sequence

from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.normalize import amounts
from twconv_gui.core.normalize.identifiers import PhoneHasher
from twconv_gui.core.normalize.problems import ValueProblem
from twconv_gui.core.prepare.release import release_all
from twconv_gui.core.prepare.row_values import RowReader
from twconv_gui.core.reading.table import Cell, Table

FIELD = "conversion_id"


class OrderLines:
    """Conversion id -> lines of it not read yet, in 64 dicts by hash.

    One dict of a few hundred thousand ids re-hashes all it holds when it grows, holding the
    interpreter lock for tens of milliseconds (see preparation.FirstRows); split in 64, each
    growth is 1/64 of that.
    """

    _MASK = 63

    def __init__(self) -> None:
        self._shards: list[dict[str, int]] = [{} for _ in range(self._MASK + 1)]
        self.lines = 0  # lines counted (rows with a conversion id)

    def count(self, ids: Sequence[str | None]) -> None:
        """Count one line for each id (None: a row without one, its own conversion)."""
        shards, mask = self._shards, self._MASK
        for conversion_id in ids:
            if conversion_id is not None:
                shard = shards[hash(conversion_id) & mask]
                shard[conversion_id] = shard.get(conversion_id, 0) + 1
                self.lines += 1

    def take(self, conversion_id: str) -> bool | None:
        """One line of `conversion_id` was read: True when it was the order's last, False
        when more are to come, None when the count has no such line left (the file changed
        since it was counted)."""
        shard = self._shards[hash(conversion_id) & self._MASK]
        left = shard.get(conversion_id, 0)
        if left <= 0:
            return None
        shard[conversion_id] = left - 1  # kept at 0: a line that comes later is noticed
        return left == 1

    def release(self) -> None:
        """Forget every id, one small dict at a time (see core.prepare.release)."""
        release_all(self._shards)


class LineCounter:
    """Counts the lines of each order from the columns that give its conversion id (a
    profile that maps a conversion_id column).

    Reads an id as RowReader.read_chunk does: the first non-blank of the id column and its
    fallbacks, normalized (amounts.normalize_id); the mapping's constant where all are blank
    or the value is refused. Through read_chunk itself, building a RowValues a row, the count
    cost 3.5 s per million lines (measured); this way, about 1 s. A test holds the two to the
    same ids for every kind of cell.

    Attributes:
        positions: the table's columns to read (the id column, then its fallbacks), in the
            order count() takes them.
    """

    def __init__(self, table: Table, profile: MappingProfile) -> None:
        sources = profile.sources(FIELD)
        if not sources:
            raise ValueError("no conversion_id column is mapped")
        self.positions = [table.column_index(column) for column in sources]
        constants = {FIELD: profile.constants[FIELD]} if FIELD in profile.constants else {}
        # The reader normalizes the constant, raising MappingError as a preparation would.
        reader = RowReader(
            index={},
            columns={},
            constants=constants,
            time_converter=None,
            amount_parsers={},
            phone_hasher=PhoneHasher(""),
            infer_currency=False,
        )
        self._constant: str | None = dict(reader.constants).get(FIELD)
        self.lines = OrderLines()

    def count(self, columns: Sequence[Sequence[Cell]]) -> None:
        """Count a chunk: one list of cells per position, as Table.column_chunks gives them."""
        self.lines.count(self.ids(columns))

    def ids(self, columns: Sequence[Sequence[Cell]]) -> list[str | None]:
        """The conversion id of each row of a chunk (None: the row has none)."""
        normalize, constant = amounts.normalize_id, self._constant
        found: list[str | None] = []
        add = found.append
        for cells in zip(*columns, strict=True):
            for cell in cells:
                if cell is None or (type(cell) is str and (not cell or cell.isspace())):
                    continue
                try:
                    add(normalize(cell))
                except ValueProblem:
                    add(constant)
                break
            else:
                add(constant)
        return found
