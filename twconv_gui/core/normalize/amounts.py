"""Money, counts, ids, currencies, event ids and free text as the conversion payload wants them."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import cache

from twconv_gui.core.normalize.personal_data import refuse_personal_data
from twconv_gui.core.normalize.problems import Severity, ValueProblem
from twconv_gui.core.reading.table import Cell

__all__ = [
    "AmountParser",
    "currency_from_amount",
    "format_amount",
    "normalize_currency",
    "normalize_event_id",
    "normalize_id",
    "normalize_text",
    "parse_count",
    "round_to_currency",
]

# Currency symbols with a single meaning, and prefixed dollar signs.
_SYMBOLS = {
    "€": "EUR", "£": "GBP", "₹": "INR", "₩": "KRW", "₺": "TRY", "₽": "RUB", "₪": "ILS",
    "₫": "VND", "₦": "NGN", "₱": "PHP", "₴": "UAH", "฿": "THB", "zł": "PLN", "US$": "USD",
    "C$": "CAD", "CA$": "CAD", "A$": "AUD", "AU$": "AUD", "NZ$": "NZD", "HK$": "HKD",
    "S$": "SGD", "R$": "BRL", "MX$": "MXN",
}  # fmt: skip
# Symbols used by several currencies: fine in an amount, but they do not name its currency.
_AMBIGUOUS = frozenset({"$", "¥", "￥", "kr", "Kr", "Fr", "R", "₨", "元", "円", "¢"})

_SPACES = " \u00a0\u202f\u2009\u2007"
# sign, currency before, sign, number, sign, currency after (accounting parentheses are
# removed before). The number starts and ends with a digit (or starts with its separator).
_AMOUNT = re.compile(
    r"(?P<s1>[-−+])?\s*(?P<pre>[^\d\s.,+\-−()']+)?\s*(?P<s2>[-−+])?\s*"
    r"(?P<num>[.,]?\d(?:[\d.,'’" + _SPACES + r"]*\d)?)"
    r"\s*(?P<s3>[-−])?\s*(?P<post>[^\d\s.,+\-−()']+)?\s*(?P<s4>[-−])?"
)
_SIMPLE = re.compile(r"\d+(?:[.,](?!\d{3}\Z)\d+)?")
_NUMERIC = re.compile(r"\d[\d.,]*")
_GROUP_SPLIT = re.compile(r"[.,'’" + _SPACES + "]")
_BASE36 = re.compile(r"[0-9a-z]+")
_TW_EVENT = re.compile(r"tw-([0-9a-z]+)-([0-9a-z]+)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_COUNT = re.compile(r"\s*\+?(\d+)(?:([.,])(\d+))?\s*")


@cache
def _iso_codes() -> frozenset[str]:
    """The ISO 4217 alphabetic codes, from pycountry (loaded once, on first use)."""
    import pycountry  # noqa: PLC0415  (its database takes a while to load: only when needed)

    return frozenset(c.alpha_3 for c in pycountry.currencies)


def _currency_of(token: str) -> str | None:
    """ISO code of a currency token ("€", "EUR", "US$"), None when ambiguous or unknown."""
    return _SYMBOLS.get(token) or (token.upper() if token.upper() in _iso_codes() else None)


def _split(value: str) -> tuple[re.Match[str] | None, bool]:
    """The _AMOUNT match of a text and whether it was in accounting parentheses."""
    text = value.strip()
    in_parens = text.startswith("(") and text.endswith(")")
    if in_parens:
        text = text[1:-1].strip()
    return _AMOUNT.fullmatch(text), in_parens


def _decimal_sep(num: str, comma: bool | None) -> str | None:
    """The decimal separator of a number's text: "." or ",", "" when it has none, or None
    when the text alone cannot tell ("1,234": one separator, three digits after it, a head of
    one to three digits) and `comma` is None."""
    dot, com = num.rfind("."), num.rfind(",")
    if dot >= 0 and com >= 0:
        return "." if dot > com else ","
    if dot < 0 and com < 0:
        return ""
    sep = "." if dot >= 0 else ","
    head, _, tail = num.rpartition(sep)
    if sep in head:
        return ""  # 1,234,567: the separator groups thousands
    if len(tail) == 3 and 0 < len(head) <= 3 and head.isdigit() and head[0] != "0":
        if comma is None:
            return None
        return sep if (sep == ",") == comma else ""  # the other separator groups thousands
    return sep


class AmountParser:
    """Reads one column's amounts, with the column's decimal separator decided once.

    Attributes:
        decimal_comma: True when an ambiguous value such as "1,234" or "1.234" is read with
            a decimal comma (1.234 and 1234), False when with a decimal point.
    """

    __slots__ = ("decimal_comma",)

    def __init__(self, decimal_comma: bool = False) -> None:
        """Use for_column(), which decides decimal_comma from the column's values."""
        self.decimal_comma = decimal_comma

    @classmethod
    def for_column(
        cls, values: Iterable[Cell], *, decimal_comma: bool | None = None
    ) -> AmountParser:
        """Decides the decimal separator from the values that tell it.

        A value with both separators tells (the last one is the decimal separator), so does
        one whose single separator cannot group thousands ("12,5", "0.123", "1,23").
        "1,234" alone is ambiguous: the majority of the telling values decides, else the hint.

        Args:
            values: the column's cells (None, blanks and numbers are skipped).
            decimal_comma: the hint when no value tells, e.g. True when the CSV file used ';'
                as its delimiter; None means decimal point.
        """
        commas = points = 0
        # Values of one column share a handful of shapes ("9,999.99"): classify each shape once.
        votes: dict[str, tuple[int, int]] = {}
        for v in values:
            if isinstance(v, str) and ("," in v or "." in v):
                shape = v.translate(_DIGIT_SHAPE)
                vote = votes.get(shape)
                if vote is None:
                    vote = votes[shape] = _vote(v)
                commas += vote[0]
                points += vote[1]
        if commas != points:
            return cls(commas > points)
        return cls(bool(decimal_comma))

    def parse(self, value: Cell) -> Decimal:
        """The amount as a Decimal (exactly as written; floats via their shortest repr).

        Accepts "1,234.50", "1.234,50", "1 234,50", "1'234.50", "$20", "20 €", "EUR 20",
        "USD 1,234.50" and numbers.

        Raises:
            ValueProblem: not an amount, not finite, or negative (refunds are not
                conversions).
        """
        if isinstance(value, str):
            text = value.strip()
            if _SIMPLE.fullmatch(text) is not None:  # 20, 20.5, 20,50: nothing to decide
                return Decimal(text.replace(",", "."))
            if _NUMERIC.fullmatch(text) is not None:  # 1,234.50: no sign, no currency
                return self._number(text)
            return self._parse_text(text)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueProblem("is not an amount (expected a number such as 1234.50)")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueProblem("is not a finite number")
        if value < 0:
            raise ValueProblem("is negative; refunds are not conversions")
        return Decimal(value) if isinstance(value, int) else Decimal(repr(value))

    def _parse_text(self, text: str) -> Decimal:
        m, negative = _split(text)
        if m is None:
            if text.lower().lstrip("+-−") in ("nan", "inf", "infinity"):
                raise ValueProblem("is not a finite number")
            raise ValueProblem("is not an amount (expected e.g. 1234.50, 1.234,50 or $20)")
        for token in m.group("pre", "post"):
            if token and token not in _AMBIGUOUS and _currency_of(token) is None:
                raise ValueProblem(
                    "is not an amount: it has letters or symbols that are not a currency"
                )
        signs = [s for s in m.group("s1", "s2", "s3", "s4") if s]
        if len(signs) > 1 or (signs and negative):
            raise ValueProblem("is not an amount (it has more than one sign)")
        amount = self._number(m["num"])
        if amount and (negative or (signs and signs[0] != "+")):
            raise ValueProblem("is negative; refunds are not conversions")
        return amount

    def _number(self, num: str) -> Decimal:
        """The value of a number's text: digits, separators, no sign, no currency."""
        sep = _decimal_sep(num, self.decimal_comma)
        if sep:
            head, _, frac = num.rpartition(sep)
            if sep in head or not frac.isdigit():
                raise ValueProblem("is not an amount (its separators are misplaced)")
        else:
            head, frac = num, ""
        groups = [head] if head.isdigit() else _GROUP_SPLIT.split(head) if head else ["0"]
        if len(groups) > 1 and not (
            1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
        ):
            raise ValueProblem(
                "is not an amount (thousands separators must separate groups of 3 digits)"
            )
        digits = "".join(groups)
        if not (digits.isdigit() and digits.isascii()):
            raise ValueProblem("is not an amount (its separators are misplaced)")
        return Decimal(f"{digits}.{frac}" if frac else digits)


def currency_from_amount(value: Cell) -> str | None:
    """The ISO 4217 code an amount's text names unambiguously ("20 €", "£5", "USD 3").

    Args:
        value: an amount cell.

    Returns:
        The code, or None for numbers, plain amounts and ambiguous symbols such as "$".
    """
    if not isinstance(value, str):
        return None
    if _NUMERIC.fullmatch(value.strip()) is not None:
        return None  # the common case: digits and separators only
    m = _split(value)[0]
    if m is None:
        return None
    codes = {_currency_of(t) for t in m.group("pre", "post") if t} - {None}
    return codes.pop() if len(codes) == 1 else None


def format_amount(d: Decimal) -> float:
    """The amount as the JSON number the API documents `value`/`content_price` to be.

    A float's shortest repr keeps every amount with up to 15 significant digits exactly as
    written (20.5 stays 20.5), and json cannot encode a Decimal.
    """
    return float(d)


# number_items, num_items and price_currency are optional: a bad one is dropped, not the sale.
LEFT_OUT_SUFFIX = "; the field is left out and the sale is still sent"


def _optional_problem(message: str) -> ValueProblem:
    """A warning about an optional field that is left out of the conversion."""
    return ValueProblem(message + LEFT_OUT_SUFFIX, severity=Severity.WARNING)


def parse_count(value: Cell) -> int:
    """A number of items: a positive whole number ("3", "3.0", 3.0, 3).

    The number of items is optional in X's conversion: every problem is a warning, and the
    conversion goes out without it.

    Raises:
        ValueProblem: (a warning) not a number, not whole, or below 1.
    """
    if isinstance(value, bool):
        raise _optional_problem("is not a number of items (the cell holds TRUE/FALSE)")
    if isinstance(value, str):
        m = _COUNT.fullmatch(value)
        if m is None:
            try:
                number = Decimal(value.strip())
            except InvalidOperation:
                raise _optional_problem("is not a number of items (expected e.g. 1 or 3)") from None
            if number.is_finite() and number < 1:
                raise _optional_problem("must be 1 or more")
            raise _optional_problem("is not a whole number of items")
        whole, sep, frac = m.groups()
        if frac and sep == "," and len(frac) == 3:
            raise _optional_problem("is ambiguous (1,000 or 1.0?): write counts without separators")
        if frac and frac.strip("0"):
            raise _optional_problem("is not a whole number of items")
        count = int(whole)
    elif isinstance(value, int):
        count = value
    elif isinstance(value, float) and math.isfinite(value):
        if not value.is_integer() and value >= 1:
            raise _optional_problem("is not a whole number of items")
        count = int(value) if value.is_integer() else 0
    else:
        raise _optional_problem("is not a number of items (expected e.g. 1 or 3)")
    if count < 1:
        raise _optional_problem("must be 1 or more")
    return count


def normalize_id(value: Cell) -> str:
    """An id (order id, SKU...) as text, undoing what spreadsheets do to numeric ids.

    Excel's 23294827.0 float becomes "23294827", and so does the text "23294827.0" left by a
    pandas or Excel round trip; a float with a real fraction is kept as its repr.

    Raises:
        ValueProblem: a TRUE/FALSE cell, NaN or infinity; text that holds an email address
            or a phone number (see personal_data: it would reach X unhashed).
    """
    if isinstance(value, str):
        text = value.strip()
        if text.endswith(".0") and text[:-2].isdigit() and text.isascii():
            return text[:-2]
        if not text:
            raise ValueProblem("is empty")
        refuse_personal_data(text)
        return text
    if isinstance(value, bool):
        raise ValueProblem("is TRUE/FALSE, not an id")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueProblem("is not a finite number")
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def normalize_currency(value: Cell) -> str:
    """An ISO 4217 currency code ("usd " → "USD"), or the code of an unambiguous symbol.

    The currency is optional in X's conversion: an unknown one is a warning, and the
    conversion goes out without it (X then reads its value as US dollars, its default).

    Raises:
        ValueProblem: (a warning) not a currency code of the ISO 4217 list, nor a symbol
            such as €, £.
    """
    text = value.strip() if isinstance(value, str) else ""
    code = _currency_of(text) if text else None
    if code is None:
        raise _optional_problem(
            "is not an ISO 4217 currency code (e.g. USD, EUR, GBP), so X will count the "
            "value in US dollars"
        )
    return code


@cache
def _minor_units(currency: str) -> int:
    """Digits after the decimal point of a currency (ISO 4217 minor units, from CLDR)."""
    from babel.numbers import get_currency_precision  # noqa: PLC0415  (loads CLDR data)

    return int(get_currency_precision(currency))


def round_to_currency(amount: Decimal, currency: str | None) -> Decimal:
    """The amount rounded half up to the minor unit of its currency.

    JPY has no minor unit (1234.5 → 1235), KWD and BHD three (1.2345 → 1.235), USD and EUR
    two; the number of digits comes from CLDR's currency data (via babel). An unknown or
    missing currency gets two digits, as USD (X's default currency) has.

    Args:
        amount: a finite amount.
        currency: an ISO 4217 code (any case), or None.

    Returns:
        The rounded amount, with exactly as many decimal places as the currency has
        (Decimal("20") → Decimal("20.00") in USD).
    """
    code = currency.strip().upper() if currency else ""
    places = _minor_units(code) if code else 2
    if not amount.is_finite():
        return amount
    with localcontext() as context:
        context.prec = max(context.prec, amount.adjusted() + places + 2)
        return amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def normalize_event_id(value: Cell, *, pixel_id: str | None = None) -> str:
    """An X event id: base-36 ("o87ne") or "tw-{pixel id}-{event id}", lowercased.

    Args:
        value: the cell or constant holding the event id.
        pixel_id: the pixel being uploaded to; a tw- id of another pixel is refused.

    Raises:
        ValueProblem: neither form, or a tw- id of another pixel.
    """
    text = normalize_id(value).lower()
    if _BASE36.fullmatch(text):
        return text
    m = _TW_EVENT.fullmatch(text)
    if m is None:
        raise ValueProblem(
            "is not an event id: use the base-36 id of the X event (e.g. o87ne) or the form "
            "tw-{pixel id}-{event id} (e.g. tw-o8z6j-o87ne), as shown in Events Manager"
        )
    if pixel_id and m[1] != pixel_id.strip().lower():
        raise ValueProblem(
            f"belongs to pixel {m[1]}, not to pixel {pixel_id.strip().lower()} being uploaded to"
        )
    return text


def normalize_text(value: Cell, *, max_length: int | None = None) -> str:
    """Free text (description, content name/type): numbers as normalize_id writes them,
    control characters (tabs, line breaks...) replaced by spaces, trimmed, and cut to
    max_length characters when longer.

    Raises:
        ValueProblem: nothing is left once control characters are removed; the text holds an
            email address or a phone number (see personal_data: it would reach X unhashed).
    """
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, str):
        text = value
    else:
        text = normalize_id(value)
    if _CONTROL.search(text) is not None:
        text = _CONTROL.sub(" ", text)
    text = text.strip()
    refuse_personal_data(text)  # before cutting, which could leave half an address
    if max_length is not None and len(text) > max_length:
        text = text[:max_length].rstrip()
    if not text:
        raise ValueProblem("is empty once line breaks and control characters are removed")
    return text


# Zero stays apart: "0.123" shows a decimal point where "1.234" shows nothing.
_DIGIT_SHAPE = str.maketrans("123456789", "999999999")


def _vote(text: str) -> tuple[int, int]:
    """(1, 0) when the text shows a decimal comma, (0, 1) a decimal point, (0, 0) neither."""
    m = _split(text)[0]
    if m is None:
        return 0, 0
    num = m["num"]
    sep = _decimal_sep(num, None)
    if sep == "," or (sep == "" and num.count(".") > 1):  # 1.234.567 groups with dots
        return 1, 0
    if sep == "." or (sep == "" and num.count(",") > 1):
        return 0, 1
    return 0, 0
