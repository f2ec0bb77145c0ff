"""Identifier normalizers: X's hashing rules, golden vectors and the values users paste."""

from __future__ import annotations

import hashlib
import random
from datetime import datetime

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twconv_gui.core.errors import MappingError
from twconv_gui.core.normalize.identifiers import (
    PhoneHasher,
    hash_email,
    is_sha256_hex,
    normalize_ip,
    normalize_twclid,
    normalize_user_agent,
)
from twconv_gui.core.normalize.problems import ValueProblem
from twconv_gui.core.reading.table import Cell


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# -- email ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "digest"),
    [
        ("test-email@test.com", "e586883b2b4faf78d48300a79e0e15138d664cdf796ffb86e533170a9893eda8"),
        ("test@x.com", "5806dc6b2f04fb728708a8f7b81c14edcd4fba36f77914cf0c9368d9a3a25f76"),
        (
            "  Test-Email@Test.com ",
            "e586883b2b4faf78d48300a79e0e15138d664cdf796ffb86e533170a9893eda8",
        ),
        ("\u00a0TEST@X.COM\t", "5806dc6b2f04fb728708a8f7b81c14edcd4fba36f77914cf0c9368d9a3a25f76"),
    ],
)
def test_hash_email_golden_vectors(email: str, digest: str) -> None:
    assert hash_email(email) == digest


def test_hash_email_twitter_com_is_the_hash_x_documents_for_x_com() -> None:
    digest = hash_email("test@twitter.com")
    assert digest.startswith("d360d510")
    assert digest.endswith("cced62")
    assert digest == sha("test@twitter.com")


def test_hash_email_keeps_gmail_dots_and_plus_tags() -> None:
    assert hash_email("First.Last+tag@Gmail.com") == sha("first.last+tag@gmail.com")


def test_hash_email_strips_zero_width_characters_around() -> None:
    assert hash_email("\ufeffa@b.co\u200b") == sha("a@b.co")


@pytest.mark.parametrize(
    "value",
    [
        "mailto:Jane@Acme.com",
        "MAILTO:jane@acme.com",
        " mailto:jane@acme.com?subject=Order%2042&body=hi ",
        "mailto:jane%40acme.com",
    ],
)
def test_hash_email_reads_the_address_of_a_mailto_link(value: str) -> None:
    assert hash_email(value) == sha("jane@acme.com")


def test_hash_email_hashes_nfc_and_nfd_spellings_alike() -> None:
    nfc = "jos\u00e9@caf\u00e9.fr"
    nfd = "jose\u0301@cafe\u0301.fr"
    assert nfc != nfd
    assert hash_email(nfd) == hash_email(nfc) == sha(nfc)
    assert hash_email("JOSE\u0301@CAFE\u0301.FR") == sha(nfc)


@pytest.mark.parametrize("value", ["jane\x00@acme.com", "jane@ac\x1bme.com", "ja\u0085ne@acme.com"])
def test_hash_email_refuses_control_characters_without_quoting(value: str) -> None:
    with pytest.raises(ValueProblem) as info:
        hash_email(value)
    assert "contains control characters" in info.value.message
    assert "jane" not in info.value.message


def test_hash_email_passes_a_sha256_through_lowercased() -> None:
    digest = sha("a@b.co")
    assert hash_email(digest.upper()) == digest
    assert hash_email(f"  {digest} ") == digest


@pytest.mark.parametrize(
    "value",
    [
        "Jane Doe <Jane@Acme.com>",
        "Jane Doe (jane@acme.com)",
        "<jane@acme.com>",
        " J. (jane@acme.com) ",
    ],
)
def test_an_address_with_its_display_name_hashes_as_the_address(value: str) -> None:
    # CRMs export contacts as "Name (email)" (HubSpot's Associated Contact) or "Name <email>".
    assert hash_email(value) == hashlib.sha256(b"jane@acme.com").hexdigest()


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("jane.doe.acme.com", "no '@'"),
        ("jane@@acme.com", "more than one '@'"),
        ("jane@doe@acme.com", "more than one '@'"),
        ("@acme.com", "nothing before the '@'"),
        ("jane@", "nothing after the '@'"),
        ("jane@localhost", "not a domain"),
        ("jane@acme..com", "not a domain"),
        ("jane@.acme.com", "not a domain"),
        ("jane@acme.com.", "not a domain"),
        ("jane doe@acme.com", "spaces"),
        ("<jane@acme.com> <joe@acme.com>", "more than one '@'"),
        ("jane@acme.com;", "semicolons"),
        ("jane,doe@acme.com", "commas"),
    ],
)
def test_hash_email_refuses_what_is_not_an_address(value: str, reason: str) -> None:
    with pytest.raises(ValueProblem) as info:
        hash_email(value)
    assert info.value.message.startswith("is not an email address")
    assert reason in info.value.message
    assert "jane" not in info.value.message
    assert "acme" not in info.value.message


@pytest.mark.parametrize("value", [12, 1.5, True, datetime(2024, 1, 1)])
def test_hash_email_refuses_cells_that_are_not_text(value: Cell) -> None:
    with pytest.raises(ValueProblem, match="is not an email address"):
        hash_email(value)


@settings(max_examples=150, deadline=None)
@given(st.emails())
def test_hash_email_is_idempotent_on_its_own_output(email: str) -> None:
    digest = hash_email(email)
    assert is_sha256_hex(digest)
    assert digest == digest.lower()
    assert hash_email(digest) == digest


@settings(max_examples=150, deadline=None)
@given(
    st.emails(),
    st.randoms(use_true_random=False),
    st.text(" \t\u00a0\u202f", max_size=3),
    st.text(" \t\n\u00a0", max_size=3),
)
def test_hash_email_ignores_case_and_surrounding_white_space(
    email: str, rnd: random.Random, before: str, after: str
) -> None:
    mixed = "".join(c.upper() if rnd.random() < 0.5 else c.lower() for c in email)
    assert hash_email(before + mixed + after) == sha(email.lower())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a" * 64, True),
        ("0123456789abcdefABCDEF" * 2 + "0" * 20, True),
        ("a" * 63, False),
        ("a" * 65, False),
        ("g" + "a" * 63, False),
        (" " + "a" * 63, False),
        ("", False),
    ],
)
def test_is_sha256_hex(text: str, expected: bool) -> None:
    assert is_sha256_hex(text) is expected


# -- phone ------------------------------------------------------------------------------------


def test_phone_golden_vector_of_x_is_the_hash_of_e164_with_plus() -> None:
    # X's documented example: the digest of "+11234567890". The number itself is not valid
    # (no US area code starts with 1), so it is refused; a valid number hashes the same way.
    assert sha("+11234567890") == "1fa6b8d986d9b9cd01bf36951815158bbde9f520c0567c835dfe34783d0a4231"
    with pytest.raises(ValueProblem) as info:
        PhoneHasher("US").hash("+11234567890")
    assert info.value.message == (
        "is not a valid phone number for United States (+1); check the number"
    )
    assert PhoneHasher("US").hash("+1 212 555 0134") == sha("+12125550134")


@pytest.mark.parametrize(
    ("region", "value", "e164"),
    [
        ("US", "(212) 555-0134", "+12125550134"),
        ("US", "212.555.0134", "+12125550134"),
        ("US", "212-555-0134 ext. 42", "+12125550134"),
        ("US", "+1 (212) 555-0134 x42", "+12125550134"),
        ("US", "tel:+1-212-555-0134", "+12125550134"),
        ("US", "TEL: +1 212 555 0134", "+12125550134"),
        ("US", "001 212 555 0134", "+12125550134"),
        ("US", "0049 30 1234567", "+49301234567"),
        ("US", "011 49 30 1234567", "+49301234567"),
        ("DE", "030 1234567", "+49301234567"),
        ("DE", "0049 30 1234567", "+49301234567"),
        ("DE", "+49 (0)30 1234567", "+49301234567"),
        ("GB", "020 7946 0958", "+442079460958"),
        ("AU", "0011 44 20 7946 0958", "+442079460958"),
        ("FR", "01 23 45 67 89", "+33123456789"),
        ("IT", "06 1234 5678", "+390612345678"),
        ("US", 12125550134.0, "+12125550134"),
        ("US", 2125550134, "+12125550134"),
        ("DE", 4930123456, "+4930123456"),
        ("", "+49 30 1234567", "+49301234567"),
    ],
)
def test_phone_e164_and_hash_with_plus(region: str, value: Cell, e164: str) -> None:
    hasher = PhoneHasher(region)
    assert hasher.e164(value) == e164
    assert hasher.hash(value) == sha(e164)


def test_phone_hash_is_not_the_meta_rule_without_plus() -> None:
    digest = PhoneHasher("US").hash("(212) 555-0134")
    assert digest == sha("+12125550134")
    assert digest != sha("12125550134")


def test_a_number_read_again_gives_the_same_digest_in_its_own_region() -> None:
    # Returning customers repeat their number; the second reading must not differ, and a
    # national number means something else under another default region.
    national = "020 7946 0018"
    london = sha("+442079460018")
    assert PhoneHasher("GB").hash(national) == london
    assert PhoneHasher("GB").hash(national) == london
    with pytest.raises(ValueProblem):
        PhoneHasher("US").hash(national)
    assert PhoneHasher("US").hash(2125550134) == PhoneHasher("US").hash("2125550134")
    with pytest.raises(ValueProblem, match="TRUE/FALSE"):
        PhoneHasher("US").hash(True)


def test_phone_hash_passes_a_sha256_through_lowercased() -> None:
    digest = sha("+12125550134")
    hasher = PhoneHasher("US")
    assert hasher.hash(digest.upper()) == digest
    assert hasher.hash("00" + digest[2:]) == "00" + digest[2:]  # not read as "00" prefix
    assert hasher.e164(f" {digest} ") == digest


@pytest.mark.parametrize(
    ("region", "value", "reason"),
    [
        ("US", "555-0134", "its area code is missing"),
        ("US", "12", "too short"),
        ("US", "+1 212 555 0134 0000 1111", "too long"),
        ("GB", "+44 20", "too short"),
        ("US", "call me", "does not look like a phone number"),
        ("US", "+999 1234567", "country code does not exist"),
    ],
)
def test_phone_refusals_say_why_without_the_number(region: str, value: str, reason: str) -> None:
    with pytest.raises(ValueProblem) as info:
        PhoneHasher(region).hash(value)
    message = info.value.message
    assert message.startswith("is not a phone number that can be dialled: ")
    assert reason in message
    assert not any(part in message for part in ("555", "0134", "1234567"))


def test_a_national_number_without_any_country_is_refused_with_what_to_do() -> None:
    for hasher in (PhoneHasher(""), PhoneHasher(None)):
        with pytest.raises(ValueProblem) as info:
            hasher.hash("030 1234567")
        assert info.value.message == (
            "has no country code (+…) and no country is known for this row: map a country "
            "column or set the phone region"
        )
        assert hasher.hash("+49 30 1234567") == sha("+49301234567")
        assert hasher.hash("030 1234567", region="DE") == sha("+49301234567")


def test_the_row_country_reads_an_ecuadorian_number_that_mexico_would_misread() -> None:
    # Read as Mexican, "099…" is Mexico's international prefix 09 and the number became
    # +95586089, a hash of nobody's line. With the row's country it is the Ecuadorian mobile.
    ecuador = sha("+593995586089")
    mexico = PhoneHasher("MX")
    assert mexico.hash("099 558 6089", region="EC") == ecuador
    assert mexico.e164("0995586089", region="EC") == "+593995586089"
    assert PhoneHasher("").hash("0995586089", region="ec") == ecuador
    with pytest.raises(ValueProblem) as info:
        mexico.hash("099 558 6089")
    assert info.value.message == (
        "is not a valid phone number for Mexico (MX); check the number or the row's country"
    )
    assert "558" not in info.value.message


def test_the_row_country_overrides_the_fixed_region_and_the_memo_keeps_them_apart() -> None:
    national = "020 7946 0018"
    hasher = PhoneHasher("US")
    assert hasher.hash(national, region="GB") == sha("+442079460018")
    with pytest.raises(ValueProblem):
        hasher.hash(national)  # the memo of the GB reading must not answer for the US
    assert hasher.hash("(212) 555-0134", region=None) == sha("+12125550134")
    assert hasher.hash("+49 30 1234567", region="GB") == sha("+49301234567")  # '+' wins
    assert hasher.hash("0049 30 1234567", region="GB") == sha("+49301234567")
    assert hasher.hash("0011 49 30 1234567", region="AU") == sha("+49301234567")


def test_an_invalid_number_names_the_country_it_was_read_for() -> None:
    with pytest.raises(ValueProblem) as info:
        PhoneHasher("US").hash("0300 1234", region="PK")
    assert info.value.message == (
        "is not a valid phone number for Pakistan (PK); check the number or the row's country"
    )
    assert PhoneHasher("US").hash("0301 2345678", region="PK") == sha("+923012345678")


def test_a_row_country_phone_numbers_do_not_know_is_refused() -> None:
    with pytest.raises(ValueProblem, match="the row's country is not one"):
        PhoneHasher("US").hash("(212) 555-0134", region="Atlantis")


@pytest.mark.parametrize("value", [True, 12125550134.5, -5.0, datetime(2024, 1, 1)])
def test_phone_refuses_cells_that_cannot_be_numbers(value: Cell) -> None:
    with pytest.raises(ValueProblem, match="is not a phone number"):
        PhoneHasher("US").hash(value)


def test_phone_unknown_region_is_a_mapping_error() -> None:
    with pytest.raises(MappingError, match="'XX' is not a phone region"):
        PhoneHasher("XX")
    assert PhoneHasher(" de ").region == "DE"
    assert PhoneHasher(None).region == "ZZ"


_REGIONS = sorted(
    r for r in phonenumbers.SUPPORTED_REGIONS if phonenumbers.example_number(r) is not None
)


def test_phone_example_numbers_of_every_region_in_all_notations() -> None:
    assert len(_REGIONS) > 200
    us = PhoneHasher("US")
    for region in _REGIONS:
        number = phonenumbers.example_number(region)
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        intl = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        hasher = PhoneHasher(region)
        assert hasher.hash(e164) == sha(e164), region
        assert hasher.e164(national) == e164, region
        assert us.e164("00" + intl[1:]) == e164, region


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(_REGIONS), st.sampled_from(["US", "DE", "GB", "IN", "BR", "JP", ""]))
def test_phone_hash_of_e164_is_sha256_of_it_whatever_the_region(region: str, default: str) -> None:
    number = phonenumbers.example_number(region)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    assert PhoneHasher(default).hash(e164) == sha(e164)


# -- click id, IP, user agent -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("26ngkp9bq2bx6bsbpwoq6rhj9z", "26ngkp9bq2bx6bsbpwoq6rhj9z"),
        ("  abc123 ", "abc123"),
        ("https://shop.example/p?utm_source=x&twclid=2-abc123", "2-abc123"),
        ("https://shop.example/p?twclid=abc%2D1&x=1#top", "abc-1"),
        ("shop.example/landing?TWCLID=abc", "abc"),
        ("www.shop.example/?twclid=abc", "abc"),
        ("?twclid=abc", "abc"),
        ("twclid=abc&utm_medium=paid", "abc"),
        ("https://shop.example/#/cart?twclid=abc", "abc"),
        (12345, "12345"),
    ],
)
def test_normalize_twclid(value: Cell, expected: str) -> None:
    assert normalize_twclid(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("https://shop.example/p?utm_source=x", "without a twclid parameter"),
        (
            "https://shop.example/p?utm_source=google&gclid=Cj0KCQjw",
            "is a web address with a Google Ads click id \\(gclid\\) but no twclid; it is not "
            "sent as an X click id",
        ),
        (
            "https://shop.example/?fbclid=IwAR1",
            "with a Meta \\(Facebook/Instagram\\) click id \\(fbclid\\) but no twclid",
        ),
        ("https://shop.example/p?twclid=", "empty twclid"),
        ("abc 123", "contains spaces"),
        (1.5, "is not a click id"),
        (True, "is not a click id"),
    ],
)
def test_normalize_twclid_refusals(value: Cell, message: str) -> None:
    with pytest.raises(ValueProblem, match=message):
        normalize_twclid(value)


_GCLID = (
    "Cj0KCQjwiMmwBhDmARIsABeQ7xRJWGVfm8Tw5EtQbxSiM8dXrCjhqs0D0YBNs-JQ7k_C5D0bqGoOBdQaAvwBEALw_wcB"
)
_FBCLID = "IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk"


@pytest.mark.parametrize(
    ("value", "clue"),
    [
        (_GCLID, "a Google Ads click id (gclid)"),
        (f"https://shop.example/p?twclid={_GCLID}", "a Google Ads click id (gclid)"),
        (_FBCLID, "a Meta (Facebook/Instagram) click id (fbclid)"),
        (f"fb.1.1657051589577.{_FBCLID}", "a Meta (Facebook/Instagram) click id (fbc)"),
        ("8d6d5e520650141a15fe39c0c3ecd885", "a Microsoft Advertising click id (msclkid)"),
        ("E.C.P.CsQBQ3fsJHedzWpvunCeFXyx6BDFj9KKh82rzCL4YPU1", "a TikTok click id (ttclid)"),
    ],
)
def test_normalize_twclid_refuses_other_networks_click_ids(value: str, clue: str) -> None:
    with pytest.raises(ValueProblem) as info:
        normalize_twclid(value)
    assert info.value.message == (f"looks like {clue}, not an X click id (twclid); it is left out")


@pytest.mark.parametrize(
    "value",
    ["2-2l8qmm7zeonfnwc75vqh7sx6r", "29x4diopvnws1i0grrjr6hc8r", "11468056396621139976"],
)
def test_normalize_twclid_keeps_real_twclid_shapes(value: str) -> None:
    assert normalize_twclid(f"https://shop.example/?gclid=x&twclid={value}") == value
    assert normalize_twclid(value) == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("[::ffff:203.0.113.7]", "203.0.113.7"),
        ("::FFFF:CB00:7107", "203.0.113.7"),
        ("::203.0.113.7", "::cb00:7107"),
        ("203.0.113.7", "203.0.113.7"),
        (" 203.0.113.7\u00a0", "203.0.113.7"),
        ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
    ],
)
def test_normalize_ip(value: str, expected: str) -> None:
    assert normalize_ip(value) == expected


@pytest.mark.parametrize("value", ["203.0.113", "256.1.1.1", "01.2.3.4", "example.com", 3405803783])
def test_normalize_ip_refusals(value: Cell) -> None:
    with pytest.raises(ValueProblem, match="is not an IP address"):
        normalize_ip(value)


def test_normalize_user_agent() -> None:
    ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
    assert normalize_user_agent(f"  {ua}\n") == ua
    with pytest.raises(ValueProblem, match="control characters"):
        normalize_user_agent("Mozilla/5.0\tChrome")
    with pytest.raises(ValueProblem, match="is not a user agent"):
        normalize_user_agent(5)
