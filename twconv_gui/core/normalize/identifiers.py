"""Identifier normalizers: email and phone hashing, click id, IP address, user agent."""

from __future__ import annotations

import hashlib
import ipaddress
import re
import unicodedata
from functools import cache
from urllib.parse import parse_qsl, unquote, urlsplit

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

from twconv_gui.core.errors import MappingError
from twconv_gui.core.normalize.click_ids import ForeignClickId, foreign_header, foreign_value
from twconv_gui.core.normalize.countries import country_name
from twconv_gui.core.normalize.problems import ValueProblem
from twconv_gui.core.reading.table import Cell

__all__ = [
    "PhoneHasher",
    "hash_email",
    "is_sha256_hex",
    "normalize_ip",
    "normalize_twclid",
    "normalize_user_agent",
]

_HEX_DIGITS = "0123456789abcdefABCDEF"
# Trimmed around a value besides str.strip()'s white space (which includes the no-break spaces
# U+00A0 and U+202F): the zero-width characters and byte order mark web forms leave behind.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
# Inside an email address: white space, list separators and the brackets of "Name <a@b.c>".
_EMAIL_FORBIDDEN = re.compile(r"[\s,;<>\"()\[\]\\]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SHA256 = hashlib.sha256


def _trim(text: str) -> str:
    """Strips white space (incl. no-break spaces) and invisible characters around text."""
    text = text.strip()
    if text and (text[0] in _INVISIBLE or text[-1] in _INVISIBLE):
        text = text.strip(_INVISIBLE).strip()
    return text


def is_sha256_hex(s: str) -> bool:
    """Tells whether s is a SHA-256 digest written as 64 hexadecimal digits (any case).

    Args:
        s: the text to test, already trimmed.

    Returns:
        True for exactly 64 characters from 0-9, a-f, A-F.
    """
    return len(s) == 64 and not s.strip(_HEX_DIGITS)


def _kind(value: Cell) -> str:
    """What a non-text cell holds, in the user's words."""
    if isinstance(value, bool):
        return "TRUE/FALSE"
    return "a number" if isinstance(value, int | float) else "a date or time"


def _text_of(value: Cell, what: str) -> str:
    """The trimmed text of a cell that must hold text; numbers, dates, booleans are refused."""
    if not isinstance(value, str):
        raise ValueProblem(f"is not {what} (the cell holds {_kind(value)}, not text)")
    return _trim(value)


def hash_email(value: Cell) -> str:
    """Hashes an email address the way X matches it: SHA-256 of the trimmed, lowercased text.

    A value that already is a SHA-256 hex digest is passed through lowercased, never hashed
    again. A "mailto:" link is reduced to its address (its "?subject=..." tail dropped), and
    the text is put in Unicode NFC form first, so an accented address hashes the same however
    the spreadsheet composed its accents. No other rewriting happens (dots in Gmail addresses
    are kept: that is Google's rule, not X's).

    Args:
        value: a non-empty cell holding an email address or its SHA-256 hex digest.

    Returns:
        64 lowercase hexadecimal digits.

    Raises:
        ValueProblem: the value is not structurally an email address. The message never
            quotes the address.
    """
    text = _text_of(value, "an email address")
    if len(text) == 64 and not text.strip(_HEX_DIGITS):
        return text.lower()
    if _CONTROL.search(text) is not None:
        raise ValueProblem(
            "is not an email address: it contains control characters (line breaks, tabs or "
            "invisible codes); retype the address or clean the cell"
        )
    if text[:7].lower() == "mailto:":
        text = unquote(text[7:].split("?", 1)[0]).strip()
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    text = text.lower()
    at = text.find("@")
    if at < 0:
        raise ValueProblem("is not an email address (no '@')")
    if text.find("@", at + 1) >= 0:
        raise ValueProblem("is not an email address (more than one '@')")
    if at == 0:
        raise ValueProblem("is not an email address (nothing before the '@')")
    if _EMAIL_FORBIDDEN.search(text) is not None:
        raise ValueProblem(
            "is not an email address (it contains spaces, commas, semicolons, quotes or "
            "brackets; put one address per cell)"
        )
    domain = text[at + 1 :]
    if not domain:
        raise ValueProblem("is not an email address (nothing after the '@')")
    if "." not in domain or "" in domain.split("."):
        raise ValueProblem(
            "is not an email address (the part after '@' is not a domain such as example.com)"
        )
    return _SHA256(text.encode("utf-8")).hexdigest()


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
            text = _trim(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            text = str(value)
        elif isinstance(value, float) and value.is_integer() and value > 0:
            text = str(int(value))
        else:
            raise ValueProblem(f"is not a phone number (the cell holds {_kind(value)})")
        if len(text) == 64 and not text.strip(_HEX_DIGITS):
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
        if len(text) == 64 and not text.strip(_HEX_DIGITS):
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
        if len(text) == 64 and not text.strip(_HEX_DIGITS):
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


_URLISH = frozenset("/?=&#")


def normalize_twclid(value: Cell) -> str:
    """The X click id, taken from a landing-page URL when the cell holds one. Never hashed.

    Another network's click id (a Google gclid, a Meta fbclid...) is refused: X cannot match
    it, and a column of them usually means the wrong column was mapped.

    Args:
        value: a non-empty cell with the click id itself, a URL (or query string) carrying a
            `twclid` parameter.

    Returns:
        The click id, trimmed and URL-decoded.

    Raises:
        ValueProblem: a URL without a twclid parameter, a value with spaces inside, or a
            value shaped like another network's click id.
    """
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueProblem("is not a click id (twclid)")
    text = _trim(str(value))
    if not _URLISH.isdisjoint(text):
        found, foreign = _twclid_in(text)
        if found is None:
            if foreign is not None:
                raise ValueProblem(
                    f"is a web address with {foreign.describe()} but no twclid; it is not "
                    "sent as an X click id"
                )
            raise ValueProblem(
                "is a web address without a twclid parameter; map the click id itself or the "
                "landing URL that carries ?twclid=..."
            )
        text = found.strip()
        if not text:
            raise ValueProblem("has an empty twclid parameter")
    if any(ch.isspace() for ch in text) or _CONTROL.search(text) is not None:
        raise ValueProblem("is not a click id (twclid): it contains spaces")
    shape = foreign_value(text)
    if shape is not None:
        raise ValueProblem(
            f"looks like {shape.describe()}, not an X click id (twclid); it is left out"
        )
    return text


def _twclid_in(text: str) -> tuple[str | None, ForeignClickId | None]:
    """The first twclid parameter of a URL's query or fragment, or of a bare query string,
    and the first other network's click id parameter met (for the message when none is)."""
    if "://" in text or text.startswith(("www.", "/")) or "?" in text:
        parts = urlsplit(text)
        candidates = [parts.query, parts.fragment]
        if not parts.query and "?" in parts.fragment:
            candidates.append(parts.fragment.split("?", 1)[1])
    else:
        candidates = [text]
    foreign = None
    for query in candidates:
        for key, val in parse_qsl(query, keep_blank_values=True):
            name = key.strip().lower()
            if name == "twclid":
                return val, None
            if foreign is None:
                foreign = foreign_header(name)
    return None, foreign


def normalize_ip(value: Cell) -> str:
    """An IPv4 or IPv6 address in its canonical (compressed, lowercase) form.

    An IPv4-mapped IPv6 address (::ffff:203.0.113.7, as dual-stack servers log IPv4 visitors)
    becomes the dotted IPv4 address X documents.

    Args:
        value: a non-empty cell holding an address; IPv6 may be written in brackets.

    Returns:
        e.g. "203.0.113.7" or "2001:db8::1".

    Raises:
        ValueProblem: the text is not an IP address.
    """
    if not isinstance(value, str):
        raise ValueProblem("is not an IP address (the cell does not hold text)")
    text = _trim(value)
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        raise ValueProblem(
            "is not an IP address (expected e.g. 203.0.113.7 or 2001:db8::1)"
        ) from None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)  # ::ffff:203.0.113.7 is the IPv4 visitor 203.0.113.7
    return str(address)


def normalize_user_agent(value: Cell) -> str:
    """The browser's user-agent string, trimmed.

    Args:
        value: a non-empty cell holding a User-Agent header value.

    Returns:
        The trimmed text.

    Raises:
        ValueProblem: the text holds control characters (tabs, line breaks...) inside.
    """
    if not isinstance(value, str):
        raise ValueProblem("is not a user agent (the cell does not hold text)")
    text = _trim(value)
    if _CONTROL.search(text) is not None:
        raise ValueProblem(
            "is not a user agent: it contains line breaks, tabs or other control characters"
        )
    return text
