"""The sandbox's batch checks on arbitrary input: an X-style error or acceptance, never a crash."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twconv_gui.core.sandbox import DEMO
from twconv_gui.core.sandbox.conversions import check_conversion, parse_batch
from twconv_gui.core.sandbox.replies import ApiError

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
