"""Fault rules as `twconv sandbox --fault` reads them, and the `twconv sandbox` banner."""

import io
import re
import threading

import pytest
import requests

from twconv_gui.sandbox import DEMO, Faults, run_sandbox


@pytest.mark.parametrize(
    ("rule", "kind", "status", "html", "seconds"),
    [
        ("429", "rate_limit", 0, False, 2.0),
        ("429:1:7.5", "rate_limit", 0, False, 7.5),
        ("500", "server_error", 500, False, 0.0),
        ("503", "server_error", 503, False, 0.0),
        ("503html", "server_error", 503, True, 0.0),
        ("drop", "drop", 0, False, 0.0),
    ],
)
def test_failure_rules_parse(rule, kind, status, html, seconds):
    faults = Faults()
    faults.add(rule)

    action = faults.next_action()

    assert (action.kind, action.status, action.html, action.reset_in) == (
        kind,
        status,
        html,
        seconds,
    )
    assert faults.next_action().kind is None  # COUNT defaults to 1


def test_counts_and_forever():
    faults = Faults()
    faults.add("503:2")
    faults.add("slow:0.25:*")

    actions = [faults.next_action() for _ in range(4)]

    assert [a.kind for a in actions] == ["server_error", "server_error", None, None]
    assert {a.delay for a in actions} == {0.25}


def test_failures_apply_in_the_order_added():
    faults = Faults()
    faults.add("drop")
    faults.add("429:1:3")

    assert [faults.next_action().kind for _ in range(3)] == ["drop", "rate_limit", None]


def test_reject_matches_conversion_ids_until_cleared():
    faults = Faults()
    faults.add("reject:ORDER-7")

    assert faults.rejects(["ORDER-6", "ORDER-7"])
    assert not faults.rejects(["ORDER-6", None])
    faults.clear()
    assert not faults.rejects(["ORDER-7"])


@pytest.mark.parametrize(
    "rule",
    [
        "404",
        "503:0",
        "503:x",
        "503:1:2",
        "429:1:soon",
        "slow",
        "slow:-1",
        "slow:nan",
        "drop:1:2",
        "reject",
        "reject:",
        "",
    ],
)
def test_bad_rules_raise_with_the_syntax(rule):
    with pytest.raises(ValueError, match=r"fault rule .*429\[:COUNT\[:RESET_SECONDS\]\]"):
        Faults().add(rule)


def test_run_sandbox_prints_how_to_use_it_and_serves_until_stopped():
    out = io.StringIO()
    stop = threading.Event()
    result: list[int] = []
    thread = threading.Thread(
        target=lambda: result.append(run_sandbox(0, ["503html:2"], out, until=stop))
    )
    thread.start()
    try:
        for _ in range(100):
            if "Active faults" in out.getvalue():
                break
            threading.Event().wait(0.05)
        banner = out.getvalue()
        base_url = re.search(r"listening on (http://127\.0\.0\.1:\d+)", banner).group(1)
        assert requests.get(f"{base_url}/12/accounts", timeout=10).status_code == 401
    finally:
        stop.set()
        thread.join(10)

    assert result == [0]
    for expected in (
        f"TWCONV_CONSUMER_KEY={DEMO.consumer_key}",
        f"TWCONV_CONSUMER_SECRET={DEMO.consumer_secret}",
        f"TWCONV_ACCESS_TOKEN={DEMO.access_token}",
        f"TWCONV_ACCESS_TOKEN_SECRET={DEMO.access_token_secret}",
        f"--api-base {base_url}",
        DEMO.account_id,
        DEMO.pixel_id,
        "o87ne Purchase",
        "503html[:COUNT]",
        "503 (HTML page) (next 2)",
    ):
        assert expected in banner
    assert out.getvalue().endswith("Sandbox stopped.\n")


def test_run_sandbox_refuses_a_bad_rule():
    out = io.StringIO()

    assert run_sandbox(0, ["explode"], out) == 2
    assert "explode" in out.getvalue()
