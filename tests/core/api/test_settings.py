"""API settings: the base URL and version a user types are checked before any request."""

from __future__ import annotations

import pytest

from twconv_gui.core.api.client import ApiSettings
from twconv_gui.core.errors import TwconvError


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("https://ads-api.x.com/", "https://ads-api.x.com"),
        (" https://ads-api.twitter.com ", "https://ads-api.twitter.com"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
    ],
)
def test_settings_normalize_the_base_url(base_url, expected):
    assert ApiSettings(base_url=base_url).base_url == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"base_url": "ads-api.x.com"}, "scheme and host only"),
        ({"base_url": "ftp://ads-api.x.com"}, "scheme and host only"),
        ({"base_url": "https://ads-api.x.com/12"}, "has a path or query"),
        ({"base_url": "https://ads-api.x.com?x=1"}, "has a path or query"),
        ({"base_url": "https://ads-api.x.com:99999"}, "invalid port"),
        ({"version": "v12"}, "give the number only"),
        ({"version": ""}, "give the number only"),
        ({"read_timeout": 0}, "read timeout"),
    ],
)
def test_settings_reject_unusable_values(kwargs, message):
    with pytest.raises(TwconvError, match=message):
        ApiSettings(**kwargs)
