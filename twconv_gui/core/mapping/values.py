"""What sample cells look like (email, phone, date, amount, click id…), as bit flags per value.

suggest.py and its helpers judge columns by these flags: `profile_values` counts the flags of
up to MAX_VALUES non-empty cells of a column.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache

import pycountry

from twconv_gui.core.mapping import header_synonyms as syn
from twconv_gui.core.normalize.click_ids import foreign_value
from twconv_gui.core.reading.table import Cell

# What a single value looks like (bit flags; a value can be several things at once).
(EMAIL, SHA, PHONE, PHONE_LOOSE, DATETIME, DATE, TIME, MONEY, NUMBER, QTY) = (
    1 << i for i in range(10)
)
(CURRENCY, IP, UA, TWCLID_URL, CLICK_TOKEN, IDLIKE, DIGIT_ID, TEXT) = (
    1 << i for i in range(10, 18)
)
# UNIX_TIME: 10 or 13 digits that read as seconds/milliseconds since 1970 in 2000-2100.
# ZONED: a date and time that carries its zone (Z, UTC, +01:00) or a Unix time.
# FOREIGN_CLICK: another ad network's click id (gclid, fbclid, msclkid…).
# LONG_TEXT: free text (a sentence or more), never an id, a name or a category.
(UNIX_TIME, ZONED, FOREIGN_CLICK, LONG_TEXT) = (1 << i for i in range(18, 22))

MAX_VALUES = 100  # non-empty values looked at per column

_EMAIL_RE = re.compile(r"[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+\.[^\W\d_]{2,}")
# "Dana White (dana@x.com)" or "Dana White <dana@x.com>": a contact as CRMs export it.
_NAMED_EMAIL_RE = re.compile(r"[^<>()@]*[<(][^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+\.[^\W\d_]{2,}[>)]\s*")
_SHA_RE = re.compile(r"[0-9a-fA-F]{64}")
_TZ = r"(?P<z>\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2}))?"
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
_WORD_ZONE_RE = re.compile(r"(?:Z|UTC|GMT|[+-]\d{2}:?\d{2}|\b[A-Z]{3,4}\b)\s*$")
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
# Unix seconds from 2000-01-01 to 2100-01-01.
_UNIX_LOW, _UNIX_HIGH = 946_684_800, 4_102_444_800


@cache
def _currency_codes() -> frozenset[str]:
    return frozenset(str(c.alpha_3) for c in pycountry.currencies)


def strip_accents(text: str) -> str:
    """The text without combining accents: "Téléphone" -> "Telephone"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _unix_flags(digits: str) -> int:
    if len(digits) == 10 and _UNIX_LOW <= int(digits) < _UNIX_HIGH:
        return UNIX_TIME | ZONED
    if len(digits) == 13 and _UNIX_LOW * 1000 <= int(digits) < _UNIX_HIGH * 1000:
        return UNIX_TIME | ZONED
    return 0


def classify_text(s: str) -> int:
    """Flags for one stripped, non-empty text cell."""
    if s.isascii() and s.isdigit():  # 3, 1001, 0301234567: never a date, phone only loosely
        flags = NUMBER | IDLIKE | DIGIT_ID | TEXT | _unix_flags(s)
        if 7 <= len(s) <= 15:
            flags |= PHONE_LOOSE
        return flags | (QTY if len(s) <= 4 and s[0] != "0" and int(s) <= 1000 else 0)
    if "=" in s and "twclid=" in s.casefold():
        return TWCLID_URL | TEXT
    if "@" in s and (_EMAIL_RE.fullmatch(s) or _NAMED_EMAIL_RE.fullmatch(s)):
        return EMAIL
    digits = len(s) - len(s.translate(_NO_DIGITS))
    if digits and (special := _special_kind(s)):
        return special
    flags = TEXT
    if len(s) > 60 or len(s.split()) >= 8:
        flags |= LONG_TEXT
    num = _NUMBER_RE.fullmatch(s) if digits else None
    cur = num and (num["c1"] or num["c2"])
    if cur and len(cur) == 3 and cur.isalpha() and cur.upper() not in _currency_codes():
        num = None
    if num is not None:
        flags |= NUMBER | (MONEY if cur or len(num["dec"] or "") == 3 else 0)
    money_like = num is not None and (flags & MONEY or "," in s)
    if not money_like and 7 <= digits <= 15 and _PHONE_RE.fullmatch(s):
        flags |= PHONE
    if len(s) == 3 and s.upper() in _currency_codes():
        flags |= CURRENCY
    if _CLICK_RE.fullmatch(s):
        flags |= CLICK_TOKEN
    if len(s) >= 20 and foreign_value(s) is not None:
        flags |= FOREIGN_CLICK
    if not flags & MONEY and len(s) <= 64 and len(s.split(maxsplit=1)) == 1:
        flags |= IDLIKE | (DIGIT_ID if digits else 0)
    return flags


def _special_kind(s: str) -> int:
    """A hash, user agent, date, time or IP address among text cells holding digits, or 0."""
    if len(s) == 64 and _SHA_RE.fullmatch(s):
        return SHA | IDLIKE | DIGIT_ID
    if s.startswith("Mozilla/") or (len(s) > 20 and _UA_RE.match(s)):
        return UA | TEXT
    m = _ISO_RE.fullmatch(s) if s[4:5] == "-" else None
    if m is None and s[0].isdigit():
        m = _NUMDATE_RE.fullmatch(s)
    if m is None and " " in s and (m := _WORDDATE_RE.fullmatch(s)):
        month = strip_accents((m["m1"] or m["m2"])[:3].casefold())
        m = m if month in syn.MONTH_PREFIXES else None
    if m is not None:
        if not m["t"]:
            return DATE
        zoned = m.groupdict().get("z") or _WORD_ZONE_RE.search(m["t"])
        return DATETIME | (ZONED if zoned else 0)
    if ":" in s and _TIME_RE.fullmatch(s):
        return TIME
    if (s.count(".") == 3 or s.count(":") >= 2) and _IP_RE.fullmatch(s):
        try:
            ipaddress.ip_address(s)
        except ValueError:
            return 0
        return IP
    return 0


def classify_cell(v: Cell) -> int:
    """Flags for a typed workbook cell (not str, not None)."""
    if isinstance(v, bool):
        return 0
    if isinstance(v, float):  # workbook numbers: 25.0 may be an amount or a quantity
        if v.is_integer():
            return classify_text(str(int(v))) | MONEY
        return classify_text(f"{v:.2f}" if round(v, 2) == v else repr(v))
    if isinstance(v, int):
        return classify_text(str(v))
    if isinstance(v, datetime):
        if v.tzinfo is not None:
            return DATETIME | ZONED
        return DATE if v.time() == time(0) else DATETIME
    if isinstance(v, date):
        return DATE
    if isinstance(v, time) or (isinstance(v, timedelta) and v < timedelta(days=1)):
        return TIME
    return 0


@dataclass
class ValueProfile:
    """The flags of a column's sample values.

    Attributes:
        n: non-empty values looked at (at most MAX_VALUES).
        rows: sample rows looked at, empty or not (the fill rate is n / rows until n
            reaches MAX_VALUES).
        distinct: distinct non-empty values among the n.
        flag_counts: flags -> how many values have exactly those flags.
    """

    n: int = 0
    rows: int = 0
    distinct: int = 0
    flag_counts: dict[int, int] = field(default_factory=dict)

    def count(self, mask: int) -> int:
        """How many values have at least one of the flags in `mask`."""
        return sum(c for f, c in self.flag_counts.items() if f & mask)

    def count_all(self, mask: int) -> int:
        """How many values have every flag in `mask`."""
        return sum(c for f, c in self.flag_counts.items() if f & mask == mask)

    @property
    def fill(self) -> float:
        """The share of sample rows with a value (0..1)."""
        return self.n / self.rows if self.rows else 0.0


def profile_values(values: Sequence[Cell], text_cache: dict[str, int]) -> ValueProfile:
    """Classify up to MAX_VALUES non-empty cells of one column."""
    p = ValueProfile()
    seen: set[str] = set()
    for cell in values:
        p.rows += 1
        if cell is None:
            continue
        if isinstance(cell, str):
            if not (v := cell.strip()):
                continue
            if (flags := text_cache.get(v)) is None:
                flags = text_cache[v] = classify_text(v)
            seen.add(v)
        else:
            flags = classify_cell(cell)
            seen.add(str(cell))
        p.flag_counts[flags] = p.flag_counts.get(flags, 0) + 1
        p.n += 1
        if p.n >= MAX_VALUES:
            break
    p.distinct = len(seen)
    return p
