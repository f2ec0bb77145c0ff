"""Guess which column holds which conversion field, from the header names and sample values.

Pure and fast: `suggest_mapping` looks at the header row and at most a few hundred sample
rows, never at files. The names it knows are in `header_synonyms`.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache, lru_cache

import pycountry

from twconv_gui.core.mapping import header_synonyms as syn
from twconv_gui.core.mapping.fields import FIELD_NAMES, FIELDS_BY_NAME
from twconv_gui.core.reading.table import Cell


@dataclass(frozen=True)
class ColumnSuggestion:
    """Why one column is proposed for one field."""

    field: str  # a FIELD_NAMES entry
    column: str  # the column name
    reason: str  # shown to users
    score: float  # 0..1, higher = surer


@dataclass(frozen=True)
class MappingSuggestion:
    """The proposed mapping: field -> column, each column used at most once."""

    columns: dict[str, str]
    details: tuple[ColumnSuggestion, ...]  # why, per chosen field, in FIELD_NAMES order


# What a single value looks like (bit flags; a value can be several things at once).
(_EMAIL, _SHA, _PHONE, _PHONE_LOOSE, _DATETIME, _DATE, _TIME, _MONEY, _NUMBER, _QTY) = (
    1 << i for i in range(10)
)
(_CURRENCY, _IP, _UA, _TWCLID_URL, _CLICK_TOKEN, _IDLIKE, _DIGIT_ID, _TEXT) = (
    1 << i for i in range(10, 18)
)

_MAX_VALUES = 100  # non-empty values looked at per column

_EMAIL_RE = re.compile(r"[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+\.[^\W\d_]{2,}")
_SHA_RE = re.compile(r"[0-9a-fA-F]{64}")
_TZ = r"(?:\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2}))?"
_HMS = r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[ap]\.?m\.?)?"
_ISO_RE = re.compile(rf"(?i)\d{{4}}-\d{{1,2}}-\d{{1,2}}(?P<t>[T ]{_HMS}{_TZ})?")
_NUMDATE_RE = re.compile(
    rf"(?i)(?:\d{{1,2}}[./-]\d{{1,2}}[./-](?:\d{{4}}|\d{{2}})|\d{{4}}[./]\d{{1,2}}[./]\d{{1,2}})"
    rf"(?P<t>,?\s+{_HMS}{_TZ})?"
)
_WORDDATE_RE = re.compile(
    r"(?i)(?:[^\W\d_]+\.?,?\s+)?(?:\d{1,2}\.?\s+(?P<m1>[^\W\d_]{3,})\.?"
    r"|(?P<m2>[^\W\d_]{3,})\.?\s+\d{1,2}(?:st|nd|rd|th)?,?)\s+\d{4}"
    r"(?P<t>,?\s+(?:at\s+)?\d{1,2}:\d{2}.*)?"
)
_TIME_RE = re.compile(rf"(?i){_HMS}")
_CUR = r"(?:[A-Z]{1,2}\$|[$€£¥₹₩₽₺₪฿₫₱]|kr\.?|zł|Fr\.|[A-Za-z]{3})"
_NUMBER_RE = re.compile(
    rf"[-+]?(?P<c1>{_CUR})?\s?[-+]?(?:\d{{1,3}}(?:[,. '\u00a0\u202f]\d{{3}})+|\d+)"
    rf"(?P<dec>[.,]\d+)?\s?(?P<c2>{_CUR})?"
)
_PHONE_RE = re.compile(r"\+?[\d\s().\-/]{7,24}")
_UA_RE = re.compile(r"[A-Za-z][\w.\- ]{0,30}/\d[\w.]*(?:\s|$)")
_IP_RE = re.compile(r"[0-9a-fA-F:.]{3,45}")
_CLICK_RE = re.compile(r"[A-Za-z0-9_-]{12,128}")
_NO_DIGITS = str.maketrans("", "", "0123456789")


@cache
def _currency_codes() -> frozenset[str]:
    return frozenset(str(c.alpha_3) for c in pycountry.currencies)


def _classify_text(s: str) -> int:
    """Flags for one stripped, non-empty text cell."""
    if s.isascii() and s.isdigit():  # 3, 1001, 0301234567: never a date, phone only loosely
        flags = _NUMBER | _IDLIKE | _DIGIT_ID | _TEXT
        if 7 <= len(s) <= 15:
            flags |= _PHONE_LOOSE
        return flags | (_QTY if len(s) <= 4 and s[0] != "0" and int(s) <= 1000 else 0)
    if "=" in s and "twclid=" in s.casefold():
        return _TWCLID_URL | _TEXT
    if "@" in s and _EMAIL_RE.fullmatch(s):
        return _EMAIL
    digits = len(s) - len(s.translate(_NO_DIGITS))
    if digits and (special := _special_kind(s)):
        return special
    flags = _TEXT
    num = _NUMBER_RE.fullmatch(s) if digits else None
    cur = num and (num["c1"] or num["c2"])
    if cur and len(cur) == 3 and cur.isalpha() and cur.upper() not in _currency_codes():
        num = None
    if num is not None:
        flags |= _NUMBER | (_MONEY if cur or len(num["dec"] or "") == 3 else 0)
    money_like = num is not None and (flags & _MONEY or "," in s)
    if not money_like and 7 <= digits <= 15 and _PHONE_RE.fullmatch(s):
        flags |= _PHONE
    if len(s) == 3 and s.upper() in _currency_codes():
        flags |= _CURRENCY
    if _CLICK_RE.fullmatch(s):
        flags |= _CLICK_TOKEN
    if not flags & _MONEY and len(s) <= 64 and len(s.split(maxsplit=1)) == 1:
        flags |= _IDLIKE | (_DIGIT_ID if digits else 0)
    return flags


def _special_kind(s: str) -> int:
    """A hash, user agent, date, time or IP address among text cells holding digits, or 0."""
    if len(s) == 64 and _SHA_RE.fullmatch(s):
        return _SHA | _IDLIKE | _DIGIT_ID
    if s.startswith("Mozilla/") or (len(s) > 20 and _UA_RE.match(s)):
        return _UA | _TEXT
    m = _ISO_RE.fullmatch(s) if s[4:5] == "-" else None
    if m is None and s[0].isdigit():
        m = _NUMDATE_RE.fullmatch(s)
    if m is None and " " in s and (m := _WORDDATE_RE.fullmatch(s)):
        month = _strip_accents((m["m1"] or m["m2"])[:3].casefold())
        m = m if month in syn.MONTH_PREFIXES else None
    if m is not None:
        return _DATETIME if m["t"] else _DATE
    if ":" in s and _TIME_RE.fullmatch(s):
        return _TIME
    if (s.count(".") == 3 or s.count(":") >= 2) and _IP_RE.fullmatch(s):
        try:
            ipaddress.ip_address(s)
        except ValueError:
            return 0
        return _IP
    return 0


def _classify_cell(v: Cell) -> int:
    """Flags for a typed workbook cell (not str, not None)."""
    if isinstance(v, bool):
        return 0
    if isinstance(v, float):  # workbook numbers: 25.0 may be an amount or a quantity
        if v.is_integer():
            return _classify_text(str(int(v))) | _MONEY
        return _classify_text(f"{v:.2f}" if round(v, 2) == v else repr(v))
    if isinstance(v, int):
        return _classify_text(str(v))
    if isinstance(v, datetime):
        return _DATE if v.time() == time(0) and v.tzinfo is None else _DATETIME
    if isinstance(v, date):
        return _DATE
    if isinstance(v, time) or (isinstance(v, timedelta) and v < timedelta(days=1)):
        return _TIME
    return 0


@dataclass
class _Profile:
    n: int = 0  # non-empty values looked at
    flag_counts: dict[int, int] = field(default_factory=dict)

    def count(self, mask: int) -> int:
        return sum(c for f, c in self.flag_counts.items() if f & mask)


def _profile(values: Sequence[Cell], text_cache: dict[str, int]) -> _Profile:
    p = _Profile()
    for cell in values:
        if cell is None:
            continue
        if isinstance(cell, str):
            if not (v := cell.strip()):
                continue
            if (flags := text_cache.get(v)) is None:
                flags = text_cache[v] = _classify_text(v)
        else:
            flags = _classify_cell(cell)
        p.flag_counts[flags] = p.flag_counts.get(flags, 0) + 1
        p.n += 1
        if p.n >= _MAX_VALUES:
            break
    return p


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@dataclass(frozen=True)
class _Header:
    tokens: frozenset[str]
    compact: str  # all words run together: "emailaddress"
    bare: str  # compact without a trailing "(...)": "Total (EUR)" -> "total"


@lru_cache(maxsize=4096)
def _header(text: str) -> _Header:
    def words(t: str) -> list[str]:
        t = re.sub(r"([a-z])([A-Z])", r"\1 \2", t.replace("#", " number "))
        t = _strip_accents(t).casefold()
        return " ".join(re.findall(r"[^\W_]+", t)).replace("line item", "lineitem").split()

    tokens = words(text)
    bare = words(re.sub(r"\s*\([^)]*\)\s*$", "", text))
    return _Header(frozenset(tokens), "".join(tokens), "".join(bare))


def _build_exact() -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {}
    for fname, names in syn.EXACT.items():
        for name, score in names.items():
            slot = table.setdefault(_header(name).compact, {})
            slot[fname] = max(score, slot.get(fname, 0.0))
    return table


_EXACT = _build_exact()
_ORDER = {f: i for i, f in enumerate(FIELD_NAMES)}


def _negative(fname: str, compact: str) -> bool:
    stems = syn.NEGATIVE.get(fname, ())
    if fname == "value" and any(w in compact for w in syn.VALUE_TAX_INCLUDED):
        stems = tuple(s for s in stems if s not in syn.TAX_WORDS)
    return any(s in compact for s in stems)


def _label(fname: str) -> str:
    label = FIELDS_BY_NAME[fname].label
    return label if label[:2].isupper() else label[0].lower() + label[1:]


def _header_matches(column: str) -> dict[str, tuple[float, str]]:
    """field -> (header score, reason) for every field the header name points at."""
    h = _header(column)
    out: dict[str, tuple[float, str]] = {}

    def put(fname: str, score: float, why: str) -> None:
        if score > out.get(fname, (0.0, ""))[0]:
            out[fname] = (score, why)

    usual = f'header "{column}" is a usual name for '
    for fname, score in _EXACT.get(h.compact, {}).items():
        put(fname, score, usual + _label(fname))
    if h.bare and h.bare != h.compact:
        for fname, score in _EXACT.get(h.bare, {}).items():
            put(fname, score - 0.1, usual + _label(fname))
    exact = set(out)
    for fname in FIELD_NAMES:
        if fname in exact or _negative(fname, h.compact):
            continue
        for words, score in syn.TOKENS.get(fname, ()):
            if all(w in h.tokens for w in words):
                put(fname, score, f'header "{column}" contains "{" ".join(words)}"')
        for stem, score in syn.STEMS.get(fname, ()):
            if stem in h.compact:
                put(fname, score, f'header "{column}" contains "{stem}"')
    return out


# What the values of the other fields must look like, and how the reason names them.
_KINDS: dict[str, tuple[int, str]] = {
    **dict.fromkeys(("number_items", "content_num_items"), (_QTY, "whole numbers")),
    **dict.fromkeys(("value", "content_price"), (_NUMBER, "amounts")),
    **dict.fromkeys(("event_id", "content_id", "content_group_id"), (_IDLIKE, "ids")),
    **dict.fromkeys(("content_name", "content_type", "description"), (_TEXT, "text")),
    "ip_address": (_IP, "IP addresses"),
    "user_agent": (_UA, "browser user agents"),
    "price_currency": (_CURRENCY, "currency codes"),
    "conversion_id": (_DIGIT_ID, "ids"),
}
_MIN_SUPPORT = {"conversion_time": 0.6, "price_currency": 0.6, "twclid": 0.1}
_MIN_SUPPORT |= dict.fromkeys(("number_items", "content_num_items", "value", "content_price"), 0.7)
# Fields a column may get from its values alone (when its header points nowhere), with the
# share of values that must fit and the base score.
_VALUE_ONLY = dict.fromkeys(("email", "phone", "ip_address", "user_agent"), (0.8, 0.6))
_VALUE_ONLY |= {"twclid": (0.5, 0.6), "conversion_time": (0.9, 0.45), "value": (0.9, 0.4)}
_VALUE_ONLY["price_currency"] = (0.9, 0.45)


def _support(fname: str, p: _Profile, phone_hint: bool, strict: bool) -> tuple[int, str]:
    """How many sampled values fit the field, and how to describe them."""
    if fname == "email":
        emails, hashes = p.count(_EMAIL), (0 if phone_hint else p.count(_SHA))
        return emails + hashes, "SHA-256 hashes" if hashes > emails else "email addresses"
    if fname == "phone":
        phones = p.count(_PHONE | _PHONE_LOOSE)
        hashes = p.count(_SHA) if phone_hint else 0
        return phones + hashes, "SHA-256 hashes" if hashes > phones else "phone numbers"
    if fname == "conversion_time":
        n = p.count(_DATE | _DATETIME)
        return n, "dates and times" if 2 * p.count(_DATETIME) > n else "dates"
    if fname == "twclid":
        urls, ids = p.count(_TWCLID_URL), (0 if strict else p.count(_CLICK_TOKEN))
        return urls + ids, "landing URLs with twclid=" if urls >= ids else "click ids"
    if fname == "value" and strict:
        return p.count(_MONEY), "amounts"
    mask, what = _KINDS[fname]
    return p.count(mask), what


def _candidates(
    columns: Sequence[str], profiles: list[_Profile], has_rows: bool
) -> list[ColumnSuggestion]:
    out: list[ColumnSuggestion] = []
    for column, p in zip(columns, profiles, strict=True):
        h = _header(column)
        phone_hint = any(w in h.compact for w in syn.PHONE_HINTS)
        matched = False
        for fname, (hscore, why) in _header_matches(column).items():
            if not p.n:
                score = hscore * (0.6 if has_rows else 1.0)
                reason = why + ("; no values in the sample" if has_rows else "")
            else:
                n, what = _support(fname, p, phone_hint, strict=False)
                if n / p.n < _MIN_SUPPORT.get(fname, 0.5):
                    continue  # the values contradict the header
                score = hscore * (0.75 + 0.25 * n / p.n)
                reason = f"{why}; values look like {what} ({n} of {p.n})"
            out.append(ColumnSuggestion(fname, column, reason, round(score, 3)))
            matched = True
        if matched or p.n < 2:
            continue
        for fname, (min_share, base) in _VALUE_ONLY.items():
            if _negative(fname, h.compact):
                continue
            n, what = _support(fname, p, phone_hint, strict=True)
            if fname == "phone" and not phone_hint and 2 * p.count(_PHONE) < p.n:
                n = 0  # bare digit strings and integers are no evidence of phone numbers
            if fname == "value" and p.count(_NUMBER) < 0.9 * p.n:
                n = 0
            if n / p.n >= min_share:
                score = base + 0.1 * n / p.n
                if fname == "conversion_time" and what == "dates and times":
                    score += 0.05
                reason = f"values look like {what} ({n} of {p.n})"
                out.append(ColumnSuggestion(fname, column, reason, round(score, 3)))
    return out


def _assign(
    cands: list[ColumnSuggestion], order: dict[str, int], boost: dict[str, float]
) -> dict[str, ColumnSuggestion]:
    """Greedy by score: the surest pair first, each field and each column used once."""
    ranked = sorted(
        cands,
        key=lambda c: (-(c.score + boost.get(c.field, 0.0)), order[c.column], _ORDER[c.field]),
    )
    chosen: dict[str, ColumnSuggestion] = {}
    used: set[str] = set()
    for c in ranked:
        if c.field not in chosen and c.column not in used:
            chosen[c.field] = c
            used.add(c.column)
    return chosen


def _time_note(
    chosen: ColumnSuggestion, columns: Sequence[str], profiles: list[_Profile]
) -> ColumnSuggestion:
    """Mention a separate time-of-day column beside a date-only conversion_time column."""
    p = profiles[columns.index(chosen.column)]
    if not p.n or p.count(_DATE) < 0.8 * p.n:
        return chosen
    for column, q in zip(columns, profiles, strict=True):
        h = _header(column)
        timeish = any(w in h.tokens for w in syn.TIME_WORDS) or h.compact.endswith("zeit")
        if column != chosen.column and q.n and q.count(_TIME) >= 0.8 * q.n and timeish:
            note = f'; the time of day is in the separate column "{column}", not combined here'
            return ColumnSuggestion(chosen.field, chosen.column, chosen.reason + note, chosen.score)
    return chosen


def suggest_mapping(
    columns: Sequence[str], sample_rows: Sequence[Sequence[Cell]]
) -> MappingSuggestion:
    """Propose field -> column from header names and what the sample values look like."""
    text_cache: dict[str, int] = {}
    values = [[r[i] for r in sample_rows if i < len(r)] for i in range(len(columns))]
    profiles = [_profile(v, text_cache) for v in values]
    order = {c: i for i, c in enumerate(columns)}
    cands = _candidates(columns, profiles, has_rows=bool(sample_rows))

    first = _assign(cands, order, {})
    if "content_id" in first or "content_name" in first:
        # a file with product columns: its quantity is the product's quantity
        chosen = _assign(cands, order, {"content_num_items": 0.1})
    else:
        plain = [c for c in cands if not c.field.startswith("content_")]
        chosen = _assign(plain, order, {})
    if "conversion_time" in chosen:
        chosen["conversion_time"] = _time_note(chosen["conversion_time"], columns, profiles)

    details = tuple(chosen[f] for f in FIELD_NAMES if f in chosen)
    return MappingSuggestion({c.field: c.column for c in details}, details)
