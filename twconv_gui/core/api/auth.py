"""How a request signs in: an OAuth 1.0a signature, or a pixel token in `X-Pixel-Token`."""

from __future__ import annotations

import requests
from oauthlib.oauth1 import SIGNATURE_HMAC, SIGNATURE_TYPE_AUTH_HEADER
from requests_oauthlib import OAuth1Session

from twconv_gui.core.api.pixel_token import ApiCredentials, PixelToken

PIXEL_TOKEN_HEADER = "X-Pixel-Token"  # noqa: S105 - a header name


def new_session(credentials: ApiCredentials) -> requests.Session:
    """A session that authenticates every request it sends with `credentials`.

    A pixel token travels in the `X-Pixel-Token` header and nothing else (no Authorization
    header, no OAuth parameters); the four OAuth keys sign each request (HMAC-SHA1, in the
    Authorization header; a JSON body stays out of the signature, as X expects).
    """
    if isinstance(credentials, PixelToken):
        session = requests.Session()
        session.headers[PIXEL_TOKEN_HEADER] = credentials.token
        return session
    signed: requests.Session = OAuth1Session(
        credentials.consumer_key,
        client_secret=credentials.consumer_secret,
        resource_owner_key=credentials.access_token,
        resource_owner_secret=credentials.access_token_secret,
        signature_method=SIGNATURE_HMAC,
        signature_type=SIGNATURE_TYPE_AUTH_HEADER,
    )
    return signed


def refused_message(status: int, detail: str, *, pixel_token: bool, pixel_id: str = "") -> str:
    """What a 401 or 403 answer to a conversions request means, and what to do.

    Args:
        status: 401 or 403.
        detail: X's answer in short (`ApiResponse.describe()`).
        pixel_token: Whether the request carried a pixel token (else OAuth keys).
        pixel_id: The pixel the request went to, when known.
    """
    pixel = f" {pixel_id}" if pixel_id else ""
    if pixel_token:
        return (
            f"X refused the pixel token ({detail}): it is mistyped, was revoked or replaced "
            f"by a newer one in Events Manager, or it belongs to another pixel than{pixel} "
            "(a token works for the one pixel it was generated for). Generate a token for "
            "this pixel in Events Manager (Install pixel → Manual → Conversion API → "
            "Generate access token), save it with `twconv login --pixel-token` or in "
            "Account › Credentials, and check the pixel id."
        )
    if status == 401:
        return (
            f"X refused the credentials ({detail}). Check the consumer key and secret and the "
            "access token and secret (test them in the app's Credentials dialog or with "
            "`twconv credentials test`)."
        )
    return (
        f"X denied access ({detail}). Check that the developer app has Ads API access and "
        "that this user may manage the ad account (AD_MANAGER or ACCOUNT_ADMIN)."
    )
