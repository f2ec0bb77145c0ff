"""The JSON X receives: each conversion encoded once, request bodies joined from the pieces.

Encoding happens where rows are converted (in the worker processes for big files), so the
process that reads the file and sends the batches does not spend its time on JSON. Joining
encoded conversions gives exactly the bytes `json.dumps({"conversions": [...]})` would with
the same settings, so a batch's digest does not depend on how it was built.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from twconv_gui.core.errors import TwconvError

_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))
_HEAD, _TAIL = b'{"conversions":[', b"]}"


def encode_conversion(conversion: Mapping[str, Any]) -> bytes:
    """One conversion object as compact UTF-8 JSON.

    Raises:
        TwconvError: A value cannot be written as JSON (not text, a whole or finite number).
    """
    try:
        return _ENCODER.encode(conversion).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise TwconvError(
            f"A conversion cannot be sent as JSON ({type(exc).__name__}: a value is not text, "
            "a whole number or a finite number)."
        ) from None


def join_conversions(encoded: Iterable[bytes]) -> bytes:
    """The request body `{"conversions": [...]}` made of already encoded conversions."""
    return _HEAD + b",".join(encoded) + _TAIL
