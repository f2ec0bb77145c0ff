"""What a file will give at X, seen before sending: identifier coverage, repeated ids, dates,
values per currency, rows left out, and every problem grouped by its reason."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

FIRST_ROWS = 5  # row numbers kept per reason


@dataclass
class ReasonGroup:
    """One reason rows were rejected, warned about or left out, with how many and which.

    Attributes:
        severity: "error" (rejected), "warning" (sent, something dropped or assumed) or
            "left out" (not a sale).
        field: the conversion field concerned ("" for the whole row).
        column: the source column, or None.
        reason: the message shared by the rows (the row-specific part is never in it).
        count: how many rows have it.
        first_rows: the first few row numbers (at most FIRST_ROWS), in file order.
    """

    severity: str
    field: str
    column: str | None
    reason: str
    count: int = 0
    # dataclasses.field: the attribute `field` above hides the function in this class body
    first_rows: list[int] = dataclasses.field(default_factory=list)


@dataclass
class CurrencyValues:
    """The values of the conversions sent in one currency ("" when none is given)."""

    currency: str
    conversions: int = 0
    total: str = "0"  # a decimal as text, rounded to the currency's minor unit
    median: str = "0"


@dataclass
class Diagnostics:
    """The match and quality figures of one preparation (filled while it runs).

    Attributes:
        conversions: conversions ready to send.
        with_email, with_phone, with_twclid, with_ip_and_agent: conversions carrying each
            identifier; with_two_or_more: carrying two kinds or more.
        repeated_ids: conversions whose conversion_id an earlier one already had.
        first_day, last_day: the earliest and latest conversion date ("YYYY-MM-DD", UTC).
        per_day: date -> (conversions, value total as text in the main currency).
        in_future: conversions dated after the moment of preparing.
        older_than_window: conversions older than the attribution window.
        window_days: the attribution window used (a setting; X's default click window).
        currencies: values per currency.
        left_out_by_filter: filter description -> rows it left out.
        groups: every rejection, warning and left-out reason, most rows first.
        main_currency: the currency of most conversions with a value (per_day's values are
            in it; "" when values come without a currency, None when no value is sent).
        refunded_in_full: rows left out because the sale was refunded in full.
        prepared_at: the moment "in the future" and the window are measured from (UTC, ISO).
    """

    conversions: int = 0
    with_email: int = 0
    with_phone: int = 0
    with_twclid: int = 0
    with_ip_and_agent: int = 0
    with_two_or_more: int = 0
    repeated_ids: int = 0
    first_day: str | None = None
    last_day: str | None = None
    per_day: dict[str, tuple[int, str]] = field(default_factory=dict)
    in_future: int = 0
    older_than_window: int = 0
    window_days: int = 14
    currencies: list[CurrencyValues] = field(default_factory=list)
    left_out_by_filter: dict[str, int] = field(default_factory=dict)
    groups: list[ReasonGroup] = field(default_factory=list)
    main_currency: str | None = None
    refunded_in_full: int = 0
    prepared_at: str = field(default="", compare=False)  # two checks of one file are equal
