"""Column headers read as words: which fields a header name points at, and how surely."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from twconv_gui.core.mapping import header_synonyms as syn
from twconv_gui.core.mapping.fields import FIELD_NAMES, FIELDS_BY_NAME
from twconv_gui.core.mapping.values import strip_accents


@dataclass(frozen=True)
class Header:
    """A header as words: tokens, all words run together, and that without a "(...)" tail."""

    tokens: frozenset[str]
    compact: str  # all words run together: "emailaddress"
    bare: str  # compact without a trailing "(...)": "Total (EUR)" -> "total"


_CUSTOM_FIELD = re.compile(r"__c\s*$", re.IGNORECASE)


@lru_cache(maxsize=4096)
def header(text: str) -> Header:
    """The words of a header: case folded, accents stripped, "#" read as "number"."""

    def words(t: str) -> list[str]:
        t = _CUSTOM_FIELD.sub("", t)  # Salesforce's custom fields: "WON_AT__C" is "won at"
        t = re.sub(r"([a-z])([A-Z])", r"\1 \2", t.replace("#", " number "))
        t = strip_accents(t).casefold()
        return " ".join(re.findall(r"[^\W_]+", t)).replace("line item", "lineitem").split()

    tokens = words(text)
    bare = words(re.sub(r"\s*\([^)]*\)\s*$", "", text))
    return Header(frozenset(tokens), "".join(tokens), "".join(bare))


def _build_exact() -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {}
    for fname, names in syn.EXACT.items():
        for name, score in names.items():
            slot = table.setdefault(header(name).compact, {})
            slot[fname] = max(score, slot.get(fname, 0.0))
    return table


_EXACT = _build_exact()


def negative(fname: str, compact: str) -> bool:
    """Whether a (non-exact) header rules the field out: "Shipping Total" for value."""
    stems = syn.NEGATIVE.get(fname, ())
    if fname == "value" and any(w in compact for w in syn.VALUE_TAX_INCLUDED):
        stems = tuple(s for s in stems if s not in syn.TAX_WORDS)
    return any(s in compact for s in stems)


def is_free_text(column: str) -> bool:
    """Notes, comments, messages: text a person wrote, never sent."""
    compact = header(column).compact
    return any(w in compact for w in syn.FREE_TEXT)


def label(fname: str) -> str:
    """The field's label as it reads inside a sentence."""
    text = FIELDS_BY_NAME[fname].label
    return text if text[:2].isupper() else text[0].lower() + text[1:]


def header_matches(column: str) -> dict[str, tuple[float, str]]:
    """field -> (header score, reason) for every field the header name points at."""
    h = header(column)
    out: dict[str, tuple[float, str]] = {}

    def put(fname: str, score: float, why: str) -> None:
        if score > out.get(fname, (0.0, ""))[0]:
            out[fname] = (score, why)

    usual = f'header "{column}" is a usual name for '
    for fname, score in _EXACT.get(h.compact, {}).items():
        put(fname, score, usual + label(fname))
    if h.bare and h.bare != h.compact:
        for fname, score in _EXACT.get(h.bare, {}).items():
            put(fname, score - 0.1, usual + label(fname))
    exact = set(out)
    for fname in FIELD_NAMES:
        if fname in exact or negative(fname, h.compact):
            continue
        for words, score in syn.TOKENS.get(fname, ()):
            if all(w in h.tokens for w in words):
                put(fname, score, f'header "{column}" contains "{" ".join(words)}"')
        for stem, score in syn.STEMS.get(fname, ()):
            if stem in h.compact:
                put(fname, score, f'header "{column}" contains "{stem}"')
    # Net value ("Net", "Net Sales") is what is left after fees and refunds, not the sale.
    if "value" in out and "value" not in exact and h.tokens & {"net", "fee", "fees"}:
        del out["value"]
    return out
