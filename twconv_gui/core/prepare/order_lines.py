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

from collections import deque
from collections.abc import Iterator, Sequence

from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.normalize import amounts
from twconv_gui.core.normalize.identifiers import PhoneHasher
from twconv_gui.core.normalize.problems import Problem, ValueProblem
from twconv_gui.core.prepare.release import release_all
from twconv_gui.core.prepare.row_values import RowReader, RowValues, pack_lines, unpack_lines
from twconv_gui.core.reading.table import Cell, Table

FIELD = "conversion_id"
# Past this many lines of unfinished orders held as objects (about 1 KB each), the lines each
# further chunk adds to waiting orders are packed (see _Order.pack).
_PACK_ABOVE = 50_000


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


def line_counter(table: Table, profile: MappingProfile) -> LineCounter | None:
    """The counter of a profile grouped by conversion id whose id columns are all in the
    table, else None."""
    sources = profile.sources(FIELD)
    if not profile.group_by_conversion_id or not sources:
        return None
    if not all(column in table.columns for column in sources):
        return None
    return LineCounter(table, profile)


class OrderGrouper:
    """Gathers the lines of a grouped file into orders, handing each on once it is whole.

    With the lines of each order counted (`lines`, from the first look), an order is whole at
    its last line, and handed on once the orders before it have gone: conversions keep the
    order of their first lines (and so do batches and the journal's digests). A shop export's
    lines sit together, so few wait. When many wait (an export sorted by product scatters each
    order's lines), the lines each further chunk adds to waiting orders are packed into bytes
    (row_values.pack_lines), a third of their size or less. Without a count, every order
    waits for the file's end.
    """

    def __init__(self, lines: OrderLines | None, reader: RowReader) -> None:
        self._lines = lines
        self._reader = reader
        self._waiting: deque[_Order] = deque()  # in the order of their first lines
        self._open: dict[str, _Order] = {}
        self._loose = 0  # lines of orders not handed on yet, held as objects

    def add(self, converted: list[RowValues]) -> Iterator[list[RowValues]]:
        """Take a chunk's lines; the lines of each order they make whole (and of those
        waiting only for it), in order."""
        touched = []  # the orders this chunk added to
        for values in converted:
            order = self._place(values)
            touched.append(order)
            self._loose += 1
        waiting = self._waiting
        while waiting and waiting[0].done:
            yield self._handed_on(waiting.popleft())
        if self._loose > _PACK_ABOVE:
            for order in touched:
                if not order.gone:
                    self._loose -= order.pack()

    def rest(self) -> Iterator[list[RowValues]]:
        """At the file's end: the orders still waiting (lines missing since the count, or
        never counted)."""
        while self._waiting:
            yield self._handed_on(self._waiting.popleft())

    def release(self) -> None:
        """Let go of what waits, one order at a time (stopped early, many may wait: see
        core.prepare.release), and of the count."""
        self._open.clear()  # its orders are waiting too
        while self._waiting:
            self._waiting.pop()
        if self._lines is not None:
            self._lines.release()

    def _place(self, values: RowValues) -> _Order:
        key, last = values.conversion_id, True
        if key is not None and self._lines is not None:
            found_last = self._lines.take(key)
            if found_last is None:  # the file changed since its lines were counted
                values.problems.append(_late_line(values))
                key = None
            last = bool(found_last)
        elif key is not None:
            last = False  # no count: every order waits for the file's end
        if key is None:  # a conversion of its own
            order = _Order(values, done=True)
            self._waiting.append(order)
            return order
        found = self._open.get(key)
        if found is None:
            order = self._open[key] = _Order(values)
            self._waiting.append(order)
        else:
            order = found
            order.rows.append(values)
        if last:
            order.done = True
            del self._open[key]
        return order

    def _handed_on(self, order: _Order) -> list[RowValues]:
        order.gone = True
        self._loose -= len(order.rows)
        return order.unpacked(self._reader)


def _late_line(values: RowValues) -> Problem:
    return values.missing(
        FIELD,
        "comes after every line counted for its order had been read: the file changed "
        "while it was being prepared, so this line is not sent; prepare the file again",
    )


class _Order:
    """The lines of one grouped conversion read so far; done once its last line is in, gone
    once it is handed on. Lines that wait may be packed (see pack)."""

    __slots__ = ("done", "gone", "packed", "rows")

    def __init__(self, first: RowValues, *, done: bool = False) -> None:
        self.rows = [first]  # the lines held as objects, after the packed ones
        self.packed: bytes | None = None  # the lines packed so far, in order
        self.done = done
        self.gone = False

    def pack(self) -> int:
        """Pack the lines held as objects with those packed before (see pack_lines); how
        many there were."""
        loose = len(self.rows)
        if loose:
            self.packed = pack_lines(self.rows, self.packed)
            self.rows = []
        return loose

    def unpacked(self, reader: RowReader) -> list[RowValues]:
        if self.packed is None:
            return self.rows
        return [*unpack_lines(self.packed, reader.columns, reader.filters), *self.rows]
