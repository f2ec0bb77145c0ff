"""Country cells to phone regions: ISO codes and names in the languages exports use."""

from __future__ import annotations

import phonenumbers
import pytest

from twconv_gui.core.normalize.countries import country_name, region_of
from twconv_gui.core.reading.table import Cell


@pytest.mark.parametrize(
    ("cell", "region"),
    [
        ("GB", "GB"),
        (" de ", "DE"),
        ("deu", "DE"),
        ("PAK", "PK"),
        ("United Kingdom", "GB"),
        ("UK", "GB"),
        ("Great Britain", "GB"),
        ("England", "GB"),
        ("Scotland", "GB"),
        ("Vereinigtes Königreich", "GB"),
        ("Royaume-Uni", "GB"),
        ("USA", "US"),
        ("U.S.", "US"),
        ("U.S.A.", "US"),
        ("United States of America", "US"),
        ("Estados Unidos", "US"),
        ("Stati Uniti", "US"),
        ("Verenigde Staten", "US"),
        ("Deutschland", "DE"),
        ("Allemagne", "DE"),
        ("Alemania", "DE"),
        ("Germania", "DE"),
        ("Alemanha", "DE"),
        ("Duitsland", "DE"),
        ("España", "ES"),
        ("espana", "ES"),
        ("Pakistan", "PK"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d'Ivoire", "CI"),
        ("Côte d’Ivoire", "CI"),
        ("Costa do Marfim", "CI"),
        ("Korea, Republic of", "KR"),
        ("South Korea", "KR"),
        ("Russian Federation", "RU"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("TÜRKEI", "TR"),
        ("Viet Nam", "VN"),
        ("Vietnam", "VN"),
        ("Holland", "NL"),
        ("Nederland", "NL"),
        ("Países Bajos", "NL"),
        ("Ecuador", "EC"),
        ("México", "MX"),
        ("St. Lucia", "LC"),
        ("Bosnia & Herzegovina", "BA"),
    ],
)
def test_region_of_codes_and_names(cell: str, region: str) -> None:
    assert region_of(cell) == region


@pytest.mark.parametrize("cell", [None, "", "   ", "Atlantis", "XX", "EU", 49, True])
def test_region_of_unknown_or_empty_is_none(cell: Cell) -> None:
    assert region_of(cell) is None


def test_every_region_it_gives_is_one_phone_numbers_know() -> None:
    from twconv_gui.core.normalize.countries import _lookup

    assert set(_lookup().values()) <= phonenumbers.SUPPORTED_REGIONS
    assert len(set(_lookup().values())) > 230


@pytest.mark.parametrize(
    ("region", "name"), [("PK", "Pakistan"), ("us", "United States"), ("MX", "Mexico")]
)
def test_country_name_for_messages(region: str, name: str) -> None:
    assert country_name(region) == name
