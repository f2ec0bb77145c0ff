"""Which of several phone or email columns to use: the one most often filled with a valid value.

A Shopify export has Phone, Billing Phone and Shipping Phone; a HubSpot one Phone Number and
Mobile Phone Number. The header alone would pick the plainest name even when it is nearly
empty, so the score of a contact column mixes its header score with how many sample rows it
fills with a value that is valid (a phone is judged with the row's own country, when a
country column gives it). The others that hold values become fallbacks, tried in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException

from twconv_gui.core.mapping import values as kinds
from twconv_gui.core.mapping.helper_columns import CountryColumn, country_for
from twconv_gui.core.mapping.values import ValueProfile
from twconv_gui.core.normalize.identifiers import is_sha256_hex
from twconv_gui.core.reading.table import Cell

CONTACT_FIELDS = ("phone", "email")
_HEADER_WEIGHT = 0.5  # the rest of a contact column's score is its share of valid values


@dataclass(frozen=True)
class PhoneCheck:
    """What the sample rows of a phone column hold."""

    filled: int  # non-empty cells
    valid: int  # valid numbers (with their +code or the row's country) and SHA-256 hashes
    national: int  # numbers without +code and without a country to read them in
    rows: int  # sample rows

    @property
    def quality(self) -> float:
        """Share of rows holding a usable number; national numbers count half."""
        return (self.valid + 0.5 * self.national) / self.rows if self.rows else 0.0


def _phone_text(cell: Cell) -> str | None:
    if isinstance(cell, bool) or cell is None:
        return None
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, int | str):
        text = str(cell).strip()
        return text or None
    return None


def is_international(text: str) -> bool:
    """Written with its country code: "+49 30 1234567", "0049 30 1234567", or a hash."""
    return text.startswith(("+", "00")) or is_sha256_hex(text)


def check_phones(cells: Sequence[Cell], regions: Sequence[str | None] | None) -> PhoneCheck:
    """Count the valid numbers of a phone column, each read in its row's country."""
    filled = valid = national = 0
    for i, cell in enumerate(cells):
        text = _phone_text(cell)
        if text is None:
            continue
        filled += 1
        if is_sha256_hex(text):
            valid += 1
            continue
        region = regions[i] if regions is not None and i < len(regions) else None
        if text.startswith("00"):
            text = "+" + text[2:]
        if not text.startswith("+") and region is None:
            digits = sum(ch.isdigit() for ch in text)
            national += 7 <= digits <= 15
            continue
        try:
            number = phonenumbers.parse(text, region)
        except NumberParseException:
            continue
        valid += phonenumbers.is_valid_number(number)
    return PhoneCheck(filled, valid, national, len(cells))


@dataclass(frozen=True)
class ContactRanking:
    """Scores of phone/email candidates, and the checks behind them (phones only)."""

    scores: dict[tuple[str, str], float]  # (field, column) -> score
    phones: dict[str, PhoneCheck]


def rank_contacts(
    cands: Sequence[tuple[str, str, float]],
    columns: Sequence[str],
    profiles: Sequence[ValueProfile],
    values: Sequence[Sequence[Cell]],
    countries: Sequence[CountryColumn],
) -> ContactRanking:
    """New scores for (field, column, header-based score) candidates of phone and email."""
    scores: dict[tuple[str, str], float] = {}
    phones: dict[str, PhoneCheck] = {}
    for fname, column, score in cands:
        if fname not in CONTACT_FIELDS:
            continue
        index = columns.index(column)
        p = profiles[index]
        if not p.rows:
            continue  # no sample rows: the header is all there is
        if fname == "phone":
            country = country_for(column, countries)
            check = check_phones(values[index], country.regions if country else None)
            phones[column] = check
            quality = check.quality
        else:
            good = p.count(kinds.EMAIL | kinds.SHA)
            quality = good / p.n * p.fill if p.n else 0.0
        new = _HEADER_WEIGHT * score + (1 - _HEADER_WEIGHT) * min(quality, 1.0)
        scores[(fname, column)] = round(max(new, 0.001), 3)
    return ContactRanking(scores, phones)


def contact_fallbacks(
    fname: str,
    chosen: str,
    ranked: Sequence[tuple[str, float]],
    profiles: dict[str, ValueProfile],
    taken: set[str],
) -> list[str]:
    """Other columns that hold the field's values, best first (tried when `chosen` is empty)."""
    out: list[str] = []
    for column, _score in ranked:
        if column == chosen or column in taken or column in out:
            continue
        p = profiles[column]
        if p.rows and not p.n:
            continue  # empty in the whole sample
        if fname == "twclid":
            # A landing URL beside the click id column: some rows carry ?twclid= only there.
            if not p.count(kinds.TWCLID_URL):
                continue
        elif p.n:
            mask = kinds.EMAIL | kinds.SHA if fname == "email" else kinds.PHONE | kinds.SHA
            mask |= kinds.PHONE_LOOSE if fname == "phone" else 0
            if p.count(mask) < 0.5 * p.n:
                continue
        out.append(column)
    return out
