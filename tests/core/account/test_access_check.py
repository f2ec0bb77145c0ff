"""Connection test and pickers against the Sandbox: verdicts in words, every event once."""

import json
import socket
from dataclasses import replace

import pytest

from twconv_gui.core.account import access_check
from twconv_gui.core.account.access_check import ConnectionReport, Verdict, verdict_for
from twconv_gui.core.account.ad_accounts import list_accounts, list_events
from twconv_gui.core.api.client import ApiClient, ApiResponse, ApiSettings
from twconv_gui.core.api.credentials import Credentials
from twconv_gui.core.errors import TwconvError
from twconv_gui.sandbox import DEMO, SandboxServer

DEMO_CREDENTIALS = Credentials(
    DEMO.consumer_key, DEMO.consumer_secret, DEMO.access_token, DEMO.access_token_secret
)
WRONG_SECRET = "this-is-not-the-token-secret-at-all"


@pytest.fixture
def sandbox():
    with SandboxServer() as server:
        yield server


@pytest.fixture
def settings(sandbox):
    return ApiSettings(base_url=sandbox.base_url, connect_timeout=2, read_timeout=5)


@pytest.fixture
def client(settings):
    with ApiClient(DEMO_CREDENTIALS, settings) as api:
        yield api


def check(credentials, settings, account_id):
    report = access_check.test_connection(credentials, settings, account_id)
    assert isinstance(report, ConnectionReport)
    return report


def test_works_for_the_main_account(settings):
    report = check(DEMO_CREDENTIALS, settings, DEMO.account_id)
    assert report.ok
    assert report.verdict is Verdict.WORKS
    assert report.account.name == DEMO.account_name
    assert {"AD_MANAGER", "ACCOUNT_ADMIN"} <= set(report.permissions)
    assert "can upload conversions to ad account “Sandbox Coffee Co.”" in report.message


def test_wrong_keys_no_access_and_network_are_told_apart(settings, closed_port_settings):
    wrong = replace(DEMO_CREDENTIALS, access_token_secret=WRONG_SECRET)
    reports = {
        "wrong keys": check(wrong, settings, DEMO.account_id),
        "look-only account": check(DEMO_CREDENTIALS, settings, DEMO.other_account.id),
        "unknown account": check(DEMO_CREDENTIALS, settings, "zzzzzzzzzzz"),
        "network": check(DEMO_CREDENTIALS, closed_port_settings, DEMO.account_id),
    }
    assert {name: r.verdict for name, r in reports.items()} == {
        "wrong keys": Verdict.WRONG_KEYS,
        "look-only account": Verdict.NO_ACCESS_TO_ACCOUNT,
        "unknown account": Verdict.NO_ACCESS_TO_ACCOUNT,
        "network": Verdict.NETWORK,
    }
    assert "X refused the credentials (401)" in reports["wrong keys"].message
    assert reports["wrong keys"].detail.startswith("401 UNAUTHORIZED_ACCESS")
    look_only = reports["look-only account"]
    assert look_only.permissions == ("CAMPAIGN_ANALYST",)
    assert "needs the Ad manager or Account admin role" in look_only.message
    assert "no access to ad account zzzzzzzzzzz (404)" in reports["unknown account"].message
    assert "Could not reach X's Ads API at 127.0.0.1" in reports["network"].message
    assert "Connection refused" in reports["network"].message
    for report in reports.values():
        assert not report.ok
        assert WRONG_SECRET not in report.message + report.detail
        assert DEMO.access_token_secret not in report.message + report.detail


def test_without_an_account_the_keys_alone_are_checked(settings):
    report = check(DEMO_CREDENTIALS, settings, None)
    assert (report.verdict, report.accounts_reachable) == (Verdict.WORKS, 2)
    assert "they reach 2 ad accounts" in report.message


def test_malformed_account_id_is_no_request(settings, sandbox):
    report = check(DEMO_CREDENTIALS, settings, "../accounts")
    assert report.verdict is Verdict.NO_ACCESS_TO_ACCOUNT
    assert "is not valid" in report.message
    assert sandbox.requests_seen == 0


def error_response(status, code=None, body=None):
    if body is None:
        body = json.dumps({"errors": [{"code": code, "message": "..."}]}).encode()
    return ApiResponse.from_http(status, {}, body)


@pytest.mark.parametrize(
    ("status", "code", "account", "verdict"),
    [
        (403, "UNAUTHORIZED_CLIENT_APPLICATION", "18ce54d4x5t", Verdict.NO_ADS_API_ACCESS),
        (403, "UNAUTHORIZED_CLIENT_APPLICATION", None, Verdict.NO_ADS_API_ACCESS),
        (403, "UNAUTHORIZED_ACCESS", "18ce54d4x5t", Verdict.NO_ACCESS_TO_ACCOUNT),
        (403, "ACCOUNT_LOCKED_OUT", "18ce54d4x5t", Verdict.NO_ACCESS_TO_ACCOUNT),
        (401, "UNAUTHORIZED_ACCESS", None, Verdict.WRONG_KEYS),
        (404, "ROUTE_NOT_FOUND", "18ce54d4x5t", Verdict.API_PROBLEM),
        (429, "TOO_MANY_REQUESTS", "18ce54d4x5t", Verdict.API_PROBLEM),
        (503, "SERVICE_UNAVAILABLE", None, Verdict.API_PROBLEM),
    ],
)
def test_verdicts_of_refusals(status, code, account, verdict):
    found, message = verdict_for(error_response(status, code), account)
    assert found is verdict
    assert message.endswith(".")


def test_no_ads_api_access_says_to_apply_for_it():
    _verdict, message = verdict_for(error_response(403, "UNAUTHORIZED_CLIENT_APPLICATION"))
    assert "Apply for Ads API access" in message


def test_html_404_points_at_the_api_settings():
    verdict, message = verdict_for(error_response(404, body=b"<html>Not Found</html>"), "x1")
    assert verdict is Verdict.API_PROBLEM
    assert "API base URL" in message


def test_list_accounts(client):
    accounts = list_accounts(client)
    assert [(a.id, a.name) for a in accounts] == [
        (DEMO.account_id, DEMO.account_name),
        (DEMO.other_account.id, DEMO.other_account.name),
    ]
    assert accounts[0].business_name == DEMO.business_name


def test_events_of_every_page_once(client, sandbox):
    before = sandbox.requests_seen
    events = list_events(client, DEMO.account_id, page_size=10)
    assert sandbox.requests_seen - before == 3  # 10 + 10 + 5
    assert [e.event_id for e in events] == [e.id for e in DEMO.events]
    purchase = events[0]
    assert (purchase.name, purchase.type, purchase.status, purchase.pixel_id) == (
        "Purchase",
        "PURCHASE",
        "ACTIVE",
        DEMO.pixel_id,
    )


def test_events_in_one_request_by_default(client, sandbox):
    assert len(list_events(client, DEMO.account_id)) == 25
    assert sandbox.requests_seen == 1


def test_listing_failures_say_what_to_check(client, settings):
    with pytest.raises(TwconvError, match="ad account zzzzzzzzzzz: X answered 404 NOT_FOUND"):
        list_events(client, "zzzzzzzzzzz")
    wrong = replace(DEMO_CREDENTIALS, consumer_secret=WRONG_SECRET)
    with ApiClient(wrong, settings) as refused, pytest.raises(TwconvError) as caught:
        list_accounts(refused)
    assert "twconv credentials test" in str(caught.value)
    assert WRONG_SECRET not in str(caught.value)
    with pytest.raises(TwconvError, match="is not valid"):
        list_events(client, "a/b")


def test_listing_network_failure(closed_port_settings):
    expected = "Could not list your ad accounts: Connection to"
    with (
        ApiClient(DEMO_CREDENTIALS, closed_port_settings) as client,
        pytest.raises(TwconvError, match=expected),
    ):
        list_accounts(client)


@pytest.fixture
def closed_port_settings():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return ApiSettings(base_url=f"http://127.0.0.1:{port}", connect_timeout=2, read_timeout=2)
