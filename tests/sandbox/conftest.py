"""A fresh sandbox per test, a signed requests session talking to it, and batch helpers."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from requests_oauthlib import OAuth1

from twconv_gui.sandbox import DEMO, SandboxServer

GOOD_EMAIL_HASH = "e586883b2b4faf78d48300a79e0e15138d664cdf796ffb86e533170a9893eda8"

Conversion = dict[str, Any]
Post = Callable[..., requests.Response]


def _conversion(**fields: Any) -> Conversion:
    event: Conversion = {
        "conversion_time": "2024-03-01T12:30:00.000Z",
        "event_id": DEMO.events[0].id,
        "identifiers": [{"hashed_email": GOOD_EMAIL_HASH}],
        "conversion_id": "ORDER-1",
    }
    event.update(fields)
    return {k: v for k, v in event.items() if v is not None}


@pytest.fixture
def make_conversion() -> Callable[..., Conversion]:
    """A valid conversion object; keyword arguments replace fields (None drops one)."""
    return _conversion


@pytest.fixture
def demo_auth() -> Callable[..., OAuth1]:
    """OAuth1 with the demo credentials; pass consumer_secret=... to sign wrongly."""

    def make(consumer_secret: str = DEMO.consumer_secret) -> OAuth1:
        return OAuth1(
            DEMO.consumer_key, consumer_secret, DEMO.access_token, DEMO.access_token_secret
        )

    return make


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer() as server:
        yield server


@pytest.fixture
def session(demo_auth: Callable[..., OAuth1]) -> Iterator[requests.Session]:
    with requests.Session() as signed:
        signed.auth = demo_auth()
        yield signed


@pytest.fixture
def post(sandbox: SandboxServer, session: requests.Session) -> Post:
    """post(conversions, pixel=..., **requests_kwargs): one conversions request, signed."""

    def send(
        conversions: list[Conversion], pixel: str = DEMO.pixel_id, **kwargs: Any
    ) -> requests.Response:
        url = f"{sandbox.base_url}/12/measurement/conversions/{pixel}"
        kwargs.setdefault("timeout", 10)
        return session.post(url, json={"conversions": conversions}, **kwargs)

    return send
