"""Candidate (field, column) pairs with a score, from each column's header and sample values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from twconv_gui.core.mapping import header_synonyms as syn
from twconv_gui.core.mapping import values as k
from twconv_gui.core.mapping.headers import header, header_matches, is_free_text, negative
from twconv_gui.core.mapping.values import ValueProfile
from twconv_gui.core.normalize.click_ids import foreign_header


@dataclass(frozen=True)
class ColumnSuggestion:
    """Why one column is proposed for one field."""

    field: str  # a FIELD_NAMES entry
    column: str  # the column name
    reason: str  # shown to users
    score: float  # 0..1, higher = surer


# What the values of the other fields must look like, and how the reason names them.
_KINDS: dict[str, tuple[int, str]] = {
    **dict.fromkeys(("number_items", "content_num_items"), (k.QTY, "whole numbers")),
    **dict.fromkeys(("value", "content_price"), (k.NUMBER, "amounts")),
    **dict.fromkeys(("event_id", "content_id", "content_group_id"), (k.IDLIKE, "ids")),
    **dict.fromkeys(("content_name", "content_type", "description"), (k.TEXT, "text")),
    "ip_address": (k.IP, "IP addresses"),
    "user_agent": (k.UA, "browser user agents"),
    "price_currency": (k.CURRENCY, "currency codes"),
    "conversion_id": (k.DIGIT_ID, "ids"),
}
_MIN_SUPPORT = {"conversion_time": 0.6, "price_currency": 0.6, "twclid": 0.1}
_MIN_SUPPORT |= dict.fromkeys(("number_items", "content_num_items", "value", "content_price"), 0.7)
# Fields a column may get from its values alone (when its header points nowhere), with the
# share of values that must fit and the base score.
_VALUE_ONLY = dict.fromkeys(("email", "phone", "ip_address", "user_agent"), (0.8, 0.6))
_VALUE_ONLY |= {"twclid": (0.5, 0.6), "conversion_time": (0.9, 0.45), "value": (0.9, 0.4)}
_VALUE_ONLY["price_currency"] = (0.9, 0.45)
_TEXT_FIELDS = frozenset(("description", "content_name", "content_type"))
# Headers of a URL column: a twclid only when some of its URLs carry twclid=.
_URL_WORDS = ("url", "landing", "page", "site", "referr", "link", "uri")


def _support(fname: str, p: ValueProfile, phone_hint: bool, strict: bool) -> tuple[int, str]:
    """How many sampled values fit the field, and how to describe them."""
    if fname == "email":
        emails, hashes = p.count(k.EMAIL), (0 if phone_hint else p.count(k.SHA))
        return emails + hashes, "SHA-256 hashes" if hashes > emails else "email addresses"
    if fname == "phone":
        phones = p.count(k.PHONE | k.PHONE_LOOSE)
        hashes = p.count(k.SHA) if phone_hint else 0
        return phones + hashes, "SHA-256 hashes" if hashes > phones else "phone numbers"
    if fname == "conversion_time":
        n = p.count(k.DATE | k.DATETIME)
        unix = 0 if strict else p.count(k.UNIX_TIME)
        if unix > n:
            return unix, "Unix times"
        return n, "dates and times" if 2 * p.count(k.DATETIME) > n else "dates"
    if fname == "twclid":
        urls = p.count(k.TWCLID_URL)
        ids = 0 if strict else p.count(k.CLICK_TOKEN) - p.count_all(k.CLICK_TOKEN | k.FOREIGN_CLICK)
        return urls + ids, "landing URLs with twclid=" if urls >= ids else "click ids"
    if fname == "value" and strict:
        return p.count(k.MONEY), "amounts"
    mask, what = _KINDS[fname]
    return p.count(mask), what


def _rejects(fname: str, column: str, p: ValueProfile) -> bool:
    """Whether the column can never hold the field, whatever its header says."""
    if fname == "twclid":
        if foreign_header(column) is not None:
            return True  # another network's click id
        if p.n and p.count(k.FOREIGN_CLICK) * 2 >= p.n:
            return True  # values shaped like another network's click ids
        h = header(column)
        url_column = any(w in h.compact for w in _URL_WORDS)
        return url_column and bool(p.rows) and not p.count(k.TWCLID_URL)
    if fname in _TEXT_FIELDS:
        return is_free_text(column) or (p.n > 0 and p.count(k.LONG_TEXT) * 5 >= p.n)
    return False


def candidates(
    columns: Sequence[str], profiles: Sequence[ValueProfile], has_rows: bool
) -> list[ColumnSuggestion]:
    """Every (field, column) pair that header or values support, with its score."""
    out: list[ColumnSuggestion] = []
    for column, p in zip(columns, profiles, strict=True):
        h = header(column)
        phone_hint = any(w in h.compact for w in syn.PHONE_HINTS)
        matched = False
        for fname, (hscore, why) in header_matches(column).items():
            if _rejects(fname, column, p):
                continue
            if not p.n:
                score = hscore * (0.6 if has_rows else 1.0)
                reason = why + ("; no values in the sample" if has_rows else "")
            else:
                n, what = _support(fname, p, phone_hint, strict=False)
                if n / p.n < _MIN_SUPPORT.get(fname, 0.5):
                    continue  # the values contradict the header
                score = hscore * (0.75 + 0.25 * n / p.n)
                if fname == "conversion_id":  # an order id is mostly unique
                    score = hscore * (0.6 + 0.2 * n / p.n + 0.2 * p.distinct / p.n)
                reason = f"{why}; values look like {what} ({n} of {p.n})"
            out.append(ColumnSuggestion(fname, column, reason, round(score, 3)))
            matched = True
        if matched or p.n < 2:
            continue
        for fname, (min_share, base) in _VALUE_ONLY.items():
            if negative(fname, h.compact) or _rejects(fname, column, p):
                continue
            n, what = _support(fname, p, phone_hint, strict=True)
            if fname == "phone" and not phone_hint and 2 * p.count(k.PHONE) < p.n:
                n = 0  # bare digit strings and integers are no evidence of phone numbers
            if fname == "value" and p.count(k.NUMBER) < 0.9 * p.n:
                n = 0
            if n / p.n >= min_share:
                score = base + 0.1 * n / p.n
                if fname == "conversion_time" and what == "dates and times":
                    score += 0.05
                reason = f"values look like {what} ({n} of {p.n})"
                out.append(ColumnSuggestion(fname, column, reason, round(score, 3)))
    return out
