"""PIN sign-in (3-legged OAuth 1.0a, out of band): a user's access token for an app's keys."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

import requests
from requests_oauthlib import OAuth1Session

from twconv_gui import APP_NAME, __version__
from twconv_gui.core.api.credentials import Credentials
from twconv_gui.core.errors import TwconvError
from twconv_gui.core.logs import register_secret

DEFAULT_SIGN_IN_HOST = "https://api.x.com"
REQUEST_TOKEN_PATH = "/oauth/request_token"  # noqa: S105 - a URL path
AUTHORIZE_PATH = "/oauth/authorize"
ACCESS_TOKEN_PATH = "/oauth/access_token"  # noqa: S105 - a URL path
_TIMEOUT = 30.0
_LOOPBACK_NAMES = frozenset({"localhost"})


@dataclass(frozen=True, repr=False)
class PendingSignIn:
    """A sign-in waiting for the PIN the user reads in the browser.

    Attributes:
        sign_in_host: Scheme and host of the sign-in endpoints, e.g. `https://api.x.com`.
        authorize_url: The page to open in the browser; it shows the PIN.
        consumer_key: The app's API key.
        consumer_secret: The app's API key secret.
        request_token: The temporary token the authorize page is for.
        request_token_secret: Its secret, needed to exchange the PIN.
    """

    sign_in_host: str
    authorize_url: str
    consumer_key: str
    consumer_secret: str
    request_token: str
    request_token_secret: str

    def __repr__(self) -> str:
        return f"PendingSignIn(sign_in_host={self.sign_in_host!r})"

    __str__ = __repr__


def check_sign_in_host(url: str) -> str:
    """The sign-in host as scheme and host (no trailing "/"), checked.

    Plain `http` is accepted for loopback addresses only (the Sandbox): elsewhere the tokens
    would cross the network unencrypted.

    Raises:
        TwconvError: When the value is not a usable scheme-and-host URL.
    """
    text = str(url).strip().rstrip("/")
    parts = urlsplit(text)
    example = f"give the scheme and host only, e.g. {DEFAULT_SIGN_IN_HOST}"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TwconvError(f"Sign-in host {_shown(text)!r} is not usable: {example}.")
    if parts.path or parts.query or parts.fragment or "@" in parts.netloc:
        raise TwconvError(f"Sign-in host {_shown(text)!r} has more than a host: {example}.")
    try:
        _ = parts.port
    except ValueError:
        raise TwconvError(f"Sign-in host {_shown(text)!r} has an invalid port.") from None
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise TwconvError(
            f"Sign-in host {_shown(text)!r} uses plain http: use https (http is only for the "
            "local Sandbox on 127.0.0.1)."
        )
    return text


def start_pin_signin(
    consumer_key: str,
    consumer_secret: str,
    sign_in_host: str = DEFAULT_SIGN_IN_HOST,
    *,
    timeout: float = _TIMEOUT,
) -> PendingSignIn:
    """Ask X for a request token (`oauth_callback=oob`) and build the authorize page's URL.

    Args:
        consumer_key: The app's API key (developer portal → app → Keys and tokens).
        consumer_secret: The app's API key secret.
        sign_in_host: Where the sign-in endpoints are; the Sandbox's base URL in tests.
        timeout: Seconds to wait for X's answer.

    Returns:
        The pending sign-in; show `authorize_url` to the user and ask for the PIN.

    Raises:
        TwconvError: When the keys are refused, the host cannot be reached or answers
            something else than a request token. The message never quotes a secret.
    """
    host = check_sign_in_host(sign_in_host)
    key, secret = consumer_key.strip(), consumer_secret.strip()
    # Validates both values the way Credentials does (no spaces, not empty).
    Credentials(key, secret, "pending", "pending")
    register_secret(key)
    register_secret(secret)
    session = OAuth1Session(key, client_secret=secret, callback_uri="oob")
    token = _token_request(session, host + REQUEST_TOKEN_PATH, timeout, step="request")
    if token.get("oauth_callback_confirmed", "true").lower() != "true":
        raise TwconvError(
            f"{_netloc(host)} did not accept the PIN sign-in (oauth_callback=oob). Check the "
            "sign-in host setting, or paste an access token and secret instead (`--paste`)."
        )
    request_token, request_secret = token["oauth_token"], token["oauth_token_secret"]
    register_secret(request_secret)
    authorize_url = f"{host}{AUTHORIZE_PATH}?{urlencode({'oauth_token': request_token})}"
    return PendingSignIn(host, authorize_url, key, secret, request_token, request_secret)


def finish_pin_signin(
    pending: PendingSignIn, pin: str, *, timeout: float = _TIMEOUT
) -> Credentials:
    """Exchange the PIN the user read for the user's access token and secret.

    Args:
        pending: What `start_pin_signin` returned.
        pin: The PIN shown by the authorize page (spaces are ignored).
        timeout: Seconds to wait for X's answer.

    Returns:
        The four credentials: the app's consumer pair and the user's new token pair.

    Raises:
        TwconvError: When the PIN is refused or expired, or X cannot be reached.
    """
    code = "".join(pin.split())
    if not code or not code.isascii() or not code.isalnum() or len(code) > 64:
        raise TwconvError(
            "The PIN is the number the X page shows after you authorize the app (e.g. 1234567): "
            "type it again."
        )
    session = OAuth1Session(
        pending.consumer_key,
        client_secret=pending.consumer_secret,
        resource_owner_key=pending.request_token,
        resource_owner_secret=pending.request_token_secret,
        verifier=code,
    )
    url = pending.sign_in_host + ACCESS_TOKEN_PATH
    token = _token_request(session, url, timeout, step="access")
    for name in ("oauth_token", "oauth_token_secret"):
        register_secret(token[name])
    return Credentials(
        pending.consumer_key,
        pending.consumer_secret,
        token["oauth_token"],
        token["oauth_token_secret"],
    )


def _token_request(
    session: OAuth1Session, url: str, timeout: float, *, step: str
) -> dict[str, str]:
    """POST a signed token request and parse the form-encoded answer.

    requests-oauthlib's own fetch methods log the answer, token secret included, at DEBUG
    level; this posts through the session (for the signature) and parses the body itself.
    """
    host = _netloc(url)
    session.headers["User-Agent"] = f"{APP_NAME}/{__version__}"
    try:
        with session:
            response = session.post(url, timeout=timeout, allow_redirects=False)
    except requests.Timeout:
        raise TwconvError(
            f"{host} did not answer within {timeout:g} s: check the network connection and "
            "try again."
        ) from None
    except requests.RequestException as exc:
        raise TwconvError(
            f"Could not reach {host} to sign in ({type(exc).__name__}): check the network "
            "connection, any proxy or firewall, and the sign-in host setting."
        ) from None
    if response.status_code in (401, 403):
        if step == "request":
            raise TwconvError(
                f"{host} refused the app's keys ({response.status_code}): check the consumer "
                "key (API key) and consumer secret (API key secret) in the X developer portal "
                "(your app → Keys and tokens); regenerated keys replace the old ones."
            )
        raise TwconvError(
            f"{host} did not accept the PIN ({response.status_code}): it may be mistyped or "
            "expired (a PIN works once, for a few minutes). Start the sign-in again and type "
            "the new PIN."
        )
    if response.status_code != 200:
        raise TwconvError(
            f"{host} answered {response.status_code} to the sign-in request instead of a token. "
            "Check the sign-in host setting (e.g. https://api.x.com) and try again later."
        )
    fields = parse_qs(response.text.strip(), keep_blank_values=True)
    token = {name: values[0] for name, values in fields.items() if values}
    if not token.get("oauth_token") or not token.get("oauth_token_secret"):
        raise TwconvError(
            f"{host} answered the sign-in request without a token (is the sign-in host "
            "right? e.g. https://api.x.com)."
        )
    return token


def _is_loopback(hostname: str) -> bool:
    if hostname.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False


def _netloc(url: str) -> str:
    return urlsplit(url).netloc or url


def _shown(value: str) -> str:
    return value if len(value) <= 40 else value[:20] + "…"
