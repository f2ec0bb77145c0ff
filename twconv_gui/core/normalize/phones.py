"""Phone numbers: E.164 form and X's SHA-256 hash, read in the row's or a fixed region."""

from __future__ import annotations

import hashlib
import re
from functools import cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

from twconv_gui.core.errors import MappingError
from twconv_gui.core.normalize.cell_text import HEX_DIGITS, cell_kind, trim
from twconv_gui.core.normalize.countries import country_name
from twconv_gui.core.normalize.problems import ValueProblem
from twconv_gui.core.reading.table import Cell

__all__ = ["PhoneHasher"]

_SHA256 = hashlib.sha256

_PHONE_REASONS: dict[int, str] = {
    ValidationResult.TOO_SHORT: "too short",
    ValidationResult.TOO_LONG: "too long",
    ValidationResult.INVALID_LENGTH: "it has a number of digits no number of that country has",
    ValidationResult.INVALID_COUNTRY_CODE: "its country code does not exist",
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "its area code is missing",
}

_PARSE_REASONS: dict[int, str] = {
    NumberParseException.INVALID_COUNTRY_CODE: "its country code does not exist",
    NumberParseException.NOT_A_NUMBER: "it does not look like a phone number",
    NumberParseException.TOO_SHORT_AFTER_IDD: "too short after the international prefix",
    NumberParseException.TOO_SHORT_NSN: "too short",
    NumberParseException.TOO_LONG: "too long",
}

_NO_REGION = (
    "has no country code (+…) and no country is known for this row: map a country column or "
    "set the phone region"
)


# Digests of numbers already read, per process: exports repeat the phone of every returning
# customer, and phonenumbers takes ~60 µs to read and validate a number. Keyed by the region
# the number was read in, since a national number means another line in another country.
# Bounded; emptied when full.
_PHONE_MEMO_LIMIT = 50_000  # a few MB
_PHONE_DIGESTS: dict[tuple[str, Cell], str] = {}


def _region_code(region: str | None) -> str:
    """A region as phonenumbers knows it ("" for none); MappingError for an unknown one."""
    code = (region or "").strip().upper()
    if code and code not in phonenumbers.SUPPORTED_REGIONS:
        raise MappingError(
            f"'{region}' is not a phone region: use a two-letter country code such as US, GB or DE"
        )
    return code


@cache
def _international_prefix(region: str) -> re.Pattern[str] | None:
    """The pattern of a region's international dialling prefix (011 in the US, 00 in DE)."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region) if region else None
    pattern = meta.international_prefix if meta is not None else None
    return re.compile(pattern) if pattern else None


def _where(region: str) -> str:
    """ "Pakistan (PK)" for messages."""
    return f"{country_name(region)} ({region})"


class PhoneHasher:
    """Turns phone numbers into E.164 and hashes them the way X matches them.

    X hashes the E.164 form *with* its leading '+' (unlike Meta and Snap, which hash the
    digits alone). A number written with '+' or an international prefix ("00") is read as
    written; a national number such as "(212) 555-0134" is read in the row's country when one
    is given, else in the hasher's fixed region.

    Every number must pass phonenumbers' is_valid_number, not only its length check: a
    national number read in the wrong country often has a plausible length and would be sent
    as some other line's hash (an Ecuadorian "099 558 6089" read as Mexican became
    +95586089). X's own example number +11234567890 is not valid and is refused too.
    Local-only numbers (a US number without its area code) are refused: their E.164 form
    would not be the subscriber's number.

    Attributes:
        region: the fixed region for national numbers, "ZZ" when there is none.
    """

    __slots__ = ("_fixed", "region")

    def __init__(self, region: str | None) -> None:
        """Prepares a hasher for one default region.

        Args:
            region: ISO 3166-1 alpha-2 code of the country national numbers belong to
                (e.g. "US", "DE"); "" or None when every number carries its country code or
                every row names its country.

        Raises:
            MappingError: the region is not one phonenumbers knows.
        """
        self._fixed: str = _region_code(region)
        self.region: str = self._fixed or "ZZ"

    def _effective(self, region: str | None) -> str:
        """The region a row's national numbers are read in: the row's, else the fixed one."""
        if not region:
            return self._fixed
        if region in phonenumbers.SUPPORTED_REGIONS:
            return region
        code = region.strip().upper()
        if code not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueProblem(
                "cannot be read: the row's country is not one phone numbers are known for; "
                "use a two-letter country code such as US, GB or DE"
            )
        return code

    @staticmethod
    def _prepare(value: Cell, region: str) -> str:
        """The text phonenumbers should parse (or a SHA-256 digest); numbers become digits."""
        if isinstance(value, str):
            text = trim(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            text = str(value)
        elif isinstance(value, float) and value.is_integer() and value > 0:
            text = str(int(value))
        else:
            raise ValueProblem(f"is not a phone number (the cell holds {cell_kind(value)})")
        if len(text) == 64 and not text.strip(HEX_DIGITS):
            return text
        if text[:4].lower() == "tel:":
            text = text[4:].lstrip()
        if text.startswith("00"):
            # "00" is the international prefix of most of the world. phonenumbers only knows
            # the region's own prefix (011 in the US), so rewrite "00" to "+" unless the
            # region's prefix itself starts with "00" here (e.g. Australia's 0011).
            idd = _international_prefix(region)
            digits = "".join(ch for ch in text[:12] if ch.isdigit())
            if idd is None or idd.match(digits) is None:
                text = "+" + text[2:]
        return text

    def e164(self, value: Cell, *, region: str | None = None) -> str:
        """The number in E.164 form (e.g. "+12125550134"), for previews.

        A value that already is a SHA-256 hex digest cannot be turned back into a number: it
        is returned lowercased, as it will be sent.

        Args:
            value: a non-empty cell holding a phone number in any common notation.
            region: the row's country (ISO 3166-1 alpha-2, e.g. from a country column); it
                replaces the fixed region for this number. None: the fixed region.

        Returns:
            "+" followed by the country code and national number; extensions are dropped.

        Raises:
            ValueProblem: the value cannot be a phone number, is not a valid number of the
                country it was read in, or is a national number and no country is known;
                the message says why and never quotes the number.
        """
        effective = self._effective(region)
        text = self._prepare(value, effective)
        if len(text) == 64 and not text.strip(HEX_DIGITS):
            return text.lower()
        return _e164_of(text, effective)

    def hash(self, value: Cell, *, region: str | None = None) -> str:
        """SHA-256 hex digest of the number's E.164 form with its leading '+'.

        A value that already is a SHA-256 hex digest is passed through lowercased.

        Args:
            value: a non-empty cell holding a phone number in any common notation.
            region: the row's country, as for e164().

        Returns:
            64 lowercase hexadecimal digits.

        Raises:
            ValueProblem: as for e164().
        """
        effective = self._effective(region)
        key = (effective, value)
        digest = _PHONE_DIGESTS.get(key)
        if digest is not None:
            return digest
        text = self._prepare(value, effective)
        if len(text) == 64 and not text.strip(HEX_DIGITS):
            return text.lower()
        digest = _SHA256(_e164_of(text, effective).encode("ascii")).hexdigest()
        if len(_PHONE_DIGESTS) >= _PHONE_MEMO_LIMIT:
            _PHONE_DIGESTS.clear()
        _PHONE_DIGESTS[key] = digest
        return digest


def _e164_of(text: str, region: str) -> str:
    """E.164 of a prepared number read in region ("" for none); ValueProblem when invalid."""
    try:
        number = phonenumbers.parse(text, region or "ZZ")
    except NumberParseException as exc:
        if exc.error_type == NumberParseException.INVALID_COUNTRY_CODE and "+" not in text:
            raise ValueProblem(_NO_REGION) from None
        reason = _PARSE_REASONS.get(exc.error_type, "it does not look like a phone number")
        raise ValueProblem(f"is not a phone number that can be dialled: {reason}") from None
    result = phonenumbers.is_possible_number_with_reason(number)
    if result != ValidationResult.IS_POSSIBLE:
        reason = _PHONE_REASONS.get(result, "its length is wrong")
        raise ValueProblem(f"is not a phone number that can be dialled: {reason}")
    if not phonenumbers.is_valid_number(number):
        raise ValueProblem(_invalid_message(text, number, region))
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def _invalid_message(text: str, number: phonenumbers.PhoneNumber, region: str) -> str:
    """Why a number of a plausible length is refused, naming the country it was read for."""
    if text.startswith("+") or not region:
        # Written with its country code: name the country that code belongs to.
        code = number.country_code or 0
        owner = phonenumbers.region_code_for_country_code(code)
        if owner in phonenumbers.SUPPORTED_REGIONS:
            where = f"{country_name(owner)} (+{code})"
        else:
            where = f"country code +{code}"
        return f"is not a valid phone number for {where}; check the number"
    return (
        f"is not a valid phone number for {_where(region)}; check the number or the row's country"
    )
