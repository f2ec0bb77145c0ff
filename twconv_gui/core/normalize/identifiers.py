"""Identifier normalizers: email hashing, click id, IP address, user agent (phones: phones.py)."""

from __future__ import annotations

import hashlib
import ipaddress
import re
import unicodedata
from urllib.parse import parse_qsl, unquote, urlsplit

from twconv_gui.core.normalize.cell_text import HEX_DIGITS, cell_kind, trim
from twconv_gui.core.normalize.click_ids import ForeignClickId, foreign_header, foreign_value
from twconv_gui.core.normalize.phones import PhoneHasher  # re-exported: callers import it here
from twconv_gui.core.normalize.problems import ValueProblem
from twconv_gui.core.reading.table import Cell

__all__ = [
    "PhoneHasher",
    "hash_email",
    "is_sha256_hex",
    "normalize_email",
    "normalize_ip",
    "normalize_twclid",
    "normalize_user_agent",
]

# Inside an email address: white space, list separators and the brackets of "Name <a@b.c>".
_EMAIL_FORBIDDEN = re.compile(r"[\s,;<>\"()\[\]\\]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SHA256 = hashlib.sha256


def is_sha256_hex(s: str) -> bool:
    """Tells whether s is a SHA-256 digest written as 64 hexadecimal digits (any case).

    Args:
        s: the text to test, already trimmed.

    Returns:
        True for exactly 64 characters from 0-9, a-f, A-F.
    """
    return len(s) == 64 and not s.strip(HEX_DIGITS)


def _text_of(value: Cell, what: str) -> str:
    """The trimmed text of a cell that must hold text; numbers, dates, booleans are refused."""
    if not isinstance(value, str):
        raise ValueProblem(f"is not {what} (the cell holds {cell_kind(value)}, not text)")
    return trim(value)


def hash_email(value: Cell) -> str:
    """SHA-256 of normalize_email(value): the hash X matches (a digest passes through)."""
    text = normalize_email(value)
    if len(text) == 64 and not text.strip(HEX_DIGITS):
        return text
    return _SHA256(text.encode("utf-8")).hexdigest()


def normalize_email(value: Cell) -> str:
    """The address whose SHA-256 X matches: trimmed, lowercased, checked for its structure.

    A value that already is a SHA-256 hex digest is passed through lowercased, never hashed
    again. A "mailto:" link is reduced to its address (its "?subject=..." tail dropped), and
    the text is put in Unicode NFC form first, so an accented address hashes the same however
    the spreadsheet composed its accents. No other rewriting happens (dots in Gmail addresses
    are kept: that is Google's rule, not X's).

    Args:
        value: a non-empty cell holding an email address or its SHA-256 hex digest.

    Returns:
        The normalized address, or the digest lowercased when the cell holds one.

    Raises:
        ValueProblem: the value is not structurally an email address. The message never
            quotes the address.
    """
    text = _text_of(value, "an email address")
    if len(text) == 64 and not text.strip(HEX_DIGITS):
        return text.lower()
    if _CONTROL.search(text) is not None:
        raise ValueProblem(
            "is not an email address: it contains control characters (line breaks, tabs or "
            "invisible codes); retype the address or clean the cell"
        )
    if text[:7].lower() == "mailto:":
        text = unquote(text[7:].split("?", 1)[0]).strip()
    elif text[-1:] in _CLOSING and (named := _NAMED_ADDRESS.fullmatch(text)) is not None:
        text = named["address"].strip()  # "Dana White <dana@x.com>", "Dana White (dana@x.com)"
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
    return text


_CLOSING = frozenset(">)")
# A display name with the address in angle brackets or parentheses, as CRMs export contacts.
_NAMED_ADDRESS = re.compile(r"[^<>()@]*[<(](?P<address>[^<>()\s]+@[^<>()\s]+)[>)]\s*")

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
    text = trim(str(value))
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
    text = trim(value)
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
    text = trim(value)
    if _CONTROL.search(text) is not None:
        raise ValueProblem(
            "is not a user agent: it contains line breaks, tabs or other control characters"
        )
    return text
