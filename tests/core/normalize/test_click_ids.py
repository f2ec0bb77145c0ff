"""Other networks' click ids, told by their column header or their value's shape."""

from __future__ import annotations

import pytest

from twconv_gui.core.normalize.click_ids import (
    foreign_header,
    foreign_header_network,
    foreign_value,
    foreign_value_network,
)


@pytest.mark.parametrize(
    ("header", "network"),
    [
        ("gclid", "Google Ads"),
        ("GCLID", "Google Ads"),
        ("Google Click ID", "Google Ads"),
        ("wbraid", "Google Ads"),
        ("gbraid", "Google Ads"),
        ("dclid", "Google Campaign Manager"),
        ("fbclid", "Meta (Facebook/Instagram)"),
        ("fbc", "Meta (Facebook/Instagram)"),
        ("_fbc", "Meta (Facebook/Instagram)"),
        ("Facebook Click ID", "Meta (Facebook/Instagram)"),
        ("ttclid", "TikTok"),
        ("TikTok Click ID", "TikTok"),
        ("msclkid", "Microsoft Advertising"),
        ("Microsoft Click ID", "Microsoft Advertising"),
        ("ScCid", "Snapchat"),
        ("li_fat_id", "LinkedIn"),
        ("epik", "Pinterest"),
        ("rdt_cid", "Reddit"),
        ("Order gclid", "Google Ads"),
        ("GCLID (Google)", "Google Ads"),
    ],
)
def test_foreign_header_network(header: str, network: str) -> None:
    assert foreign_header_network(header) == network


@pytest.mark.parametrize(
    "header", ["twclid", "X Click ID", "Twitter Click ID", "Click ID", "Email", "Order ID", ""]
)
def test_x_and_unrelated_headers_are_not_foreign(header: str) -> None:
    assert foreign_header_network(header) is None


def test_foreign_header_names_the_parameter_for_messages() -> None:
    found = foreign_header("Google Click ID")
    assert found is not None
    assert found.describe() == "a Google Ads click id (gclid)"


@pytest.mark.parametrize(
    ("value", "network", "parameter"),
    [
        (
            "Cj0KCQjwiMmwBhDmARIsABeQ7xRJWGVfm8Tw5EtQbxSiM8dXrCjhqs0D0YBNs-JQ7k_C5D0bqGoOBdQaAvwBEALw_wcB",
            "Google Ads",
            "gclid",
        ),
        (
            "CjwKCAjw3MXBBhAzEiwA0vLXQQRh9k5v6WTNYVWAzVDq9TeKYqbQzBT9Xl-SeP1A4Ta41OFhM6P_HuRoC89wQAvD_BwE",
            "Google Ads",
            "gclid",
        ),
        ("EAIaIQobChMIm9jQwvKS2QIVmLXACh1qegcbEAAYASABEgLAMfD_BwE", "Google Ads", "gclid"),
        (
            "IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk",
            "Meta (Facebook/Instagram)",
            "fbclid",
        ),
        (
            "fb.1.1657051589577.IwZXh0bgNhZW0CMTAAAR-uK_5w",
            "Meta (Facebook/Instagram)",
            "fbc",
        ),
        ("fb.1.1657051589577.1088522659", "Meta (Facebook/Instagram)", "fbp"),
        ("8d6d5e520650141a15fe39c0c3ecd885", "Microsoft Advertising", "msclkid"),
        ("E.C.P.CsQBQ3fsJHedzWpvunCeFXyx6BDFj9KKh82rzCL4YPU1GbK1f5g", "TikTok", "ttclid"),
        (
            "550e8400-e29b-41d4-a716-446655440000",
            "LinkedIn or Snapchat",
            "li_fat_id or ScCid",
        ),
        (
            "dj0yJnU9T3llZk53ZzQ5emdRcU9wNXZmZEhDNlFBX3p3LVFRdEMmcD0wJm49TU40VVhYNWJuUHFp",
            "Pinterest",
            "epik",
        ),
    ],
)
def test_foreign_value_shapes(value: str, network: str, parameter: str) -> None:
    assert foreign_value_network(value) == network
    found = foreign_value(value)
    assert found is not None
    assert found.parameter == parameter


@pytest.mark.parametrize(
    "value",
    [
        # Real twclids of landing URLs: today's, older ones, and the oldest all-digit form.
        "2-2l8qmm7zeonfnwc75vqh7sx6r",
        "2-cb4uxhu0bwnw6rm30vpnx048",
        "29x4diopvnws1i0grrjr6hc8r",
        "23tbih2utu3gcc2p3il08wsjga",
        "11468056396621139976",
        "3184742045291813272",  # a Reddit rdt_cid has the same shape: not claimed
        "CKjr5JPm6NwCFQ3jvAodSwcPBw",  # an old gclid or dclid: no distinctive shape
        "IwAR1",
        "",
    ],
)
def test_shapes_a_twclid_may_have_are_never_claimed(value: str) -> None:
    assert foreign_value_network(value) is None
