"""The API client against a real local HTTP server: signing, parsing, transport failures."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import socket
import threading
import time
from email.utils import formatdate
from urllib.parse import urlsplit

import pytest
import requests
from oauthlib.common import Request
from oauthlib.oauth1.rfc5849 import signature, utils

from twconv_gui import __version__
from twconv_gui.core.api.client import (
    ApiClient,
    ApiSettings,
    RateLimit,
    TransportError,
)
from twconv_gui.core.errors import TwconvError

CONVERSIONS = [
    {
        "conversion_time": "2022-02-18T01:14:00.603Z",
        "event_id": "o87ne",
        "identifiers": [{"twclid": "26l6412g5p4iyj65a2oic2ayg2"}],
        "value": "20.00",
        "description": "Crème brûlée",
    },
    {
        "conversion_time": "2022-02-18T01:15:00.000Z",
        "event_id": "o87ne",
        "identifiers": [{"hashed_email": "e5" * 32}],
    },
]


def _secrets(credentials):
    return (credentials.consumer_secret, credentials.access_token_secret)


def _verify_signature(recorded, base_url, credentials):
    """Recompute the HMAC-SHA1 signature from the raw request, without the body."""
    header = recorded.headers["Authorization"]
    oauth = {k: utils.unescape(v) for k, v in utils.parse_authorization_header(header)}
    parts = urlsplit(recorded.path)
    params = signature.collect_parameters(
        uri_query=parts.query,
        headers={"Authorization": header},
        exclude_oauth_signature=True,
    )
    base_string = signature.signature_base_string(
        recorded.method,
        signature.base_string_uri(base_url + parts.path),
        signature.normalize_parameters(params),
    )
    secrets = (credentials.consumer_secret, credentials.access_token_secret)
    key = "&".join(utils.escape(secret) for secret in secrets)
    digest = hmac.new(key.encode(), base_string.encode(), hashlib.sha1).digest()
    expected = base64.b64encode(digest).decode()
    return oauth, base_string, expected


def test_post_is_signed_with_oauth_hmac_sha1_without_the_body(client, fake_api, credentials):
    response = client.post_conversions("o8z6j", CONVERSIONS)

    assert response.ok
    [recorded] = fake_api.requests
    assert recorded.method == "POST"
    assert recorded.path == "/12/measurement/conversions/o8z6j"
    assert recorded.headers["Authorization"].startswith("OAuth ")
    oauth, base_string, expected = _verify_signature(recorded, fake_api.base_url, credentials)
    assert oauth["oauth_signature_method"] == "HMAC-SHA1"
    assert oauth["oauth_consumer_key"] == credentials.consumer_key
    assert oauth["oauth_token"] == credentials.access_token
    assert oauth["oauth_version"] == "1.0"
    assert "oauth_body_hash" not in oauth
    assert oauth["oauth_signature"] == expected
    # the JSON body is not signed: only the oauth_* parameters are in the base string
    signed = utils.unescape(base_string.split("&")[2]).split("&")
    assert sorted(pair.split("=")[0] for pair in signed) == sorted(
        key for key in oauth if key != "oauth_signature"
    )
    assert "o87ne" not in base_string
    # the same check with oauthlib's own verifier, handed the raw body as the server got it
    request = Request(
        fake_api.base_url + recorded.path, "POST", recorded.body.decode(), recorded.headers
    )
    request.params = signature.collect_parameters(
        body=request.body, headers=request.headers, exclude_oauth_signature=True
    )
    request.signature = oauth["oauth_signature"]
    assert signature.verify_hmac_sha1(
        request, credentials.consumer_secret, credentials.access_token_secret
    )
    assert not signature.verify_hmac_sha1(request, credentials.consumer_secret, "wrong")


def test_post_sends_the_exact_json_body_and_user_agent(client, fake_api):
    client.post_conversions("o8z6j", CONVERSIONS)

    [recorded] = fake_api.requests
    assert recorded.headers["Content-Type"] == "application/json"
    assert json.loads(recorded.body.decode("utf-8")) == {"conversions": CONVERSIONS}
    assert "Crème brûlée".encode() in recorded.body  # UTF-8, not \\u escapes
    assert recorded.headers["User-Agent"] == (
        f"twconv-gui/{__version__} (+python-requests/{requests.__version__})"
    )


def test_custom_user_agent(fake_api, credentials):
    with ApiClient(
        credentials, ApiSettings(base_url=fake_api.base_url), user_agent="twconv-gui-tests/1"
    ) as custom:
        custom.get("accounts")
    assert fake_api.requests[0].headers["User-Agent"] == "twconv-gui-tests/1"


def test_success_body_is_parsed(client, fake_api):
    fake_api.answer(
        200,
        {
            "request": {"params": {"account_id": "18ce552mlaq"}},
            "data": {"conversions_processed": 2, "debug_id": "ff02e052-36e4"},
        },
        {"x-rate-limit-limit": "100000", "x-rate-limit-remaining": "99990"},
    )

    response = client.post_conversions("o8z6j", CONVERSIONS)

    assert response.status == 200
    assert response.ok
    assert response.processed == 2
    assert response.debug_id == "ff02e052-36e4"
    assert response.account_id == "18ce552mlaq"
    assert response.data == {"conversions_processed": 2, "debug_id": "ff02e052-36e4"}
    assert response.errors == ()
    assert response.rate.limit == 100000
    assert response.rate.remaining == 99990
    assert response.elapsed > 0
    assert response.describe() == "200 OK: 2 conversions processed (debug id ff02e052-36e4)"


def test_error_body_is_parsed(client, fake_api):
    fake_api.answer(
        400,
        {
            "errors": [
                {
                    "code": "INVALID_PARAMETER",
                    "message": "hashed_email (abc) is not a valid SHA-256 hash",
                    "parameter": "conversions",
                },
                {"code": "MISSING_PARAMETER", "message": "event_id is missing"},
            ],
            "request": {"params": {}},
        },
    )

    response = client.post_conversions("o8z6j", CONVERSIONS)

    assert not response.ok
    assert response.is_bad_request
    assert not response.is_transient
    assert [(e.code, e.parameter) for e in response.errors] == [
        ("INVALID_PARAMETER", "conversions"),
        ("MISSING_PARAMETER", None),
    ]
    assert response.errors[0].message == "hashed_email (abc) is not a valid SHA-256 hash"
    assert response.describe() == (
        "400 INVALID_PARAMETER: hashed_email (abc) is not a valid SHA-256 hash "
        "(parameter: conversions) (+1 more)"
    )


def test_503_html_page_keeps_the_status(client, fake_api):
    page = (
        "<html><head><title>503 Service Temporarily Unavailable</title></head>\n"
        "<body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>"
    )
    fake_api.answer(503, page, {"Content-Type": "text/html"})

    response = client.post_conversions("o8z6j", CONVERSIONS)

    assert response.status == 503
    assert response.errors == ()
    assert response.data is None
    assert response.is_transient
    assert response.text_excerpt.startswith("<html><head><title>503")
    assert response.describe() == "503 (non-JSON body: 503 Service Temporarily Unavailable)"


def test_over_capacity_json_error(client, fake_api):
    fake_api.answer(503, {"errors": [{"code": "SERVICE_UNAVAILABLE", "message": "Over capacity"}]})
    response = client.post_conversions("o8z6j", CONVERSIONS)
    assert response.is_transient
    assert response.describe() == "503 SERVICE_UNAVAILABLE: Over capacity"


def test_rate_headers_account_level_takes_precedence(client, fake_api):
    fake_api.answer(
        200,
        {"data": {}},
        {
            "x-rate-limit-limit": "100000",
            "x-rate-limit-remaining": "50000",
            "x-rate-limit-reset": "1700000000",
            "x-account-rate-limit-limit": "60000",
            "x-account-rate-limit-remaining": "12",
            "x-account-rate-limit-reset": "1700000900",
        },
    )
    rate = client.get("accounts").rate
    assert rate == RateLimit(limit=60000, remaining=12, reset_at=1700000900.0, retry_after=None)


def test_retry_after_seconds_and_http_date(client, fake_api):
    fake_api.answer(429, {"errors": [{"code": "TOO_MANY_REQUESTS"}]}, {"Retry-After": "17"})
    response = client.post_conversions("o8z6j", CONVERSIONS)
    assert response.is_rate_limited
    assert response.rate.retry_after == 17.0

    fake_api.answer(429, b"", {"Retry-After": formatdate(time.time() + 120, usegmt=True)})
    retry_after = client.post_conversions("o8z6j", CONVERSIONS).rate.retry_after
    assert retry_after is not None
    assert 115 <= retry_after <= 121


def test_get_builds_url_and_signs_query(client, fake_api, credentials):
    fake_api.answer(200, {"data": [{"id": "o8z6j", "name": "Purchase"}], "next_cursor": "c-2"})

    response = client.get("accounts/18ce552mlaq/web_event_tags", {"count": 1000, "cursor": "c 1"})

    [recorded] = fake_api.requests
    assert recorded.method == "GET"
    assert recorded.path == "/12/accounts/18ce552mlaq/web_event_tags?count=1000&cursor=c+1"
    oauth, _base, expected = _verify_signature(recorded, fake_api.base_url, credentials)
    assert oauth["oauth_signature"] == expected
    assert response.data == [{"id": "o8z6j", "name": "Purchase"}]
    assert response.next_cursor == "c-2"
    assert client.url("/accounts") == f"{fake_api.base_url}/12/accounts"


@pytest.mark.parametrize("path", ["", "../oauth/request_token", "https://evil/x", "a?b=1"])
def test_url_rejects_paths_that_are_not_api_paths(client, path):
    with pytest.raises(TwconvError, match="not an X Ads API path"):
        client.url(path)


@pytest.mark.parametrize("pixel", ["O8Z6J", "tw-o8z6j", "", "o8z 6j", "ö8z6j"])
def test_pixel_id_is_validated_before_sending(client, fake_api, pixel):
    with pytest.raises(TwconvError, match=r"Pixel id .* is not valid"):
        client.post_conversions(pixel, CONVERSIONS)
    assert fake_api.requests == []


def test_non_finite_value_is_refused_before_sending(client, fake_api):
    with pytest.raises(TwconvError, match="cannot be sent as JSON"):
        client.post_conversions("o8z6j", [{"value": float("nan")}])
    assert fake_api.requests == []


def test_read_timeout_is_a_transport_error(fake_api, credentials):
    fake_api.answer(200, {"data": {}}, hold=True)
    settings = ApiSettings(base_url=fake_api.base_url, read_timeout=0.2)
    with ApiClient(credentials, settings) as slow, pytest.raises(TransportError) as caught:
        slow.post_conversions("o8z6j", CONVERSIONS)
    assert caught.value.kind == "timeout"
    assert "did not answer within 0.2 s" in str(caught.value)
    assert "conversions/" not in str(caught.value)
    assert not any(secret in repr(caught.value) for secret in _secrets(credentials))


def test_refused_connection_is_a_transport_error(credentials):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = ApiSettings(base_url=f"http://127.0.0.1:{port}", connect_timeout=2)
    with ApiClient(credentials, settings) as offline, pytest.raises(TransportError) as caught:
        offline.get("accounts", {"cursor": "private-cursor"})
    assert caught.value.kind == "connection"
    message = str(caught.value)
    assert message.startswith(f"Connection to 127.0.0.1:{port} failed")
    assert "refused" in message.lower()
    assert "private-cursor" not in message
    assert caught.value.__cause__ is None
    assert not any(secret in repr(caught.value) for secret in _secrets(credentials))


def test_proxy_variables_of_the_environment_are_honoured(fake_api, credentials, monkeypatch):
    # Offices route traffic through a proxy named in the environment; NO_PROXY exempts hosts.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_proxy = f"http://127.0.0.1:{probe.getsockname()[1]}"
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", dead_proxy)
    monkeypatch.setenv("http_proxy", dead_proxy)
    settings = ApiSettings(base_url=fake_api.base_url, connect_timeout=2, read_timeout=5)
    with ApiClient(credentials, settings) as proxied, pytest.raises(TransportError):
        proxied.post_conversions("o8z6j", CONVERSIONS)
    assert fake_api.requests == []
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    with ApiClient(credentials, settings) as direct:
        assert direct.post_conversions("o8z6j", CONVERSIONS).ok
    assert len(fake_api.requests) == 1


def test_one_connection_is_kept_alive_per_thread(client, fake_api):
    for _ in range(5):
        assert client.post_conversions("o8z6j", CONVERSIONS).ok
    ports = {recorded.client_port for recorded in fake_api.requests}
    assert len(fake_api.requests) == 5
    assert len(ports) == 1  # one TCP connection for five requests

    seen: dict[str, set[int]] = {}
    barrier = threading.Barrier(2)

    def work(name):
        barrier.wait()
        before = len(fake_api.requests)
        client.get("accounts")
        client.get("accounts")
        seen[name] = {r.client_port for r in fake_api.requests[before:]}

    threads = [threading.Thread(target=work, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert len(client._sessions) == 3  # the test thread's and one per worker thread
    assert len({id(session) for session in client._sessions}) == 3
    all_ports = {port for ports in seen.values() for port in ports} | ports
    assert len(all_ports) == 3  # each thread on its own connection

    client.close()
    assert client._sessions == []
    assert client.get("accounts").ok  # a closed client opens a fresh session on demand


def test_debug_logs_never_show_secrets(client, fake_api, credentials, caplog):
    caplog.set_level(logging.DEBUG)
    client.post_conversions("o8z6j", CONVERSIONS)
    assert "Authorization" in caplog.text  # requests-oauthlib did log the signing
    for secret in _secrets(credentials):
        assert secret not in caplog.text


def test_reprs_and_messages_never_show_secrets(client, credentials):
    texts = [repr(credentials), str(credentials), repr(client), str(client)]
    for bad in (
        lambda: client.post_conversions(credentials.consumer_secret, []),
        lambda: ApiSettings(base_url=f"https://{credentials.access_token_secret}.x/path"),
        lambda: ApiSettings(base_url=f"https://user:{credentials.consumer_secret}@ads-api.x.com"),
        lambda: ApiSettings(version=credentials.access_token_secret),
        lambda: client.url(credentials.consumer_secret + "?x"),
    ):
        with pytest.raises(TwconvError) as caught:
            bad()
        texts.append(str(caught.value))
    for text in texts:
        for secret in _secrets(credentials):
            assert secret not in text
            assert secret[:20] not in text
    assert "ckey…GHIJ" in repr(credentials)
    assert "http://127.0.0.1" in repr(client)
