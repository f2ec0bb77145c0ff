"""The sandbox over real HTTP on 127.0.0.1: auth, validation, faults, limits, paging, sign-in."""

import json
import re
import socket
import time

import pytest
import requests
from oauthlib.oauth1 import Client
from requests_oauthlib import OAuth1, OAuth1Session

from twconv_gui.sandbox import DEMO, SandboxServer, oauth

GOOD_EMAIL_HASH = "e586883b2b4faf78d48300a79e0e15138d664cdf796ffb86e533170a9893eda8"
PHONE_HASH = "1fa6b8d986d9b9cd01bf36951815158bbde9f520c0567c835dfe34783d0a4231"
UNAUTHORIZED = {
    "errors": [
        {"code": "UNAUTHORIZED_ACCESS", "message": "This request is not properly authenticated"}
    ],
    "request": {"params": {}},
}


def _error(response):
    body = response.json()
    assert body["request"] == {"params": {}}
    [error] = body["errors"]
    return error


# Accepting and authenticating


def test_signed_batch_is_accepted_and_recorded(sandbox, post, make_conversion):
    batch = [make_conversion(conversion_id=f"ORDER-{n}") for n in range(3)]

    response = post(batch)

    assert response.status_code == 200
    body = response.json()
    assert body["request"] == {"params": {"account_id": DEMO.account_id}}
    assert body["data"]["conversions_processed"] == 3
    debug_id = body["data"]["debug_id"]
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", debug_id)
    [accepted] = sandbox.accepted
    assert accepted.debug_id == debug_id
    assert accepted.pixel_id == DEMO.pixel_id
    assert accepted.received_at == pytest.approx(time.time(), abs=5)
    assert sandbox.accepted_conversions() == batch


def test_a_long_running_sandbox_keeps_only_its_most_recent_batches(session, make_conversion):
    # A sandbox left running for a day of uploads must not grow without end.
    with SandboxServer(keep_bytes=2000) as server:
        url = f"{server.base_url}/12/measurement/conversions/{DEMO.pixel_id}"
        debug_ids = []
        for n in range(8):
            batch = [make_conversion(conversion_id=f"ORDER-{n}-{i}") for i in range(3)]
            response = session.post(url, json={"conversions": batch}, timeout=10)
            assert response.status_code == 200
            debug_ids.append(response.json()["data"]["debug_id"])
        assert server.accepted_total == 8
        kept = [batch.debug_id for batch in server.accepted]
        assert 1 <= len(kept) < 8
        assert kept == debug_ids[-len(kept) :]  # the most recent, in order
        assert sum(len(batch.body) for batch in server.accepted) <= 2000
        assert server.accepted_conversions()[-1]["conversion_id"] == "ORDER-7-2"


def test_every_documented_field_and_identifier_is_accepted(sandbox, post, make_conversion):
    full = make_conversion(
        conversion_time="2024-03-01T07:30:00-05:00",
        event_id=f"tw-{DEMO.pixel_id}-{DEMO.events[1].id}",
        identifiers=[
            {"twclid": "26l6412g5p4iyj65a2oic2ayg2"},
            {"hashed_phone_number": PHONE_HASH},
            {"ip_address": "2001:db8::1", "user_agent": "Mozilla/5.0"},
        ],
        number_items=2,
        price_currency="EUR",
        value="20.00",
        description="two mugs",
        contents=[
            {
                "content_id": "SKU-1",
                "content_group_id": "MUGS",
                "content_name": "Mug",
                "content_price": 10.0,
                "content_type": "product",
                "num_items": 2,
            }
        ],
    )

    response = post([full, make_conversion(value=12.5, conversion_time="2024-03-01T12:30:00Z")])

    assert response.status_code == 200, response.text
    assert len(sandbox.accepted_conversions()) == 2


def test_wrong_consumer_secret_is_401(sandbox, post, demo_auth, make_conversion):
    response = post([make_conversion()], auth=demo_auth("not-the-secret"))

    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED
    assert sandbox.accepted == []


def test_unsigned_request_is_401(sandbox, make_conversion):
    url = f"{sandbox.base_url}/12/measurement/conversions/{DEMO.pixel_id}"

    response = requests.post(url, json={"conversions": [make_conversion()]}, timeout=10)

    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED
    assert sandbox.requests_seen == 1


def _signed_get(url: str, **client_args) -> requests.Response:
    client = Client(
        DEMO.consumer_key,
        client_secret=DEMO.consumer_secret,
        resource_owner_key=DEMO.access_token,
        resource_owner_secret=DEMO.access_token_secret,
        **client_args,
    )
    signed_url, headers, _ = client.sign(url, "GET")
    return requests.get(signed_url, headers=headers, timeout=10)


def test_reused_nonce_and_timestamp_is_refused(sandbox):
    url = f"{sandbox.base_url}/12/accounts"
    fixed = {"nonce": "sandboxnonce0123456789", "timestamp": str(int(time.time()))}

    assert _signed_get(url, **fixed).status_code == 200
    assert _signed_get(url, **fixed).status_code == 401
    assert _signed_get(url, nonce="anothernonce0123456789").status_code == 200


def test_nonces_are_remembered_while_their_timestamps_can_pass_and_then_forgotten(monkeypatch):
    # A long-running sandbox sees more than 10,000 requests within ten minutes: each must
    # still be checked against all of them, and none kept once its timestamp is too old.
    validator = oauth.SandboxValidator(DEMO)
    clock = [1_800_000_000.0]
    monkeypatch.setattr(oauth.time, "time", lambda: clock[0])

    def check(nonce: str, at: float) -> bool:
        return validator.validate_timestamp_and_nonce(
            DEMO.consumer_key, str(int(at)), nonce, None, access_token=DEMO.access_token
        )

    start = clock[0]
    assert all(check(f"nonce{i:08d}", start) for i in range(12_000))
    clock[0] += 300
    assert check("later-nonce-0001", clock[0])
    assert not check("nonce00000007", start)  # replayed within the window
    assert not check("later-nonce-0001", clock[0])
    assert validator.nonces_kept == 12_001
    clock[0] = start + oauth.TIMESTAMP_LIFETIME + 1  # the first 12,000 can no longer pass
    assert check("fresh-nonce-0001", clock[0])
    assert validator.nonces_kept == 2
    assert not check("later-nonce-0001", start + 300)  # still inside its own window


@pytest.mark.parametrize(("offset", "status"), [(-3600, 401), (-540, 200), (540, 200), (900, 401)])
def test_timestamps_are_accepted_within_ten_minutes(sandbox, offset, status):
    response = _signed_get(
        f"{sandbox.base_url}/12/accounts", timestamp=str(int(time.time()) + offset)
    )

    assert response.status_code == status


# Validation: the whole batch fails, and the message does not say which event


def test_naive_time_rejects_the_whole_batch(sandbox, post, make_conversion):
    batch = [make_conversion(), make_conversion(conversion_time="2024-03-01T12:30:00.000")]

    response = post(batch)

    assert response.status_code == 400
    error = _error(response)
    assert error["code"] == "INVALID_PARAMETER"
    assert error["parameter"] == "conversions"
    assert error["message"] == (
        'Expected time, got "2024-03-01T12:30:00.000" for conversion_time: use the format '
        "yyyy-MM-ddTHH:mm:ss.SSSZ, with Z or an offset such as +02:00"
    )
    assert not re.search(r"\bindex|\[", error["message"])  # no hint at which event
    assert sandbox.accepted == []


@pytest.mark.parametrize(
    "bad_hash",
    [
        "e586883b2b4faf78",  # too short
        GOOD_EMAIL_HASH.upper(),  # hex, but not lowercase
        "test-email@test.com",  # raw email
    ],
)
def test_bad_hashed_email_is_400_and_never_echoed(sandbox, post, make_conversion, bad_hash):
    response = post([make_conversion(identifiers=[{"hashed_email": bad_hash}])])

    assert response.status_code == 400
    message = _error(response)["message"]
    assert "hashed_email" in message
    assert bad_hash not in message
    assert "test-email" not in message
    assert sandbox.accepted == []


@pytest.mark.parametrize(
    "identifiers",
    [
        [{"ip_address": "203.0.113.7"}],  # alone: X wants another identifier or a user agent
        [{"user_agent": "Mozilla/5.0"}],  # alone: another identifier or an ip address
        [{"ip_address": "not-an-ip", "user_agent": "Mozilla/5.0"}, {"twclid": "abc"}],
        [{"twclid": "abc", "hashed_email": GOOD_EMAIL_HASH}],  # two in one object
        [{"email": "a@b.c"}],
        [],
    ],
)
def test_bad_identifiers_are_400(sandbox, post, make_conversion, identifiers):
    response = post([make_conversion(identifiers=identifiers)])

    assert response.status_code == 400
    assert _error(response)["code"] == "INVALID_PARAMETER"
    assert sandbox.accepted == []


@pytest.mark.parametrize(
    "fields",
    [
        {"number_items": 0},
        {"number_items": 1.5},
        {"price_currency": "XYZ"},
        {"price_currency": "usd"},
        {"value": "twenty"},
        {"value": True},
        {"conversion_id": 17},
        {"contents": [{"content_id": "A", "colour": "red"}]},
        {"contents": [{"content_price": "10.00"}]},
        {"contents": [{"num_items": 0}]},
        {"unknown_field": 1},
        {"conversion_time": "01/03/2024 12:30"},
        {"conversion_time": "2024-02-30T12:30:00Z"},
    ],
)
def test_malformed_optional_fields_are_400(sandbox, post, make_conversion, fields):
    response = post([make_conversion(), make_conversion(**fields)])

    assert response.status_code == 400
    assert _error(response)["code"] == "INVALID_PARAMETER"
    assert sandbox.accepted == []


def test_missing_required_field_is_400(sandbox, post, make_conversion):
    response = post([make_conversion(identifiers=None)])

    assert response.status_code == 400
    assert _error(response)["code"] == "MISSING_PARAMETER"


@pytest.mark.parametrize("event_id", ["zzzzz", f"tw-otherpx-{DEMO.events[0].id}", "o87ne "])
def test_unknown_event_is_404(sandbox, post, make_conversion, event_id):
    response = post([make_conversion(event_id=event_id)])

    assert response.status_code == 404
    body = response.json()
    assert body["request"] == {"params": {}}
    not_found, invalid = body["errors"]  # X answers a wrong event with both
    assert not_found["code"] == "NOT_FOUND"
    assert "does not belong to provided account" in not_found["message"]
    assert invalid["code"] == "INVALID_PARAMETER"
    assert invalid["parameter"] == "event_id"
    assert sandbox.accepted == []


def test_unknown_pixel_is_404(sandbox, post, make_conversion):
    response = post([make_conversion()], pixel="zzzzz")

    assert response.status_code == 404
    assert _error(response)["code"] == "NOT_FOUND"


def test_pixel_of_an_account_without_ad_manager_access_is_403(sandbox, post, make_conversion):
    other = DEMO.other_account
    response = post([make_conversion(event_id=other.events[0].id)], pixel=other.pixel_id)

    assert response.status_code == 403
    assert sandbox.accepted == []


def test_batch_size_is_1_to_500(sandbox, post, make_conversion):
    assert post([make_conversion()] * 501).status_code == 400
    assert post([]).status_code == 400
    assert post([make_conversion()] * 500).status_code == 200
    assert len(sandbox.accepted_conversions()) == 500


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"conversions": {}}', b'{"conversions": [], "extra": 1}', b"{}"],
)
def test_malformed_bodies_are_400(sandbox, session, body):
    url = f"{sandbox.base_url}/12/measurement/conversions/{DEMO.pixel_id}"

    response = session.post(
        url, data=body, headers={"Content-Type": "application/json"}, timeout=10
    )

    assert response.status_code == 400
    assert _error(response)["code"] in ("INVALID_PARAMETER", "MISSING_PARAMETER")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/12/nothing"),
        ("GET", "/v12/accounts"),
        ("GET", "/12/measurement/conversions/o8z6j"),
    ],
)
def test_unknown_routes_are_route_not_found(sandbox, session, method, path):
    response = session.request(method, sandbox.base_url + path, timeout=10)

    assert response.status_code == 404
    assert _error(response)["code"] == "ROUTE_NOT_FOUND"


# Faults


def test_429_fault_carries_a_future_reset_and_retry_after(sandbox, post, make_conversion):
    sandbox.faults.rate_limit(count=1, reset_in=30)

    limited = post([make_conversion()])
    after = post([make_conversion()])

    assert limited.status_code == 429
    assert _error(limited)["code"] == "TOO_MANY_REQUESTS"
    now = time.time()
    for prefix in ("x-rate-limit", "x-account-rate-limit"):
        assert now + 25 < int(limited.headers[f"{prefix}-reset"]) <= now + 32
        assert limited.headers[f"{prefix}-remaining"] == "0"
    assert 29 <= int(limited.headers["Retry-After"]) <= 30
    assert after.status_code == 200
    assert len(sandbox.accepted) == 1


def test_503_fault_then_the_next_request_succeeds(sandbox, post, make_conversion):
    sandbox.faults.add("503:2")

    statuses = [post([make_conversion()]).status_code for _ in range(3)]

    assert statuses == [503, 503, 200]
    assert len(sandbox.accepted) == 1
    assert sandbox.requests_seen == 3


def test_500_fault_is_x_error_json(sandbox, post, make_conversion):
    sandbox.faults.server_error(500)

    response = post([make_conversion()])

    assert response.status_code == 500
    assert response.headers["Content-Type"].startswith("application/json")
    assert "code" in _error(response)


def test_503html_fault_sends_an_html_page(sandbox, post, make_conversion):
    sandbox.faults.add("503html")

    response = post([make_conversion()])

    assert response.status_code == 503
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.text.lstrip().startswith("<!DOCTYPE html>")
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.text)


def test_drop_fault_closes_the_connection_without_an_answer(sandbox, post, make_conversion):
    sandbox.faults.drop()

    with pytest.raises(requests.ConnectionError):
        post([make_conversion()])
    assert post([make_conversion()]).status_code == 200
    assert len(sandbox.accepted) == 1
    assert sandbox.requests_seen == 2


def test_slow_fault_delays_the_answer(sandbox, post, make_conversion):
    sandbox.faults.add("slow:0.4")

    started = time.monotonic()
    slow = post([make_conversion()])
    slow_seconds = time.monotonic() - started
    started = time.monotonic()
    post([make_conversion()])
    fast_seconds = time.monotonic() - started

    assert slow.status_code == 200
    assert slow_seconds >= 0.4
    assert fast_seconds < 0.3


def test_reject_fault_refuses_only_batches_holding_that_id(sandbox, post, make_conversion):
    sandbox.faults.add("reject:ORDER-13")
    bad_batch = [make_conversion(conversion_id=f"ORDER-{n}") for n in range(10, 15)]
    good_batch = [make_conversion(conversion_id=f"ORDER-{n}") for n in range(20, 25)]

    refused = post(bad_batch)
    again = post(bad_batch)
    accepted = post(good_batch)

    assert refused.status_code == again.status_code == 400
    assert _error(refused)["code"] == "INVALID_PARAMETER"
    assert "ORDER-13" not in refused.text
    assert accepted.status_code == 200
    assert sandbox.accepted_conversions() == good_batch


def test_faults_do_not_touch_account_routes(sandbox, session):
    sandbox.faults.add("503:*")

    response = session.get(f"{sandbox.base_url}/12/accounts", timeout=10)

    assert response.status_code == 200


def test_latency_is_added_to_every_request(session):
    with SandboxServer(latency=0.2) as server:
        started = time.monotonic()
        response = session.get(f"{server.base_url}/12/accounts", timeout=10)

    assert response.status_code == 200
    assert time.monotonic() - started >= 0.2


# Rate limits


def test_rate_limit_headers_count_down_then_429_until_reset(session, make_conversion):
    with SandboxServer(rate_limit=3, rate_window=60) as server:
        url = f"{server.base_url}/12/measurement/conversions/{DEMO.pixel_id}"
        responses = [
            session.post(url, json={"conversions": [make_conversion()]}, timeout=10)
            for _ in range(4)
        ]

    remaining = [r.headers["x-rate-limit-remaining"] for r in responses]
    assert remaining == ["2", "1", "0", "0"]
    assert [r.headers["x-account-rate-limit-remaining"] for r in responses] == remaining
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert {r.headers["x-rate-limit-limit"] for r in responses} == {"3"}
    reset = int(responses[0].headers["x-rate-limit-reset"])
    assert time.time() + 50 < reset <= time.time() + 61
    assert int(responses[3].headers["Retry-After"]) > 0
    assert len(server.accepted) == 3


# Accounts and events


def test_accounts_list_both_accounts(sandbox, session):
    response = session.get(f"{sandbox.base_url}/12/accounts", timeout=10)

    body = response.json()
    assert [a["id"] for a in body["data"]] == [DEMO.account_id, DEMO.other_account.id]
    assert body["data"][0]["name"] == "Sandbox Coffee Co."
    assert body["data"][0]["approval_status"] == "ACCEPTED"
    assert body["next_cursor"] is None


def test_one_account_and_404_for_unknown(sandbox, session):
    base = f"{sandbox.base_url}/12/accounts"

    found = session.get(f"{base}/{DEMO.account_id}", timeout=10)
    missing = session.get(f"{base}/18ce5nothere", timeout=10)

    assert found.json()["data"]["name"] == DEMO.account_name
    assert missing.status_code == 404
    assert _error(missing)["code"] == "NOT_FOUND"


def test_user_access_grants_upload_only_on_the_main_account(sandbox, session):
    base = f"{sandbox.base_url}/12/accounts"

    main = session.get(f"{base}/{DEMO.account_id}/authenticated_user_access", timeout=10)
    other = session.get(f"{base}/{DEMO.other_account.id}/authenticated_user_access", timeout=10)

    assert {"ACCOUNT_ADMIN", "AD_MANAGER"} <= set(main.json()["data"]["permissions"])
    assert main.json()["data"]["user_id"] == DEMO.user_id
    assert not {"ACCOUNT_ADMIN", "AD_MANAGER"} & set(other.json()["data"]["permissions"])


def test_web_event_tags_pages_return_every_event_once(sandbox, session):
    url = f"{sandbox.base_url}/12/accounts/{DEMO.account_id}/web_event_tags"
    seen, pages, cursor = [], 0, None
    while True:
        params = {"count": 10, **({"cursor": cursor} if cursor else {})}
        body = session.get(url, params=params, timeout=10).json()
        seen += body["data"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break

    assert pages == 3
    assert [e["id"] for e in seen] == [e.id for e in DEMO.events]
    assert len(seen) == 25
    assert {"name": "Purchase", "type": "PURCHASE", "status": "ACTIVE"}.items() <= seen[0].items()
    assert {"click_window", "view_through_window", "created_at"} <= set(seen[0])


@pytest.mark.parametrize("params", [{"count": 0}, {"count": 1001}, {"cursor": "bogus"}])
def test_web_event_tags_refuses_bad_paging(sandbox, session, params):
    url = f"{sandbox.base_url}/12/accounts/{DEMO.account_id}/web_event_tags"

    response = session.get(url, params=params, timeout=10)

    assert response.status_code == 400


def test_web_event_tags_default_page_holds_all(sandbox, session):
    url = f"{sandbox.base_url}/12/accounts/{DEMO.account_id}/web_event_tags"

    body = session.get(url, timeout=10).json()

    assert len(body["data"]) == 25
    assert body["next_cursor"] is None


# PIN sign-in


def test_pin_sign_in_issues_a_token_that_uploads(sandbox, make_conversion):
    base = sandbox.base_url
    with OAuth1Session(
        DEMO.consumer_key, client_secret=DEMO.consumer_secret, callback_uri="oob"
    ) as start:
        request_token = start.fetch_request_token(f"{base}/oauth/request_token")
    assert request_token["oauth_callback_confirmed"] == "true"
    page = requests.get(
        f"{base}/oauth/authorize", params={"oauth_token": request_token["oauth_token"]}, timeout=10
    )
    shown_pin = re.search(r'<code id="pin">(\d{7})</code>', page.text)
    assert shown_pin is not None
    pin = sandbox.pin_for(request_token["oauth_token"])
    assert shown_pin.group(1) == pin

    with OAuth1Session(
        DEMO.consumer_key,
        client_secret=DEMO.consumer_secret,
        resource_owner_key=request_token["oauth_token"],
        resource_owner_secret=request_token["oauth_token_secret"],
        verifier=pin,
    ) as finish:
        access = finish.fetch_access_token(f"{base}/oauth/access_token")
    assert access["user_id"] == DEMO.user_id
    assert access["screen_name"] == DEMO.screen_name
    assert access["oauth_token"] != DEMO.access_token

    auth = OAuth1(
        DEMO.consumer_key,
        DEMO.consumer_secret,
        access["oauth_token"],
        access["oauth_token_secret"],
    )
    response = requests.post(
        f"{base}/12/measurement/conversions/{DEMO.pixel_id}",
        json={"conversions": [make_conversion()]},
        auth=auth,
        timeout=10,
    )
    assert response.status_code == 200
    with pytest.raises(KeyError):
        sandbox.pin_for(request_token["oauth_token"])  # exchanged: gone


def test_wrong_pin_is_refused(sandbox):
    base = sandbox.base_url
    with OAuth1Session(
        DEMO.consumer_key, client_secret=DEMO.consumer_secret, callback_uri="oob"
    ) as start:
        token = start.fetch_request_token(f"{base}/oauth/request_token")
    pin = sandbox.pin_for(token["oauth_token"])
    wrong = f"{(int(pin) + 1) % 10**7:07d}"
    auth = OAuth1(
        DEMO.consumer_key,
        DEMO.consumer_secret,
        token["oauth_token"],
        token["oauth_token_secret"],
        verifier=wrong,
    )

    response = requests.post(f"{base}/oauth/access_token", auth=auth, timeout=10)

    assert response.status_code == 401
    assert sandbox.pin_for(token["oauth_token"]) == pin  # still usable with the right PIN


def test_authorize_page_for_unknown_token_is_404(sandbox):
    response = requests.get(
        f"{sandbox.base_url}/oauth/authorize", params={"oauth_token": "nope"}, timeout=10
    )

    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")


def test_request_token_needs_the_consumer_secret(sandbox):
    auth = OAuth1(DEMO.consumer_key, "wrong-secret", callback_uri="oob")

    response = requests.post(f"{sandbox.base_url}/oauth/request_token", auth=auth, timeout=10)

    assert response.status_code == 401


# Lifecycle and transport


# The point of this test is that binding every interface is refused.
@pytest.mark.parametrize("host", ["0.0.0.0", "localhost", "::", "192.168.1.10", ""])  # noqa: S104
def test_only_loopback_can_be_bound(host):
    with pytest.raises(ValueError, match=r"127\.0\.0\.1"):
        SandboxServer(host=host)


def test_one_session_reuses_one_connection(sandbox, session):
    for _ in range(5):
        response = session.get(f"{sandbox.base_url}/12/accounts", timeout=10)
        assert response.status_code == 200

    assert sandbox.requests_seen == 5
    assert sandbox.connections_opened == 1


def test_stop_frees_the_port_and_is_idempotent():
    server = SandboxServer().start()
    url = f"{server.base_url}/12/accounts"
    port = server.port

    server.stop()
    server.stop()

    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=2)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", port))  # free again
    with pytest.raises(RuntimeError):
        _ = server.base_url


def test_stop_hangs_up_idle_keep_alive_connections(session):
    server = SandboxServer().start()
    assert session.get(f"{server.base_url}/12/accounts", timeout=10).status_code == 200

    started = time.monotonic()
    server.stop()

    assert time.monotonic() - started < 2


def _token_post(sandbox, conversions, token=DEMO.pixel_token, pixel=DEMO.pixel_id, **headers):
    url = f"{sandbox.base_url}/12/measurement/conversions/{pixel}"
    return requests.post(
        url,
        json={"conversions": conversions},
        headers={"X-Pixel-Token": token, **headers},
        timeout=10,
    )


def test_the_demo_pixel_token_uploads_without_oauth(sandbox, make_conversion):
    response = _token_post(sandbox, [make_conversion()])

    assert response.status_code == 200
    assert response.json()["data"]["conversions_processed"] == 1
    assert len(sandbox.accepted) == 1


@pytest.mark.parametrize(
    ("token", "pixel", "headers"),
    [
        ("sandbox-pixel-token-wrong-one", DEMO.pixel_id, {}),  # mistyped or revoked
        (DEMO.pixel_token, DEMO.other_account.pixel_id, {}),  # a token is for one pixel
        (DEMO.pixel_token, DEMO.pixel_id, {"Authorization": "OAuth oauth_token=x"}),  # mixed
    ],
)
def test_other_pixel_tokens_get_xs_401_body(sandbox, make_conversion, token, pixel, headers):
    response = _token_post(sandbox, [make_conversion()], token, pixel, **headers)

    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED
    assert sandbox.accepted == []


def test_a_pixel_token_reads_no_accounts(sandbox):
    response = requests.get(
        f"{sandbox.base_url}/12/accounts", headers={"X-Pixel-Token": DEMO.pixel_token}, timeout=10
    )

    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


def test_one_error_per_bad_conversion(sandbox, post, make_conversion):
    batch = [
        make_conversion(conversion_time="2024-03-01T12:30:00"),
        make_conversion(),
        make_conversion(identifiers=[{"hashed_email": "abc"}]),
        make_conversion(conversion_time="2024-03-02 08:00:00"),
    ]

    response = post(batch)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [e["code"] for e in errors] == ["INVALID_PARAMETER"] * 3
    assert [e["message"].split(" ")[0] for e in errors] == ["Expected", "hashed_email", "Expected"]
    assert sandbox.accepted == []
