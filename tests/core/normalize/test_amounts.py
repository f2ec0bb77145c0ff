"""Amounts, counts, ids, currencies, event ids and free text."""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twconv_gui.core.normalize.amounts import (
    AmountParser,
    currency_from_amount,
    format_amount,
    normalize_currency,
    normalize_event_id,
    normalize_id,
    normalize_text,
    parse_count,
    round_to_currency,
)
from twconv_gui.core.normalize.problems import Severity, ValueProblem
from twconv_gui.core.reading.table import Cell

D = Decimal


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("20", D("20")),
        ("20.5", D("20.5")),
        ("20,50", D("20.50")),
        ("1,234.50", D("1234.50")),
        ("1.234,50", D("1234.50")),
        ("1 234,50", D("1234.50")),
        ("1\u00a0234,50", D("1234.50")),
        ("1\u202f234,50", D("1234.50")),
        ("1\u2009234.50", D("1234.50")),
        ("1'234.50", D("1234.50")),
        ("1’234.50", D("1234.50")),
        ("1,234,567.89", D("1234567.89")),
        ("1.234.567,89", D("1234567.89")),
        ("1,234,567", D("1234567")),
        ("1.234.567", D("1234567")),
        ("0.123", D("0.123")),
        ("1234,567", D("1234.567")),
        (".5", D("0.5")),
        ("$20", D("20")),
        ("$ 1,234.50", D("1234.50")),
        ("20 €", D("20")),
        ("20€", D("20")),
        ("€1.234,50", D("1234.50")),
        ("EUR 20", D("20")),
        ("usd 1,234.50", D("1234.50")),
        ("1,234.50 USD", D("1234.50")),
        ("US$ 20", D("20")),
        ("£5", D("5")),
        ("+5", D("5")),
        ("(0.00)", D("0.00")),
        ("-0", D("0")),
        (" 42 ", D("42")),
        (12.5, D("12.5")),
        (0.1, D("0.1")),
        (1e16, D("1E+16")),
        (3, D("3")),
    ],
)
def test_parse(cell: Cell, expected: Decimal) -> None:
    result = AmountParser.for_column([cell]).parse(cell)
    assert result == expected
    assert str(result) == str(expected)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("-5", "is negative; refunds are not conversions"),
        ("−5", "is negative"),
        ("(5.00)", "is negative"),
        ("5-", "is negative"),
        ("-$5", "is negative"),
        ("$-5", "is negative"),
        ("USD -1,234.50", "is negative"),
        (-5, "is negative"),
        (-0.5, "is negative"),
        (math.nan, "is not a finite number"),
        (math.inf, "is not a finite number"),
        ("NaN", "is not a finite number"),
        ("-inf", "is not a finite number"),
        ("abc", "is not an amount"),
        ("20%", "not a currency"),
        ("20 apples", "not a currency"),
        ("12 34", "groups of 3 digits"),
        ("1,2,3", "groups of 3 digits"),
        ("1.234.5", "groups of 3 digits"),
        ("1,234.567.89", "separators are misplaced"),
        ("--5", "more than one sign"),
        ("(-5)", "more than one sign"),
        (True, "is not an amount"),
        (date(2024, 1, 5), "is not an amount"),
    ],
)
def test_parse_refusals(cell: Cell, message: str) -> None:
    with pytest.raises(ValueProblem, match=message):
        AmountParser.for_column([]).parse(cell)


@pytest.mark.parametrize(
    ("values", "hint", "decimal_comma", "reading"),
    [
        (["1,234"], None, False, D("1234")),
        (["1,234"], True, True, D("1.234")),
        (["1,234"], False, False, D("1234")),
        (["1,234", "12,5"], None, True, D("1.234")),
        (["1,234", "0,99", "1,50"], False, True, D("1.234")),
        (["1,234", "1.234,50"], None, True, D("1.234")),
        (["1,234", "1,234.50"], True, False, D("1234")),
        (["1,234", "1.234.567"], None, True, D("1.234")),
        (["1,234", "1,234,567"], True, False, D("1234")),
        (["1,234", "12.50", "3.5", "7,25"], None, False, D("1234")),
        (["1,234", 12.5, None, "$3"], True, True, D("1.234")),
    ],
)
def test_decimal_separator_is_decided_per_column(
    values: list[Cell], hint: bool | None, decimal_comma: bool, reading: Decimal
) -> None:
    parser = AmountParser.for_column(values, decimal_comma=hint)
    assert parser.decimal_comma is decimal_comma
    assert parser.parse("1,234") == reading


def test_values_that_tell_their_separator_ignore_the_column_decision() -> None:
    comma = AmountParser.for_column(["1.234"], decimal_comma=True)
    assert comma.parse("1.234") == D("1234")
    assert comma.parse("12.5") == D("12.5")
    assert comma.parse("1,234.50") == D("1234.50")
    point = AmountParser.for_column(["1.234"])
    assert point.parse("1.234") == D("1.234")
    assert point.parse("12,5") == D("12.5")
    assert point.parse("1.234,50") == D("1234.50")


_amounts = st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(_amounts)
def test_us_and_german_formats_round_trip(amount: Decimal) -> None:
    us = f"{amount:,.2f}"
    german = us.replace(",", " ").replace(".", ",").replace(" ", ".")
    assert AmountParser.for_column([us]).parse(us) == amount
    assert AmountParser.for_column([german]).parse(german) == amount
    assert AmountParser.for_column([]).parse(f"$ {us}") == amount
    assert AmountParser.for_column([]).parse(f"{german} €") == amount
    swiss = us.replace(",", "'")
    assert AmountParser.for_column([]).parse(swiss) == amount
    french = us.replace(",", "\u202f").replace(".", ",")
    assert AmountParser.for_column([]).parse(french) == amount


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_whole_amounts_with_thousands_follow_the_hint(amount: int) -> None:
    us = f"{amount:,}"
    german = us.replace(",", ".")
    assert AmountParser.for_column([us]).parse(us) == amount
    assert AmountParser.for_column([german], decimal_comma=True).parse(german) == amount


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=0, max_value=1e15, allow_nan=False))
def test_float_cells_keep_their_shortest_repr(value: float) -> None:
    parsed = AmountParser.for_column([value]).parse(value)
    assert parsed == D(repr(value))
    assert format_amount(parsed) == value


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("20 €", "EUR"),
        ("€20", "EUR"),
        ("£5", "GBP"),
        ("USD 3", "USD"),
        ("3 usd", "USD"),
        ("US$3", "USD"),
        ("R$ 1.234,50", "BRL"),
        ("₹500", "INR"),
        ("$20 CAD", "CAD"),
        ("$20", None),
        ("¥500", None),
        ("20", None),
        ("20 EUR USD", None),
        ("€20 USD", None),
        ("abc", None),
        (20.0, None),
    ],
)
def test_currency_from_amount(cell: Cell, code: str | None) -> None:
    assert currency_from_amount(cell) == code


def test_format_amount_is_a_float() -> None:
    result = format_amount(D("20.00"))
    assert isinstance(result, float)
    assert result == 20.0
    assert format_amount(D("1234.56")) == 1234.56


# -- counts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(3, 3), (3.0, 3), ("3", 3), ("3.0", 3), (" 3,0 ", 3), ("+3", 3), ("12", 12), ("1.00", 1)],
)
def test_parse_count(cell: Cell, expected: int) -> None:
    result = parse_count(cell)
    assert result == expected
    assert type(result) is int


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (3.5, "is not a whole number of items"),
        ("3.5", "is not a whole number of items"),
        (0, "must be 1 or more"),
        ("0", "must be 1 or more"),
        (0.0, "must be 1 or more"),
        (0.5, "must be 1 or more"),
        (-1, "must be 1 or more"),
        ("-1", "must be 1 or more"),
        ("abc", "is not a number of items"),
        ("1,000", "is ambiguous"),
        (True, "TRUE/FALSE"),
        (math.nan, "is not a number of items"),
        (datetime(2024, 1, 1), "is not a number of items"),
    ],
)
def test_parse_count_refusals_leave_the_field_out_but_send_the_sale(
    cell: Cell, message: str
) -> None:
    with pytest.raises(ValueProblem) as info:
        parse_count(cell)
    assert message in info.value.message
    assert info.value.message.endswith("; the field is left out and the sale is still sent")
    assert info.value.severity is Severity.WARNING


# -- ids, currencies, event ids, text ---------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (23294827.0, "23294827"),
        (23294827, "23294827"),
        ("23294827.0", "23294827"),
        (" 23294827.0 ", "23294827"),
        ("23294827.00", "23294827.00"),
        ("A-1.0", "A-1.0"),
        ("  SKU 42 ", "SKU 42"),
        (1.5, "1.5"),
        (0.1, "0.1"),
        (date(2024, 1, 5), "2024-01-05"),
    ],
)
def test_normalize_id(cell: Cell, expected: str) -> None:
    assert normalize_id(cell) == expected


@pytest.mark.parametrize("cell", [True, False, math.nan, math.inf])
def test_normalize_id_refusals(cell: Cell) -> None:
    with pytest.raises(ValueProblem):
        normalize_id(cell)


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("USD", "USD"),
        (" eur ", "EUR"),
        ("gbp", "GBP"),
        ("€", "EUR"),
        ("£", "GBP"),
        ("₹", "INR"),
        ("₩", "KRW"),
        ("₺", "TRY"),
        ("₽", "RUB"),
        ("₪", "ILS"),
        ("₫", "VND"),
        ("₦", "NGN"),
        ("₱", "PHP"),
        ("CHF", "CHF"),
        ("JPY", "JPY"),
    ],
)
def test_normalize_currency(cell: str, code: str) -> None:
    assert normalize_currency(cell) == code


@pytest.mark.parametrize("cell", ["$", "¥", "XYZ", "EURO", "US", "dollars", 840, True])
def test_normalize_currency_refusals_leave_the_currency_out_but_send_the_sale(cell: Cell) -> None:
    with pytest.raises(ValueProblem) as info:
        normalize_currency(cell)
    assert info.value.message == (
        "is not an ISO 4217 currency code (e.g. USD, EUR, GBP), so X will count the value in "
        "US dollars; the field is left out and the sale is still sent"
    )
    assert info.value.severity is Severity.WARNING


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("1234.5", "JPY", "1235"),
        ("1234.4", "jpy", "1234"),
        ("0.5", "JPY", "1"),
        ("1.2345", "KWD", "1.235"),
        ("1.2344", "BHD", "1.234"),
        ("2.675", "USD", "2.68"),
        ("2.665", "EUR", "2.67"),
        ("20", "USD", "20.00"),
        ("2.675", None, "2.68"),
        ("2.675", "XYZ", "2.68"),
        ("1E+20", "USD", "100000000000000000000.00"),
    ],
)
def test_round_to_currency_uses_the_minor_unit_and_rounds_half_up(
    amount: str, currency: str | None, expected: str
) -> None:
    result = round_to_currency(D(amount), currency)
    assert str(result) == expected


@pytest.mark.parametrize(
    ("cell", "pixel", "expected"),
    [
        ("o87ne", None, "o87ne"),
        (" O87NE ", None, "o87ne"),
        ("tw-o8z6j-o87ne", None, "tw-o8z6j-o87ne"),
        ("TW-O8Z6J-O87NE", "o8z6j", "tw-o8z6j-o87ne"),
        ("tw-o8z6j-o87ne", "O8Z6J", "tw-o8z6j-o87ne"),
        (12345, None, "12345"),
        (12345.0, None, "12345"),
    ],
)
def test_normalize_event_id(cell: Cell, pixel: str | None, expected: str) -> None:
    assert normalize_event_id(cell, pixel_id=pixel) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("o87n e", "base-36 id of the X event"),
        ("tw-o8z6j", "tw-{pixel id}-{event id}"),
        ("tw--o87ne", "is not an event id"),
        ("purchase!", "is not an event id"),
        ("tw-abcde-o87ne", "belongs to pixel abcde, not to pixel o8z6j"),
        (True, "TRUE/FALSE"),
    ],
)
def test_normalize_event_id_refusals(cell: Cell, message: str) -> None:
    with pytest.raises(ValueProblem) as info:
        normalize_event_id(cell, pixel_id="o8z6j")
    assert message in info.value.message


@pytest.mark.parametrize(
    ("cell", "max_length", "expected"),
    [
        ("  Red shoes ", None, "Red shoes"),
        ("Line one\nline two\ttab", None, "Line one line two tab"),
        ("a\x00b", None, "a b"),
        (12.0, None, "12"),
        (12.5, None, "12.5"),
        (True, None, "TRUE"),
        ("abcdef", 3, "abc"),
        ("ab def", 3, "ab"),
        ("abc", 3, "abc"),
    ],
)
def test_normalize_text(cell: Cell, max_length: int | None, expected: str) -> None:
    assert normalize_text(cell, max_length=max_length) == expected


def test_normalize_text_refuses_nothing_but_control_characters() -> None:
    with pytest.raises(ValueProblem, match="is empty"):
        normalize_text("\n\t")
