"""Parsing X Ads API answers: status classes, rate-limit headers, odd bodies."""

from __future__ import annotations

import pytest

from twconv_gui.core.api.responses import ApiResponse, RateLimit


@pytest.mark.parametrize(
    ("status", "flag"),
    [
        (400, "is_bad_request"),
        (401, "is_auth_problem"),
        (403, "is_auth_problem"),
        (404, "is_not_found"),
        (429, "is_rate_limited"),
        (408, "is_transient"),
        (423, "is_transient"),
        (502, "is_transient"),
        (599, "is_transient"),
    ],
)
def test_status_classes(status, flag):
    response = ApiResponse(status=status)
    flags = ["is_bad_request", "is_auth_problem", "is_not_found", "is_rate_limited"]
    flags.append("is_transient")
    assert [name for name in flags if getattr(response, name)] == [flag]
    assert not response.ok


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, RateLimit()),
        (
            {"X-Rate-Limit-Remaining": "junk", "x-rate-limit-limit": "-5", "Retry-After": "soon"},
            RateLimit(),
        ),
        (
            {"x-account-rate-limit-remaining": "", "x-rate-limit-remaining": "7"},
            RateLimit(remaining=7),
        ),
        ({"x-rate-limit-reset": "1700000000000"}, RateLimit(reset_at=1700000000.0)),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, RateLimit(retry_after=0.0)),
        ({"retry-after": "1.5"}, RateLimit(retry_after=1.5)),
        ({"retry-after": "nan"}, RateLimit()),
    ],
)
def test_rate_headers_tolerate_junk(headers, expected):
    assert RateLimit.from_headers(headers, now=1_800_000_000.0) == expected


def test_redirect_names_its_target_without_query():
    response = ApiResponse.from_http(
        301, {"Location": "https://ads-api.x.com/12/accounts?cursor=secret"}, b""
    )
    assert (
        response.describe()
        == "301 Moved Permanently (redirected to https://ads-api.x.com/12/accounts)"
    )


@pytest.mark.parametrize(
    ("body", "data", "shown"),
    [
        (b"", None, "502 Bad Gateway"),
        (b"[1, 2]", [1, 2], "502 Bad Gateway"),
        (
            b'{"errors": ["plain text error"]}',
            {"errors": ["plain text error"]},
            "502 UNKNOWN: plain text error",
        ),
        (b"\xff\xfe oops", None, "502 (non-JSON body: \ufffd\ufffd oops)"),
        (b"<p>upstream <b>timed out</b></p>", None, "502 (non-JSON body: upstream timed out)"),
    ],
)
def test_odd_bodies_never_raise(body, data, shown):
    response = ApiResponse.from_http(502, {}, body)
    assert response.data == data
    assert response.describe() == shown
    assert response.is_transient


def test_non_json_excerpt_is_cut_at_300_characters():
    response = ApiResponse.from_http(500, {}, b"x" * 1000)
    assert response.text_excerpt == "x" * 300
    assert response.describe() == f"500 (non-JSON body: {'x' * 120}…)"
