"""The four OAuth 1.0a credentials of an X developer app, read from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

from twconv_gui.core.errors import TwconvError

ENV_VARS = (
    "TWCONV_CONSUMER_KEY",
    "TWCONV_CONSUMER_SECRET",
    "TWCONV_ACCESS_TOKEN",
    "TWCONV_ACCESS_TOKEN_SECRET",
)

_LABELS = {
    "consumer_key": "consumer key (API key)",
    "consumer_secret": "consumer secret (API key secret)",
    "access_token": "access token",
    "access_token_secret": "access token secret",
}

_SECRET_FIELDS = frozenset({"consumer_secret", "access_token_secret"})

_MIN_SHOWN_LENGTH = 12


def masked(value: str) -> str:
    """A credential shortened to its first and last four characters (`abcd…wxyz`).

    Values shorter than 12 characters show nothing at all (`…`): four plus four characters
    would give away most of them.

    Args:
        value: The key or token to show.

    Returns:
        The masked form, safe for logs and screens.
    """
    value = value.strip()
    if len(value) < _MIN_SHOWN_LENGTH:
        return "…"
    return f"{value[:4]}…{value[-4:]}"


@dataclass(frozen=True)
class Credentials:
    """OAuth 1.0a user-context credentials: the app's consumer pair and the user's token pair.

    The representation shows the key and the token masked and hides the two secrets
    entirely, so a `Credentials` can be logged or shown in a traceback without leaking them.

    Attributes:
        consumer_key: The app's API key.
        consumer_secret: The app's API key secret.
        access_token: The user's access token.
        access_token_secret: The user's access token secret.

    Raises:
        TwconvError: When a value is empty or contains white space (a pasting slip that would
            otherwise only show up as a 401 from X).
    """

    consumer_key: str
    consumer_secret: str
    access_token: str
    access_token_secret: str

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            label = _LABELS[field.name]
            if not isinstance(value, str) or not value:
                raise TwconvError(f"The {label} is empty: paste it from the X developer portal.")
            if any(char.isspace() for char in value):
                raise TwconvError(
                    f"The {label} contains spaces or line breaks: copy it again from the X "
                    "developer portal (Keys and tokens), without surrounding text."
                )

    def __repr__(self) -> str:
        shown = []
        for field in fields(self):
            value = "…" if field.name in _SECRET_FIELDS else masked(getattr(self, field.name))
            shown.append(f"{field.name}='{value}'")
        return f"Credentials({', '.join(shown)})"

    __str__ = __repr__


def credentials_from_env(environ: Mapping[str, str] | None = None) -> Credentials | None:
    """Credentials from the four `TWCONV_*` environment variables.

    Args:
        environ: The environment to read; `os.environ` when None.

    Returns:
        The credentials, or None when none of the variables is set (or all are empty).

    Raises:
        TwconvError: When only some of the variables are set; the message names the missing
            ones (never a value).
    """
    env = os.environ if environ is None else environ
    values = [env.get(name, "").strip() for name in ENV_VARS]
    if not any(values):
        return None
    missing = [name for name, value in zip(ENV_VARS, values, strict=True) if not value]
    if missing:
        raise TwconvError(
            f"X Ads API credentials are only partly set: {_join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} missing or empty. Set "
            f"{'it' if len(missing) == 1 else 'them'} as well, or unset all four "
            f"{', '.join(ENV_VARS)}."
        )
    return Credentials(*values)


def load_credentials(environ: Mapping[str, str] | None = None) -> Credentials:
    """The credentials to use for API calls.

    Only the environment is read here; `twconv_gui.core.account.profiles.resolve_credentials` adds
    the sign-in profiles kept in the system keyring.

    Args:
        environ: The environment to read; `os.environ` when None.

    Returns:
        The credentials.

    Raises:
        TwconvError: When no credentials are configured (the message says which variables to
            set) or when they are only partly set.
    """
    credentials = credentials_from_env(environ)
    if credentials is None:
        raise TwconvError(
            "No X Ads API credentials found. Set the environment variables "
            f"{_join(list(ENV_VARS))} to the API key, API key secret, access token and access "
            "token secret of your X developer app (developer portal → your app → Keys and "
            "tokens), or sign in with `twconv login` to keep them in the system keyring."
        )
    return credentials


def _join(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} and {names[-1]}"
