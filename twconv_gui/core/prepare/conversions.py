"""Finishing conversions: the rows of one sale (one row, or the line items of one order) merged
into the conversion object X receives, or the problems and filters that keep them back."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from twconv_gui.core.mapping.filters import first_leaving_out
from twconv_gui.core.normalize import amounts
from twconv_gui.core.normalize.problems import Problem, Severity
from twconv_gui.core.prepare.event_tally import EventTally
from twconv_gui.core.prepare.events import EncodedChunk, PreparedEvent
from twconv_gui.core.prepare.row_context import net_of_refunds
from twconv_gui.core.prepare.row_filters import left_out_problem
from twconv_gui.core.prepare.row_values import IDENTIFIER_KEYS, RowReader, RowValues


def finish_rows(
    values: list[RowValues], reader: RowReader
) -> tuple[list[tuple[Any, ...]], EventTally]:
    """finish() of each row as a plain tuple (ten times cheaper to send between processes),
    with the tally of the ready ones for the diagnostics."""
    finished = [_finish_row(v) for v in values]
    return finished, EventTally.of_events([f[1] for f in finished], reader.bounds)


def finish_encoded(values: list[RowValues], reader: RowReader) -> EncodedChunk:
    """finish() of each row with its event encoded, as one chunk (with its tally)."""
    finished = [_finish_row(v) for v in values]
    tally = EventTally.of_events([f[1] for f in finished], reader.bounds)
    return EncodedChunk.of_rows(finished, tally)


def finish(rows: list[RowValues]) -> PreparedEvent:
    """Merge the rows of one conversion (one row, or the line items of one order) into an event."""
    if len(rows) == 1:
        return PreparedEvent(*_finish_row(rows[0]))
    first = rows[0]
    row_numbers = tuple(r.row for r in rows)
    if first.filters:
        hit = first_leaving_out(first.filters, [r.filter_cells for r in rows])
        if hit is not None:
            return PreparedEvent(
                row_numbers, None, (left_out_problem(row_numbers, first.filters[hit]),)
            )
    problems: list[Problem] = [p for r in rows for p in r.problems]
    time = _agree(rows, "conversion_time", [r.time for r in rows], problems)
    event_id = _agree(rows, "event_id", [r.event_id for r in rows], problems)
    currency = _agree(rows, "price_currency", [r.currency for r in rows], problems)
    ids = {
        name: value
        for name in IDENTIFIER_KEYS
        if (value := _agree(rows, name, [r.identifiers.get(name) for r in rows], problems))
    }
    identifier_list = first.build_identifiers(ids, rows, problems)
    _require(first, time, event_id, problems)
    if any(p.is_error for p in problems):
        problems.extend(_held_back(rows, problems))
        return PreparedEvent(row_numbers, None, _with_id(problems, first.conversion_id))
    order_total = _order_level(rows, [r.value for r in rows], "value")
    sale_value, fully_refunded = net_of_refunds(
        order_total,
        _order_level(rows, [r.refunded for r in rows], "refunded_value", check_lines=False),
    )
    if fully_refunded:
        return PreparedEvent(row_numbers, None, (_refunded(first),))
    number_items = _sum([r.number_items for r in rows])
    if number_items is None and first.sum_content_items:
        number_items = _sum([(r.content or {}).get("num_items") for r in rows])
    description = next((r.description for r in rows if r.description), None)
    event = _event(
        time=time,
        event_id=event_id,
        identifier_list=identifier_list,
        number_items=number_items,
        currency=currency,
        value=sale_value,
        conversion_id=first.conversion_id,
        description=description,
        contents=[r.content for r in rows if r.content],
    )
    _check_currency(first, sale_value, currency, problems)
    return PreparedEvent(row_numbers, event, tuple(problems))


def _finish_row(row: RowValues) -> tuple[tuple[int], dict[str, Any] | None, tuple[Problem, ...]]:
    """finish() for a single row as (rows, event, problems), kept lean: it runs once per row
    of a million-row file, often in a worker process."""
    if row.filters:
        hit = first_leaving_out(row.filters, [row.filter_cells])
        if hit is not None:
            return (row.row,), None, (left_out_problem((row.row,), row.filters[hit]),)
    problems = row.problems
    ids = row.identifiers
    if row.identifier_problems or not ids or "ip_address" in ids or "user_agent" in ids:
        identifier_list = row.build_identifiers(ids, [row], problems)
    else:
        identifier_list = [{IDENTIFIER_KEYS[name]: value} for name, value in ids.items()]
    if row.time is None or row.event_id is None:
        _require(row, row.time, row.event_id, problems)
    if problems and any(p.is_error for p in problems):
        return (row.row,), None, _with_id(problems, row.conversion_id)
    value = row.value
    if row.refunded is not None:
        value, fully_refunded = net_of_refunds(value, row.refunded)
        if fully_refunded:
            return (row.row,), None, (_refunded(row),)
    if value is not None and row.currency is None:
        _check_currency(row, value, None, problems)
    number_items = row.number_items
    if number_items is None and row.sum_content_items and row.content:
        number_items = row.content.get("num_items")
    event = _event(
        time=row.time,
        event_id=row.event_id,
        identifier_list=identifier_list,
        number_items=number_items,
        currency=row.currency,
        value=value,
        conversion_id=row.conversion_id,
        description=row.description,
        contents=[row.content] if row.content else None,
    )
    return (row.row,), event, tuple(problems) if problems else ()


_LINE_WORDS = ("item", "line", "product", "article", "artikel", "position", "sku")


def _order_level(
    rows: list[RowValues], values: list[Decimal | None], field: str, *, check_lines: bool = True
) -> Any:
    """The order's amount from its line-item rows: their sum, unless every row repeats the
    same order-level amount (WooCommerce exports write "Order Total" on each item row).

    Repeated equal amounts are the order's total when the column is not a line column and
    the items' own prices (content_price x quantity) do not add up to more than it.
    """
    present = [v for v in values if v is not None]
    if len(present) < 2 or any(v != present[0] for v in present[1:]):
        return _sum(present) if present else None
    column = (rows[0].columns.get(field) or "").casefold()
    if any(word in column for word in _LINE_WORDS):
        return _sum(present)
    lines = [
        Decimal(str(r.content["content_price"])) * int(r.content.get("num_items") or 1)
        for r in rows
        if r.content and r.content.get("content_price") is not None
    ]
    if check_lines and lines and sum(lines) > present[0]:
        return _sum(present)
    return present[0]


def _refunded(row: RowValues) -> Problem:
    return Problem(
        row.row,
        "value",
        row.columns.get("value"),
        "left out: the sale was refunded in full",
        Severity.LEFT_OUT,
    )


def _check_currency(
    row: RowValues, value: Decimal | None, currency: str | None, problems: list[Problem]
) -> None:
    """X reads a value without a currency as US dollars: say so rather than let it happen.

    Per row only when a currency column is mapped and empty in this row; a file with no
    currency column at all gets one note from the preparation instead of a warning a row."""
    if value is not None and currency is None and "price_currency" in row.columns:
        problems.append(
            row.missing(
                "price_currency",
                "is empty while the row has a value; X counts a value without a currency as "
                "US dollars: map a currency column or set a currency constant",
                Severity.WARNING,
            )
        )


def _with_id(problems: list[Problem], conversion_id: str | None) -> tuple[Problem, ...]:
    """A rejected conversion's problems, each carrying its conversion id for the report."""
    if conversion_id is None:
        return tuple(problems)
    return tuple(dataclasses.replace(p, conversion_id=conversion_id) for p in problems)


def _require(
    row: RowValues, time: str | None, event_id: str | None, problems: list[Problem]
) -> None:
    """Problems for a missing time or event id, unless a bad value was reported already."""
    if time is None and not any(p.field == "conversion_time" for p in problems):
        problems.append(row.missing("conversion_time", "is empty; every conversion needs its time"))
    if event_id is None and not any(p.field == "event_id" for p in problems):
        problems.append(row.missing("event_id", "is empty; every conversion needs its event id"))


def _event(
    *,
    time: str | None,
    event_id: str | None,
    identifier_list: list[dict[str, str]],
    number_items: int | None,
    currency: str | None,
    value: Decimal | None,
    conversion_id: str | None,
    description: str | None,
    contents: list[dict[str, Any]] | None,
) -> dict[str, Any]:
    """The conversion object in the API's field order; absent optional fields are left out."""
    event: dict[str, Any] = {
        "conversion_time": time,
        "event_id": event_id,
        "identifiers": identifier_list,
    }
    if number_items is not None:
        event["number_items"] = number_items
    if currency is not None:
        event["price_currency"] = currency
    if value is not None:
        event["value"] = amounts.format_amount(amounts.round_to_currency(value, currency))
    if conversion_id is not None:
        event["conversion_id"] = conversion_id
    if description is not None:
        event["description"] = description
    if contents:
        event["contents"] = contents
    return event


def _agree(
    rows: list[RowValues], name: str, values: list[str | None], problems: list[Problem]
) -> str | None:
    """The one value the rows of a conversion share; rows that disagree get a problem."""
    chosen: str | None = None
    chosen_row = 0
    for row, value in zip(rows, values, strict=True):
        if value is None:
            continue
        if chosen is None:
            chosen, chosen_row = value, row.row
        elif value != chosen:
            problems.append(
                row.missing(
                    name,
                    f"differs from row {chosen_row} of the same conversion id; the rows of one "
                    "order must share time, event and customer",
                )
            )
    return chosen


def _held_back(rows: list[RowValues], problems: list[Problem]) -> list[Problem]:
    bad = sorted({p.row for p in problems if p.is_error})
    listed = ", ".join(map(str, bad))
    return [
        Problem(
            r.row,
            "conversion_id",
            r.columns.get("conversion_id"),
            f"not sent: row {listed} of the same order has problems",
        )
        for r in rows
        if r.row not in bad
    ]


def _sum(values: list[Any]) -> Any:
    present = [v for v in values if v is not None]
    return sum(present[1:], present[0]) if present else None
