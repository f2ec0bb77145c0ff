"""Emails and phone numbers mapped to free-text or id fields are refused, never sent raw."""

from __future__ import annotations

import re

import pytest

from twconv_gui.core.normalize.amounts import normalize_id, normalize_text
from twconv_gui.core.normalize.problems import Severity, ValueProblem

NORMALIZERS = [normalize_id, normalize_text]

EMAILS = [
    "jane.doe@example.com",
    " Jane.Doe+shop@mail.example.co.uk ",
    "Gift for jane@example.org, wrap it",
]
PHONES = [
    "+1 212 555 0134",
    "+44 20 7946 0958",
    "+12125550134",
    "+1 (212) 555-0134",
    "(212) 555-0134",
    "(030) 1234 5678",
    "Call (212) 555-0134 before delivery",
]
KEPT = [
    "100234567",
    "#1001",
    "SO-10400",
    "SKU-12345-XL",
    "ORD-2024-000123",
    "978-3-16-148410-0",
    "2024-03-15 10:30",
    "12:30",
    "+2 free gifts",
    "Save +10 %",
    "Pack (12) 24-pack",
    "Size (M) 10-12",
    "@home collection",
    "Newsletter @ shop",
    "user@localhost",
    "Price 1,234.50 (incl. 19% VAT)",
    "Order 1001 (2 items)",
]


@pytest.mark.parametrize("normalize", NORMALIZERS)
@pytest.mark.parametrize("value", EMAILS)
def test_an_email_is_refused_without_being_quoted(normalize, value):
    with pytest.raises(ValueProblem) as info:
        normalize(value)
    problem = info.value
    assert problem.severity is Severity.ERROR
    assert "looks like an email address" in problem.message
    assert "@" not in problem.message
    assert value.strip().split("@")[0].split()[-1] not in problem.message


@pytest.mark.parametrize("normalize", NORMALIZERS)
@pytest.mark.parametrize("value", PHONES)
def test_a_phone_number_is_refused_without_being_quoted(normalize, value):
    with pytest.raises(ValueProblem) as info:
        normalize(value)
    problem = info.value
    assert problem.severity is Severity.ERROR
    assert "looks like a phone number" in problem.message
    assert not re.search(r"\d{3}", problem.message)


@pytest.mark.parametrize("normalize", NORMALIZERS)
@pytest.mark.parametrize("value", KEPT)
def test_ids_skus_and_ordinary_text_are_kept(normalize, value):
    assert normalize(value) == value.strip()
