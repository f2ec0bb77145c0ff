"""The JSON of a conversion: the bytes json.dumps writes, whichever encoder writes them."""

from __future__ import annotations

import json
import math
import tracemalloc
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twconv_gui.core.errors import TwconvError
from twconv_gui.core.payload import encode_conversion, join_conversions


def stdlib(conversion: Any) -> bytes:
    """How every earlier version wrote a conversion (journal digests depend on these bytes)."""
    return json.dumps(
        conversion, ensure_ascii=False, allow_nan=False, separators=(",", ":")
    ).encode("utf-8")


SCALARS = (
    st.text()  # any Unicode, lone surrogates included
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.floats(min_value=-1e-3, max_value=1e-3)  # notation of tiny numbers differs
    | st.sampled_from([0.0, -0.0, 1e-5, 9.9e-05, 1e-7, 1.5e-10, 1e16, 1e22, 5e-324])
    | st.booleans()
    | st.none()
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=400)
@given(st.dictionaries(st.text(), VALUES, max_size=6))
def test_a_conversion_is_written_as_json_dumps_writes_it_or_refused_alike(conversion):
    try:
        expected = stdlib(conversion)
    except (TypeError, ValueError):
        with pytest.raises(TwconvError):
            encode_conversion(conversion)
        return
    assert encode_conversion(conversion) == expected


def test_a_typical_conversion_and_a_joined_body_match_json_dumps():
    conversion = {
        "conversion_time": "2026-10-24T14:29:51.000Z",
        "event_id": "o87ne",
        "identifiers": [{"hashed_email": "a" * 64}, {"twclid": "26l8y6rwz"}],
        "value": 298.36,
        "price_currency": "EUR",
        "conversion_id": "sale-0001",
        "description": "Größe 42 – “Sommer” 🌞 e-mail null",
        "contents": [{"content_price": 0.00001, "num_items": 2}],
    }
    second = {**conversion, "value": 1e-7, "number_items": 2**65}
    body = join_conversions([encode_conversion(conversion), encode_conversion(second)])
    assert body == stdlib({"conversions": [conversion, second]})
    assert json.loads(body)["conversions"][1]["number_items"] == 2**65


@pytest.mark.parametrize(
    "value",
    [math.nan, math.inf, -math.inf, datetime(2026, 1, 1, tzinfo=UTC), {1, 2}, b"bytes"],
)
def test_values_json_cannot_write_are_refused_with_a_message(value):
    with pytest.raises(TwconvError, match="cannot be sent as JSON"):
        encode_conversion({"conversion_time": "2026-01-01T00:00:00Z", "value": value})


def test_encoded_conversions_take_the_memory_of_their_bytes():
    # Upload queues hold thousands of encoded conversions; each must not keep a writing buffer.
    conversion = {
        "conversion_time": "2026-10-24T14:29:51.000Z",
        "event_id": "o87ne",
        "identifiers": [{"hashed_email": "a" * 64}],
        "value": 298.36,
        "conversion_id": "B-0",
    }
    size = len(encode_conversion(conversion))
    tracemalloc.start()
    try:
        kept = [encode_conversion(conversion) for _ in range(2000)]
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(kept) == 2000
    assert held < 2000 * (size + 200)
