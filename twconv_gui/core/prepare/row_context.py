"""Fields read with the help of other columns of the same row: a phone with the row's country,
a date with the row's time of day and time zone, a value less the row's refunds."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import tzinfo
from decimal import Decimal
from typing import Any

from twconv_gui.core.normalize import amounts, countries, identifiers, zones
from twconv_gui.core.normalize.problems import Problem, Severity, ValueProblem
from twconv_gui.core.normalize.times import TimeConverter
from twconv_gui.core.reading.table import Cell, Row

RowConvert = Callable[[Cell, tuple[Cell, ...]], Any]


class RowContext:
    """Converters that look beside the field's own cell (see RowReader).

    Args:
        phone_hasher: the profile's phone hasher (its fixed region, if any).
        time_converter: the converter decided for the date/time column.
        value_parser: the parser decided for the value column (refunds are read alike).
        helpers: helper field -> column index (phone_country, time_of_day, time_zone,
            refunded_value).
        more_countries: further country columns (e.g. Billing Country after Shipping
            Country): a national number is read in the first of the row's countries where it
            is a valid number.
    """

    def __init__(
        self,
        phone_hasher: identifiers.PhoneHasher,
        time_converter: TimeConverter | None,
        value_parser: amounts.AmountParser | None,
        helpers: Mapping[str, int],
        more_countries: Sequence[int] = (),
    ) -> None:
        self.phone_hasher = phone_hasher
        self.time_converter = time_converter
        self.value_parser = value_parser or amounts.AmountParser.for_column([])
        self.helpers = dict(helpers)
        self.countries = (
            (helpers["phone_country"], *more_countries) if "phone_country" in helpers else ()
        )
        self._regions: dict[Cell, str | None] = {}

    def converter_for(self, name: str, plain: Callable[[Cell], Any]) -> RowConvert | None:
        """The converter of a field that needs other cells of its row, or None (use `plain`)."""
        if name == "phone" and "phone_country" in self.helpers:
            return self._phone
        if name == "conversion_time" and (
            "time_of_day" in self.helpers or "time_zone" in self.helpers
        ):
            return self._time
        return None

    # -- phones ----------------------------------------------------------------------------

    def _region(self, cell: Cell) -> str | None:
        try:
            return self._regions[cell]
        except (KeyError, TypeError):
            region = countries.region_of(cell)
            if len(self._regions) < 10_000:
                self._regions[cell] = region
            return region

    def _phone(self, cell: Cell, cells: tuple[Cell, ...]) -> str:
        regions = [self._region(cells[position]) for position in self.countries]
        tried = [r for r in dict.fromkeys(regions) if r is not None]
        if len(tried) <= 1:
            return self.phone_hasher.hash(cell, region=tried[0] if tried else None)
        first_problem = None
        for region in tried:
            try:
                return self.phone_hasher.hash(cell, region=region)
            except ValueProblem as exc:
                first_problem = first_problem or exc
        assert first_problem is not None
        raise first_problem

    # -- times -----------------------------------------------------------------------------

    def _zone(self, cell: Cell) -> tzinfo | None:
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            return None
        zone = zones.parse_zone(cell)  # cached by text
        if zone is None:
            raise ValueProblem(
                "cannot be placed in time: the row's time zone is not one we know; write "
                "an IANA name (Europe/Berlin), an offset (+01:00) or UTC"
            )
        return zone

    def _time(self, cell: Cell, cells: tuple[Cell, ...]) -> str:
        converter = self.time_converter
        if converter is None:
            raise ValueProblem("cannot be read as a time")
        zone_at = self.helpers.get("time_zone")
        zone = self._zone(cells[zone_at]) if zone_at is not None else None
        time_at = self.helpers.get("time_of_day")
        if time_at is not None:
            time_cell = cells[time_at]
            if time_cell is not None and not (isinstance(time_cell, str) and not time_cell.strip()):
                cell = converter.combine(cell, time_cell)
        return converter.to_utc(cell, zone=zone)

    # -- refunds ---------------------------------------------------------------------------

    def read_refunds(self, values: Sequence[Any], chunk: Sequence[Row]) -> None:
        """Each row's refunded amount (positive), from the refunded_value column."""
        position = self.helpers["refunded_value"]
        parse = self.value_parser.parse
        for item, (row, cells) in zip(values, chunk, strict=True):
            cell = cells[position]
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                continue
            try:
                item.refunded = abs(parse(cell))
            except ValueProblem as exc:
                item.problems.append(
                    Problem(
                        row,
                        "refunded_value",
                        None,
                        f"{exc.message}; the refund is not taken off the value",
                        Severity.WARNING,
                    )
                )


def net_of_refunds(value: Decimal | None, refunded: Decimal | None) -> tuple[Decimal | None, bool]:
    """(value to send, fully refunded?) for a sale and the amount refunded of it."""
    if not refunded:
        return value, False
    if value is None:
        return None, False
    net = value - refunded
    if net <= 0:
        return value, True
    return net, False
