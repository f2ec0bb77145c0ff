"""Strict checks of a conversions request body, failing the whole batch as X does."""

from __future__ import annotations

import ipaddress
import json
import math
import re
from collections import deque
from datetime import datetime
from functools import cache
from itertools import chain, repeat
from operator import itemgetter
from typing import Any

import orjson
import pycountry

from twconv_gui.sandbox.demo import SandboxAccount
from twconv_gui.sandbox.replies import ApiError, invalid

MAX_BATCH = 500
FIELDS = frozenset(
    {
        "conversion_time",
        "event_id",
        "identifiers",
        "number_items",
        "price_currency",
        "value",
        "conversion_id",
        "description",
        "contents",
    }
)
REQUIRED = ("conversion_time", "event_id", "identifiers")
CONTENT_FIELDS = frozenset(
    {"content_id", "content_group_id", "content_name", "content_price", "content_type", "num_items"}
)
SINGLE_IDENTIFIERS = ("twclid", "hashed_email", "hashed_phone_number")
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})")
_LOCAL_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_NUMERIC = re.compile(r"-?\d+(\.\d+)?")
# What check_batch's quick tests cover; other fields always take the full check.
_QUICK_FIELDS = FIELDS - {"price_currency", "contents"}
_PLAIN_FIELDS = FIELDS - {"contents"}
_ISO_MS_SHAPE = b"9999-99-99T99:99:99.999Z"  # how twconv writes times
_DIGITS_AS_NINE = bytes.maketrans(b"012345678", b"999999999")
_REQUIRED_SET = frozenset(REQUIRED)
_HASHED = frozenset({"hashed_email", "hashed_phone_number"})
_TIME_HINT = "use ISO 8601 with an offset, e.g. 2022-02-18T01:14:00.603Z"


def parse_batch(body: bytes) -> list[dict[str, Any]]:
    """The conversion objects of a request body `{"conversions": [...]}` (1 to 500 objects).

    Raises:
        ApiError: 400, the body is not such an object.
    """
    try:
        payload = orjson.loads(body)  # strict JSON, twice as fast as json on 500 conversions
    except orjson.JSONDecodeError:
        payload = _lenient_loads(body)  # e.g. a number beyond 64 bits: json decides
    if not isinstance(payload, dict):
        raise invalid('The request body must be a JSON object {"conversions": [...]}', "body")
    for name in payload:
        if name != "conversions":
            raise invalid(f"Unknown parameter {_name(name)}", _name(name))
    if "conversions" not in payload:
        raise ApiError(400, "MISSING_PARAMETER", "conversions is missing", "conversions")
    conversions = payload["conversions"]
    if not isinstance(conversions, list):
        raise invalid("conversions must be a list of conversion objects")
    if not 1 <= len(conversions) <= MAX_BATCH:
        raise invalid(f"conversions must hold 1 to {MAX_BATCH} items, not {len(conversions)}")
    if not all(isinstance(c, dict) for c in conversions):
        raise invalid("Every conversion must be a JSON object")
    return conversions


def _lenient_loads(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError):
        raise invalid("The request body is not valid JSON", "body") from None


def check_batch(conversions: list[dict[str, Any]], account: SandboxAccount) -> None:
    """check_conversion() for every conversion, in order; one error per bad conversion.

    As X does, the answer lists an error for each bad conversion (without saying which one)
    and refuses the whole batch; its status is the first bad conversion's.

    A batch of common conversions (time, event, hashed or click identifiers, a plain value,
    currency, id) is accepted by a test run field by field over the whole batch, which lets
    through nothing check_conversion would refuse. Otherwise each conversion takes a quick
    test of its own, and anything doubtful goes through check_conversion itself. A
    500-event batch is checked in a fifth of the time, so the sandbox answers the concurrent
    requests of an upload without keeping them waiting on each other.
    """
    if _plain_batch(conversions, account.event_ids):
        return
    event_ids = account.event_ids
    errors: list[ApiError] = []
    time_pattern, hex_pattern, parse_time, finite = (
        _TIME,
        _HEX64,
        datetime.fromisoformat,
        math.isfinite,
    )
    for conversion in conversions:
        try:
            keys = conversion.keys()
            if not (keys <= _QUICK_FIELDS and keys >= _REQUIRED_SET):
                raise _UnsureError
            time = conversion["conversion_time"]
            if type(time) is not str or time_pattern.fullmatch(time) is None:
                raise _UnsureError
            parse_time(time)
            event = conversion["event_id"]
            if type(event) is not str or event not in event_ids:  # ids never start "tw-"
                raise _UnsureError
            identifiers = conversion["identifiers"]
            if type(identifiers) is not list or not identifiers:
                raise _UnsureError
            for identifier in identifiers:
                if type(identifier) is not dict or len(identifier) != 1:
                    raise _UnsureError
                ((key, text),) = identifier.items()
                if type(text) is not str:
                    raise _UnsureError
                if key == "twclid":
                    if not text.strip():
                        raise _UnsureError
                elif key not in _HASHED or hex_pattern.fullmatch(text) is None:
                    raise _UnsureError
            if len(keys) > 3:
                value = conversion.get("value", 0)
                if not (type(value) is int or (type(value) is float and finite(value))):
                    raise _UnsureError
                items = conversion.get("number_items", 1)
                if type(items) is not int or items < 1:
                    raise _UnsureError
                conversion_id = conversion.get("conversion_id", "x")
                if type(conversion_id) is not str or not conversion_id:
                    raise _UnsureError
                if type(conversion.get("description", "")) is not str:
                    raise _UnsureError
        except (_UnsureError, ValueError):
            try:
                check_conversion(conversion, account)
            except ApiError as error:
                errors.append(error)
    if errors:
        raise ApiError.together(errors)


def _plain_batch(conversions: list[dict[str, Any]], event_ids: frozenset[str]) -> bool:
    """True when every conversion is certainly valid, tested one field at a time across the
    batch with C-level passes; False means "not sure" (the caller checks one by one)."""
    try:
        fields = set(chain.from_iterable(conversions))
        if not _PLAIN_FIELDS.issuperset(fields):
            return False
        # A missing time, event or identifiers raises KeyError below; None fails its type test.
        times = list(map(itemgetter("conversion_time"), conversions))
        if _types(times) != {str} or not _all_times(times):
            return False
        deque(map(datetime.fromisoformat, times), maxlen=0)
        if not event_ids.issuperset(map(itemgetter("event_id"), conversions)):
            return False  # ids never start "tw-"; the prefixed form takes the full check
        lists = list(map(itemgetter("identifiers"), conversions))
        if _types(lists) != {list} or not all(lists):
            return False
        identifiers = list(chain.from_iterable(lists))
        if _types(identifiers) != {dict} or set(map(len, identifiers)) != {1}:
            return False
        texts = list(chain.from_iterable(map(dict.values, identifiers)))
        if _types(texts) != {str} or not _HASHED.issuperset(chain.from_iterable(identifiers)):
            return False
        return _all_hex64(texts) and _plain_optional_fields(conversions, fields)
    except (KeyError, TypeError, ValueError, OverflowError):
        return False


def _all_times(times: list[str]) -> bool:
    """Every text matches _TIME; the millisecond UTC form of twconv itself is seen at once."""
    if set(map(len, times)) == {len(_ISO_MS_SHAPE)}:
        shapes = "".join(times).encode("ascii", "replace").translate(_DIGITS_AS_NINE)
        if shapes == _ISO_MS_SHAPE * len(times):
            return True
    return all(map(_TIME.fullmatch, times))


def _all_hex64(texts: list[str]) -> bool:
    """Every text is 64 lowercase hexadecimal digits (_HEX64)."""
    if set(map(len, texts)) != {64}:
        return False
    digits = "".join(texts).encode("ascii", "replace")
    return not digits.translate(None, b"0123456789abcdef")


def _plain_optional_fields(conversions: list[dict[str, Any]], fields: set[str]) -> bool:
    if "value" in fields:
        values = _column(conversions, "value", 0)
        if not _types(values) <= {int, float} or not all(map(math.isfinite, values)):
            return False
    if "number_items" in fields:
        items = _column(conversions, "number_items", 1)
        if _types(items) != {int} or min(items) < 1:
            return False
    if "price_currency" in fields:
        currencies = _column(conversions, "price_currency", "USD")
        if not _known_currencies().issuperset(currencies):
            return False
    if "conversion_id" in fields:
        ids = _column(conversions, "conversion_id", "x")
        if _types(ids) != {str} or not all(ids):
            return False
    return "description" not in fields or _types(_column(conversions, "description", "")) == {str}


def _column(conversions: list[dict[str, Any]], name: str, default: object) -> list[Any]:
    return list(map(dict.get, conversions, repeat(name), repeat(default)))


def _types(values: list[Any]) -> set[type]:
    return set(map(type, values))


@cache
def _known_currencies() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies)


def check_conversion(conversion: dict[str, Any], account: SandboxAccount) -> None:
    """Raise the error X would answer for this conversion; None when it is valid.

    The messages never say which conversion of the batch is at fault and never echo more
    than a few characters of a value.

    Raises:
        ApiError: 400 for a missing or malformed field, 404 for an event of another account.
    """
    if not FIELDS.issuperset(conversion):
        unknown = next(name for name in conversion if name not in FIELDS)
        raise invalid(f"Unknown parameter {_name(unknown)} in a conversion")
    for name in REQUIRED:
        if name not in conversion or conversion[name] is None:
            raise ApiError(400, "MISSING_PARAMETER", f"{name} is missing", "conversions")
    _check_time(conversion["conversion_time"])
    _check_event(conversion["event_id"], account)
    _check_identifiers(conversion["identifiers"])
    if "number_items" in conversion and not _positive_int(conversion["number_items"]):
        raise invalid("number_items must be a whole number greater than 0")
    if "price_currency" in conversion:
        _check_currency(conversion["price_currency"])
    if "value" in conversion and not _number_or_numeric_text(conversion["value"]):
        raise invalid('value must be a number (e.g. 20.5 or "20.50")')
    conversion_id = conversion.get("conversion_id", "x")
    if not isinstance(conversion_id, str) or not conversion_id:
        raise invalid("conversion_id must be a non-empty string")
    if not isinstance(conversion.get("description", ""), str):
        raise invalid("description must be a string")
    if "contents" in conversion:
        _check_contents(conversion["contents"])


def _check_time(value: Any) -> None:
    if isinstance(value, str) and _LOCAL_TIME.fullmatch(value):
        # X's words for a time without Z or an offset (the value is a time, not personal).
        raise invalid(
            f'Expected time, got "{value[:40]}" for conversion_time: use the format '
            "yyyy-MM-ddTHH:mm:ss.SSSZ, with Z or an offset such as +02:00"
        )
    if not isinstance(value, str) or not _TIME.fullmatch(value):
        raise invalid(f"conversion_time is not a valid time; {_TIME_HINT}")
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise invalid(f"conversion_time is not a valid date or time; {_TIME_HINT}") from None


def _check_event(value: Any, account: SandboxAccount) -> None:
    if not isinstance(value, str) or not value:
        raise invalid("event_id must be a non-empty string")
    event = value
    prefix = f"tw-{account.pixel_id}-"
    if value.startswith("tw-"):
        event = value[len(prefix) :] if value.startswith(prefix) else ""
    if event not in account.event_ids:
        # X answers a wrong event with 404 and two errors.
        shown = value if len(value) <= 24 else value[:24] + "…"
        error = ApiError(404, "NOT_FOUND", f"event_id {shown} does not belong to provided account")
        error.more = [invalid(f"Invalid event_id {shown}", "event_id")]
        raise error


def _check_identifiers(value: Any) -> None:
    """X's identifier table: twclid, hashed email or phone each identify on their own; an ip
    address needs another identifier or a user agent, and a user agent another identifier or
    an ip address - so the ip + user agent pair alone is valid (in one object, as X's example
    sends it, or in two)."""
    if not isinstance(value, list) or not value:
        raise invalid("identifiers must be a non-empty list of identifier objects")
    has_ip = has_agent = has_other = False
    for identifier in value:
        if not isinstance(identifier, dict):
            raise invalid("Every identifier must be a JSON object")
        if len(identifier) == 1 and (key := next(iter(identifier))) in SINGLE_IDENTIFIERS:
            _check_identifier(key, identifier[key])
            has_other = True
            continue
        keys = set(identifier)
        if not keys or not keys <= {"ip_address", "user_agent"}:
            raise invalid(
                "An identifier must hold exactly one of twclid, hashed_email, "
                "hashed_phone_number, ip_address or user_agent (ip_address and user_agent "
                "may share one object)"
            )
        if "ip_address" in keys:
            _check_ip(identifier["ip_address"])
            has_ip = True
        if "user_agent" in keys:
            _check_agent(identifier["user_agent"])
            has_agent = True
    if not has_other and has_ip != has_agent:
        lone = "ip_address" if has_ip else "user_agent"
        raise invalid(
            f"{lone} must be sent in conjunction with another identifier "
            "(twclid, hashed_email, hashed_phone_number, or the "
            f"{'user_agent' if has_ip else 'ip_address'})"
        )


def _check_identifier(key: str, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise invalid(f"{key} must be a non-empty string")
    if key != "twclid" and not _HEX64.fullmatch(value):
        raise invalid(f"{key}{_peek(value)} is not a valid SHA-256 hash (64 lowercase hex digits)")


def _check_ip(address: Any) -> None:
    try:
        ipaddress.ip_address(address if isinstance(address, str) else "")
    except ValueError:
        raise invalid("ip_address is not a valid IPv4 or IPv6 address") from None


def _check_agent(agent: Any) -> None:
    if not isinstance(agent, str) or not agent.strip():
        raise invalid("user_agent must be a non-empty string")


def _check_currency(value: Any) -> None:
    known = (
        isinstance(value, str)
        and len(value) == 3
        and value.isupper()
        and pycountry.currencies.get(alpha_3=value) is not None
    )
    if not known:
        raise invalid("price_currency must be an ISO 4217 currency code such as USD")


def _check_contents(value: Any) -> None:
    if not isinstance(value, list) or not value:
        raise invalid("contents must be a non-empty list of content objects")
    for content in value:
        if not isinstance(content, dict) or not content:
            raise invalid("Every content must be a non-empty JSON object")
        for name, item in content.items():
            if name not in CONTENT_FIELDS:
                raise invalid(f"Unknown parameter {_name(name)} in contents")
            if name == "content_price":
                if not _number(item):
                    raise invalid("content_price must be a number")
            elif name == "num_items":
                if not _positive_int(item):
                    raise invalid("num_items must be a whole number greater than 0")
            elif not isinstance(item, str):
                raise invalid(f"{name} must be a string")


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value)


def _number_or_numeric_text(value: Any) -> bool:
    return _number(value) or (isinstance(value, str) and bool(_NUMERIC.fullmatch(value)))


def _peek(value: str) -> str:
    """A few leading characters of a would-be hash, never of anything that may be personal."""
    if not re.fullmatch(r"[0-9a-fA-F]+", value):
        return ""
    return f" ({value[:6]}…)" if len(value) > 6 else f" ({value})"


def _name(name: str) -> str:
    return name[:40]


class _UnsureError(Exception):
    """check_batch's quick test is not sure: the full check decides."""


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")
