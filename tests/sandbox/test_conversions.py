"""The sandbox's batch checks on arbitrary input: an X-style error or acceptance, never a crash."""

import json

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from twconv_gui.sandbox import DEMO
from twconv_gui.sandbox.conversions import check_batch, check_conversion, parse_batch
from twconv_gui.sandbox.replies import ApiError

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=12,
)
field_names = st.sampled_from(
    ["conversion_time", "event_id", "identifiers", "value", "contents", "number_items", "x"]
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(field_names, json_values, max_size=6))
def test_any_conversion_is_accepted_or_refused_with_an_api_error(fields):
    refusal: ApiError | None = None
    try:
        [conversion] = parse_batch(json.dumps({"conversions": [fields]}).encode())
        check_conversion(conversion, DEMO.account)
    except ApiError as error:
        refusal = error
    if refusal is not None:
        assert refusal.status in (400, 404)
        assert refusal.code in ("INVALID_PARAMETER", "MISSING_PARAMETER", "NOT_FOUND")
    else:
        assert set(fields) >= {"conversion_time", "event_id", "identifiers"}


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=64))
def test_any_body_is_refused_with_400(body):
    with pytest.raises(ApiError) as refusal:
        parse_batch(body)
    assert refusal.value.status == 400


def test_nan_is_not_a_value():
    body = b'{"conversions": [{"value": NaN}]}'
    with pytest.raises(ApiError) as refusal:
        parse_batch(body)
    assert refusal.value.status == 400


def test_a_count_beyond_64_bits_is_refused_as_x_refuses_it():
    # X keeps counts in 64-bit integers; a longer one is not a whole number it can take.
    body = json.dumps({"conversions": [{**VALID, "number_items": 2**64}]}).encode()
    with pytest.raises(ApiError, match="number_items must be a whole number") as refusal:
        check_batch(parse_batch(body), DEMO.account)
    assert refusal.value.status == 400
    fits = json.dumps({"conversions": [{**VALID, "number_items": 2**63 - 1}]}).encode()
    check_batch(parse_batch(fits), DEMO.account)


def test_text_json_allows_but_utf8_cannot_hold_is_still_read():
    # A lone surrogate escape is valid JSON text: the strict parser declines, json reads it.
    body = json.dumps({"conversions": [{**VALID, "conversion_id": "B-\ud800"}]}).encode()
    [conversion] = parse_batch(body)
    assert conversion["conversion_id"] == "B-\ud800"


VALID = {
    "conversion_time": "2026-10-24T14:29:51.000Z",
    "event_id": DEMO.events[0].id,
    "identifiers": [{"hashed_email": "ab" * 32}, {"twclid": "26l6412g5p4iyj65a2oic2ayg2"}],
    "value": 20.5,
    "number_items": 2,
    "conversion_id": "B-1",
    "description": "Crème brûlée",
}
NEAR = [
    "2026-10-24T14:29:51Z",
    "2026-13-24T14:29:51Z",
    "2026-10-24T14:29:51.000Z",
    "2026-10-24T14:29:61.000Z",
    "2026-10-24T14:29:51.000+",
    "٢٠٢٦-10-24T14:29:51.000Z",
    "2026-10-24T14:29:51.1234567890Z",
    "ab" * 31 + "0g",
    "ab" * 31 + "0é",
    "EUR",
    "usd",
    "XXQ",
    2**70,
    "2026-10-24 14:29:51",
    f"tw-{DEMO.pixel_id}-{DEMO.events[0].id}",
    "tw-other-o87ne",
    "",
    " ",
    "20.50",
    "AB" * 32,
    "ab" * 31,
    True,
    0,
    -1,
    1.5,
    1e308,
    [{"hashed_phone_number": "cd" * 32}],
    [{"ip_address": "203.0.113.9", "user_agent": "Mozilla/5.0"}],
    [{"hashed_email": "ab" * 32, "twclid": "x"}],
    [{"twclid": " "}],
    [{"hashed_email": "AB" * 32}],
    [{"hashed_email": "ab" * 31}],
    [{"hashed_phone_number": "ab" * 31 + "0g"}, {"twclid": "x"}],
    [{"hashed_email": None}],
    [{"hashed_email": "ab" * 32, "hashed_phone_number": "cd" * 32}],
    [{}],
    [[{"hashed_email": "ab" * 32}]],
    {"hashed_email": "ab" * 32},
    [],
    "USD",
    [{"content_id": "sku", "num_items": 1}],
]
near_values = json_values | st.sampled_from(NEAR)


def _outcome(check, conversion):
    try:
        check(conversion)
    except ApiError as error:
        return error.status, error.code, error.message
    return None


@settings(max_examples=400, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([*VALID, "price_currency", "contents", "x"]), near_values, max_size=3
    ),
    st.sets(st.sampled_from(list(VALID)), max_size=2),
)
def test_the_quick_batch_check_refuses_exactly_what_the_full_check_refuses(changes, removed):
    # check_batch takes shortcuts for speed; it must never accept what check_conversion
    # refuses, nor refuse with other words.
    conversion = {k: v for k, v in {**VALID, **changes}.items() if k not in removed}
    body = json.dumps({"conversions": [conversion]})
    assume("Infinity" not in body)  # not JSON: parse_batch refuses such bodies first
    [parsed] = parse_batch(body.encode())
    full = _outcome(lambda c: check_conversion(c, DEMO.account), parsed)
    assert _outcome(lambda c: check_batch([c], DEMO.account), parsed) == full


def test_every_near_miss_in_a_batch_gets_the_full_checks_answer():
    # Each field set to each near-miss value, alone and between valid conversions: the batch
    # gets exactly the answer check_conversion gives that conversion.
    good = {**VALID, "identifiers": [{"hashed_email": "ab" * 32}]}
    for name in [*VALID, "price_currency", "contents", "x"]:
        for value in NEAR:
            body = json.dumps({"conversions": [good, {**good, name: value}, good]})
            parsed = parse_batch(body.encode())
            expected = _outcome(lambda c: check_conversion(c, DEMO.account), parsed[1])
            for batch in (parsed, parsed[1:2]):
                got = _outcome(lambda b: check_batch(b, DEMO.account), batch)
                assert got == expected, (name, value)


conversion_changes = st.dictionaries(
    st.sampled_from([*VALID, "price_currency", "contents", "x"]), near_values, max_size=2
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.just({}), conversion_changes), min_size=1, max_size=5))
def test_a_batch_is_refused_for_its_first_bad_conversion_whatever_path_checks_it(changes):
    # The batch-wide test and the one-by-one tests together: X's answer for the first bad
    # conversion in the batch, or acceptance when every one passes the full check.
    batch = [{**VALID, "identifiers": [{"hashed_email": "ab" * 32}], **c} for c in changes]
    body = json.dumps({"conversions": batch})
    assume("Infinity" not in body)
    parsed = parse_batch(body.encode())
    outcomes = [_outcome(lambda c: check_conversion(c, DEMO.account), c) for c in parsed]
    first_bad = next((o for o in outcomes if o is not None), None)
    assert _outcome(lambda b: check_batch(b, DEMO.account), parsed) == first_bad


def test_the_batch_check_names_the_first_bad_conversion_problem():
    good, no_time, bad_event = dict(VALID), dict(VALID), dict(VALID)
    del no_time["conversion_time"]
    bad_event["event_id"] = "zzzzz"
    check_batch([good, good], DEMO.account)
    with pytest.raises(ApiError) as refusal:
        check_batch([good, no_time, bad_event], DEMO.account)
    assert refusal.value.message == "conversion_time is missing"
    with pytest.raises(ApiError) as refusal:
        check_batch([good, bad_event, no_time], DEMO.account)
    assert refusal.value.status == 404


def _with_identifiers(identifiers):
    return {
        "conversion_time": "2026-10-24T14:29:51.000Z",
        "event_id": DEMO.events[0].id,
        "identifiers": identifiers,
    }


@pytest.mark.parametrize(
    "identifiers",
    [
        [{"ip_address": "203.0.113.9", "user_agent": "Mozilla/5.0"}],
        [{"ip_address": "203.0.113.9"}, {"user_agent": "Mozilla/5.0"}],
        [{"hashed_email": "ab" * 32}, {"ip_address": "203.0.113.9"}],
        [{"twclid": "2-abc"}, {"user_agent": "Mozilla/5.0"}],
    ],
)
def test_ip_and_user_agent_are_accepted_as_x_documents_them(identifiers):
    check_conversion(_with_identifiers(identifiers), DEMO.account)


@pytest.mark.parametrize(
    ("identifiers", "lone"),
    [
        ([{"ip_address": "203.0.113.9"}], "ip_address"),
        ([{"user_agent": "Mozilla/5.0"}], "user_agent"),
    ],
)
def test_a_lone_ip_or_user_agent_is_refused(identifiers, lone):
    with pytest.raises(ApiError) as info:
        check_conversion(_with_identifiers(identifiers), DEMO.account)
    assert (info.value.status, info.value.code) == (400, "INVALID_PARAMETER")
    assert info.value.message.startswith(f"{lone} must be sent in conjunction")
