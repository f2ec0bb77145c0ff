"""Emails and phone numbers found where X expects free text or ids, refused before sending."""

from __future__ import annotations

import re

from twconv_gui.core.normalize.problems import ValueProblem

__all__ = ["refuse_personal_data"]

_EMAIL = re.compile(r"[\w.%+\-']+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}\b")
# Written the way only phone numbers are: with a leading "+" (+1 212 555 0134, +12125550134)
# or an area code in parentheses ((212) 555-0134). Bare digit runs and dashed groups are
# left alone: order ids (100234567, #1001), SKUs and ISBNs look the same.
_PHONE_PLUS = re.compile(r"(?<![\w+])\+\d(?:[ .\-()]{0,2}\d)+")
_PHONE_AREA = re.compile(r"(?<![\w)])\(\d{2,5}\) ?\d{2,4}(?:[ .\-]\d{2,5})+(?![\w(])")
_PHONE_DIGITS = range(8, 16)  # E.164 numbers have at most 15 digits; real ones 8 or more
_CLUES = frozenset("@+(")

_NOT_SENT = (
    "it would reach X unhashed, so the row is not sent. Map {what} to the {field} field "
    "(hashed before sending) and choose another column here, or clear these cells"
)


def refuse_personal_data(text: str) -> None:
    """Raise when `text` holds an email address or a phone number written as one.

    Free-text and id fields (description, content name, conversion id...) go to X as they
    are; an address or number in them would leave the computer unhashed. Phones count only
    when written with a leading "+" or an area code in parentheses, with 8 to 15 digits.

    Raises:
        ValueProblem: an error naming what the value looks like, never quoting it.
    """
    if _CLUES.isdisjoint(text):  # the common case: one scan, no pattern run
        return
    if "@" in text and _EMAIL.search(text):
        raise ValueProblem(
            "looks like an email address: "
            + _NOT_SENT.format(what="email addresses", field="email")
        )
    for pattern in (_PHONE_PLUS, _PHONE_AREA):
        for match in pattern.finditer(text):
            if sum(c.isdigit() for c in match.group()) in _PHONE_DIGITS:
                raise ValueProblem(
                    "looks like a phone number: "
                    + _NOT_SENT.format(what="phone numbers", field="phone")
                )
