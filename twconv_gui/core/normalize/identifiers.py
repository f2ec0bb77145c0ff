"""Identifier normalizers: email and phone hashing, click id, IP address, user agent."""

from __future__ import annotations

import hashlib
import ipaddress
import re
from urllib.parse import parse_qsl, urlsplit

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

from twconv_gui.core.errors import MappingError
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
    again. No other rewriting happens (dots in Gmail addresses are kept: that is Google's rule,
    not X's).

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
    NumberParseException.INVALID_COUNTRY_CODE: (
        "it has no country code; write it with '+' and the country code, "
        "or set the default phone region"
    ),
    NumberParseException.NOT_A_NUMBER: "it does not look like a phone number",
    NumberParseException.TOO_SHORT_AFTER_IDD: "too short after the international prefix",
    NumberParseException.TOO_SHORT_NSN: "too short",
    NumberParseException.TOO_LONG: "too long",
}


# Digests of numbers already read, per process: exports repeat the phone of every returning
# customer, and phonenumbers takes ~35 µs a number. Bounded; emptied when full.
_PHONE_MEMO_LIMIT = 50_000  # a few MB
_PHONE_DIGESTS: dict[tuple[str, Cell], str] = {}


class PhoneHasher:
    """Turns phone numbers into E.164 and hashes them the way X matches them.

    X hashes the E.164 form *with* its leading '+' (unlike Meta and Snap, which hash the
    digits alone). National numbers such as "(212) 555-0134" are read in the default region.

    The gate is phonenumbers' is_possible_number (length check per country), not
    is_valid_number: the latter is ~27 µs per call and rejects X's own example number
    +11234567890. Local-only numbers (a US number without its area code) are refused: their
    E.164 form would not be the subscriber's number.
    """

    __slots__ = ("_idd", "region")

    def __init__(self, region: str) -> None:
        """Prepares a hasher for one default region.

        Args:
            region: ISO 3166-1 alpha-2 code of the country national numbers belong to
                (e.g. "US", "DE"); "" when every number carries its country code.

        Raises:
            MappingError: the region is not one phonenumbers knows.
        """
        code = region.strip().upper()
        if code and code not in phonenumbers.SUPPORTED_REGIONS:
            raise MappingError(
                f"'{region}' is not a phone region: use a two-letter country code such as "
                "US, GB or DE"
            )
        self.region: str = code or "ZZ"
        meta = phonenumbers.PhoneMetadata.metadata_for_region(code) if code else None
        pattern = meta.international_prefix if meta is not None else None
        self._idd: re.Pattern[str] | None = re.compile(pattern) if pattern else None

    def _prepare(self, value: Cell) -> str:
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
            # the default region's own prefix (011 in the US), so rewrite "00" to "+" unless
            # the region's prefix itself starts with "00" here (e.g. Australia's 0011).
            digits = "".join(ch for ch in text[:12] if ch.isdigit())
            if self._idd is None or self._idd.match(digits) is None:
                text = "+" + text[2:]
        return text

    def e164(self, value: Cell) -> str:
        """The number in E.164 form (e.g. "+12125550134"), for previews.

        A value that already is a SHA-256 hex digest cannot be turned back into a number: it
        is returned lowercased, as it will be sent.

        Args:
            value: a non-empty cell holding a phone number in any common notation.

        Returns:
            "+" followed by the country code and national number; extensions are dropped.

        Raises:
            ValueProblem: the value cannot be a phone number; the message says why and never
                quotes the number.
        """
        text = self._prepare(value)
        if len(text) == 64 and not text.strip(_HEX_DIGITS):
            return text.lower()
        return self._e164_of(text)

    def _e164_of(self, text: str) -> str:
        try:
            number = phonenumbers.parse(text, self.region)
        except NumberParseException as exc:
            reason = _PARSE_REASONS.get(exc.error_type, "it does not look like a phone number")
            if exc.error_type == NumberParseException.INVALID_COUNTRY_CODE and "+" in text:
                reason = "its country code does not exist"
            raise ValueProblem(f"is not a phone number that can be dialled: {reason}") from None
        result = phonenumbers.is_possible_number_with_reason(number)
        if result != ValidationResult.IS_POSSIBLE:
            reason = _PHONE_REASONS.get(result, "its length is wrong")
            raise ValueProblem(f"is not a phone number that can be dialled: {reason}")
        return phonenumbers.format_number(number, PhoneNumberFormat.E164)

    def hash(self, value: Cell) -> str:
        """SHA-256 hex digest of the number's E.164 form with its leading '+'.

        A value that already is a SHA-256 hex digest is passed through lowercased.

        Args:
            value: a non-empty cell holding a phone number in any common notation.

        Returns:
            64 lowercase hexadecimal digits.

        Raises:
            ValueProblem: as for e164().
        """
        key = (self.region, value)
        digest = _PHONE_DIGESTS.get(key)
        if digest is not None:
            return digest
        text = self._prepare(value)
        if len(text) == 64 and not text.strip(_HEX_DIGITS):
            return text.lower()
        digest = _SHA256(self._e164_of(text).encode("ascii")).hexdigest()
        if len(_PHONE_DIGESTS) >= _PHONE_MEMO_LIMIT:
            _PHONE_DIGESTS.clear()
        _PHONE_DIGESTS[key] = digest
        return digest


_URLISH = frozenset("/?=&#")


def normalize_twclid(value: Cell) -> str:
    """The X click id, taken from a landing-page URL when the cell holds one. Never hashed.

    Args:
        value: a non-empty cell with the click id itself, a URL (or query string) carrying a
            `twclid` parameter.

    Returns:
        The click id, trimmed and URL-decoded.

    Raises:
        ValueProblem: a URL without a twclid parameter, or a value with spaces inside.
    """
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueProblem("is not a click id (twclid)")
    text = _trim(str(value))
    if not _URLISH.isdisjoint(text):
        found = _twclid_in(text)
        if found is None:
            raise ValueProblem(
                "is a web address without a twclid parameter; map the click id itself or the "
                "landing URL that carries ?twclid=..."
            )
        text = found.strip()
        if not text:
            raise ValueProblem("has an empty twclid parameter")
    if any(ch.isspace() for ch in text) or _CONTROL.search(text) is not None:
        raise ValueProblem("is not a click id (twclid): it contains spaces")
    return text


def _twclid_in(text: str) -> str | None:
    """The first twclid parameter of a URL's query or fragment, or of a bare query string."""
    if "://" in text or text.startswith(("www.", "/")) or "?" in text:
        parts = urlsplit(text)
        candidates = [parts.query, parts.fragment]
        if not parts.query and "?" in parts.fragment:
            candidates.append(parts.fragment.split("?", 1)[1])
    else:
        candidates = [text]
    for query in candidates:
        for key, val in parse_qsl(query, keep_blank_values=True):
            if key.strip().lower() == "twclid":
                return val
    return None


def normalize_ip(value: Cell) -> str:
    """An IPv4 or IPv6 address in its canonical (compressed, lowercase) form.

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
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise ValueProblem(
            "is not an IP address (expected e.g. 203.0.113.7 or 2001:db8::1)"
        ) from None


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
