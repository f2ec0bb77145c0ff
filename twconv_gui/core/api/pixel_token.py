"""A Conversions API access token for one pixel: the sign-in that needs no developer app."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from twconv_gui.core.api.credentials import Credentials
from twconv_gui.core.errors import TwconvError

PIXEL_TOKEN_ENV = "TWCONV_PIXEL_TOKEN"  # noqa: S105 - the variable's name, not a token
WHERE_TO_FIND = (
    "In X Ads, open Events Manager, choose the pixel, then Install pixel → Manual → "
    "Conversion API → Generate access token, and copy the token shown."
)
_MIN_LENGTH = 8


@dataclass(frozen=True)
class PixelToken:
    """The access token Events Manager generates for one pixel, sent as `X-Pixel-Token`.

    It only lets its holder send conversions to that pixel: no ad account, event or
    permission can be read with it. Its representation never shows any of it.

    Attributes:
        token: The token as Events Manager shows it.

    Raises:
        TwconvError: When the token is empty, too short or holds spaces (a pasting slip).
    """

    token: str

    def __post_init__(self) -> None:
        value = self.token
        if not isinstance(value, str) or not value.strip():
            raise TwconvError(f"The pixel token is empty. {WHERE_TO_FIND}")
        if any(char.isspace() for char in value.strip()):
            raise TwconvError(
                "The pixel token contains spaces or line breaks: copy it again from Events "
                "Manager, without surrounding text."
            )
        if len(value.strip()) < _MIN_LENGTH:
            raise TwconvError(
                "The pixel token is too short to be one: copy the whole token from Events Manager."
            )
        object.__setattr__(self, "token", value.strip())

    def __repr__(self) -> str:
        return "PixelToken(token='…')"

    __str__ = __repr__


ApiCredentials = Credentials | PixelToken
"""What an ApiClient signs in with: the four OAuth 1.0a keys, or a pixel token."""


def pixel_token_from_env(environ: Mapping[str, str] | None = None) -> PixelToken | None:
    """The token in `TWCONV_PIXEL_TOKEN`, or None when it is unset or empty.

    Raises:
        TwconvError: When the variable holds something that cannot be a token.
    """
    env = os.environ if environ is None else environ
    value = env.get(PIXEL_TOKEN_ENV, "").strip()
    return PixelToken(value) if value else None


def kind_of(credentials: ApiCredentials) -> str:
    """`"pixel_token"` or `"oauth"`, as profiles.json names the two kinds."""
    return "pixel_token" if isinstance(credentials, PixelToken) else "oauth"
