"""PIN sign-in against the Sandbox: request token, authorize page, PIN, access token."""

import logging
import re
import socket

import pytest
import requests

from twconv_gui.core.account.signin import check_sign_in_host, finish_pin_signin, start_pin_signin
from twconv_gui.core.api.client import ApiClient, ApiSettings
from twconv_gui.core.errors import TwconvError
from twconv_gui.sandbox import DEMO, SandboxServer

PIN_ON_PAGE = re.compile(r'<code id="pin">(\w+)</code>')


@pytest.fixture
def sandbox():
    with SandboxServer() as server:
        yield server


@pytest.fixture
def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def read_pin(authorize_url):
    """What the user does in the browser: open the page, read the PIN."""
    page = requests.get(authorize_url, timeout=5)
    assert page.status_code == 200
    return PIN_ON_PAGE.search(page.text).group(1)


def test_full_pin_flow_gives_working_credentials(sandbox, caplog):
    caplog.set_level(logging.DEBUG)
    pending = start_pin_signin(DEMO.consumer_key, DEMO.consumer_secret, sandbox.base_url + "/")
    assert pending.authorize_url.startswith(f"{sandbox.base_url}/oauth/authorize?oauth_token=")
    pin = read_pin(pending.authorize_url)
    assert pin == sandbox.pin_for(pending.request_token)

    credentials = finish_pin_signin(pending, f" {pin[:3]} {pin[3:]}\n")  # spaces are forgiven

    assert (credentials.consumer_key, credentials.consumer_secret) == (
        DEMO.consumer_key,
        DEMO.consumer_secret,
    )
    assert credentials.access_token not in (DEMO.access_token, pending.request_token)
    with ApiClient(credentials, ApiSettings(base_url=sandbox.base_url)) as client:
        assert client.get("accounts").status == 200
    secrets = (DEMO.consumer_secret, pending.request_token_secret, credentials.access_token_secret)
    for record in caplog.records:
        message = record.getMessage()
        # oauthlib logs keys and tokens (never secrets) at DEBUG; our own loggers log neither.
        shown = (
            (*secrets, credentials.access_token) if record.name.startswith("twconv") else secrets
        )
        assert not [secret for secret in shown if secret in message]
    for text in (repr(pending), str(pending)):
        for secret in (*secrets, DEMO.consumer_key, pending.request_token):
            assert secret not in text


def test_pin_works_once(sandbox):
    pending = start_pin_signin(DEMO.consumer_key, DEMO.consumer_secret, sandbox.base_url)
    pin = read_pin(pending.authorize_url)
    finish_pin_signin(pending, pin)
    with pytest.raises(TwconvError, match=r"did not accept the PIN .*Start the sign-in again"):
        finish_pin_signin(pending, pin)


def test_wrong_pin_is_refused_in_words(sandbox):
    pending = start_pin_signin(DEMO.consumer_key, DEMO.consumer_secret, sandbox.base_url)
    right = sandbox.pin_for(pending.request_token)
    wrong = f"{(int(right) + 1) % 10**7:07d}"
    with pytest.raises(TwconvError, match=r"did not accept the PIN \(401\): it may be mistyped"):
        finish_pin_signin(pending, wrong)
    with pytest.raises(TwconvError, match="The PIN is the number"):
        finish_pin_signin(pending, "12-34")


def test_wrong_consumer_keys_are_named_without_quoting_them(sandbox):
    with pytest.raises(TwconvError) as caught:
        start_pin_signin(DEMO.consumer_key, "not-the-real-consumer-secret", sandbox.base_url)
    message = str(caught.value)
    assert "refused the app's keys (401)" in message
    assert "consumer key (API key) and consumer secret" in message
    assert "not-the-real-consumer-secret" not in message


def test_unreachable_host_is_a_network_message(closed_port):
    with pytest.raises(TwconvError) as caught:
        start_pin_signin(DEMO.consumer_key, DEMO.consumer_secret, f"http://127.0.0.1:{closed_port}")
    message = str(caught.value)
    assert f"Could not reach 127.0.0.1:{closed_port}" in message
    assert "network connection" in message
    assert DEMO.consumer_secret not in message


@pytest.mark.parametrize(
    ("host", "problem"),
    [
        ("api.x.com", "not usable"),
        ("https://api.x.com/oauth", "more than a host"),
        ("http://api.x.com", "plain http"),
        ("https://user:pw@api.x.com", "more than a host"),
    ],
)
def test_sign_in_host_must_be_scheme_and_host(host, problem):
    with pytest.raises(TwconvError, match=problem):
        check_sign_in_host(host)


def test_sign_in_host_forms_accepted():
    assert check_sign_in_host(" https://api.x.com/ ") == "https://api.x.com"
    assert check_sign_in_host("http://localhost:8765") == "http://localhost:8765"
