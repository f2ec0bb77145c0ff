"""Credentials: read from the environment, never shown in full."""

from __future__ import annotations

import pytest

from twconv_gui.core.api.credentials import (
    ENV_VARS,
    Credentials,
    credentials_from_env,
    load_credentials,
    masked,
)
from twconv_gui.core.errors import TwconvError

VALUES = (
    "ckey0123456789ABCDEFGHIJ",
    "CONSUMERsecret0123456789abcdefghijklmnopqrstuvwxyzAB",
    "1234567890-accesstokenABCDEFGHIJKLMNOP",
    "TOKENsecret0123456789abcdefghijklmnopqrstuvwxyzABCD",
)
FULL_ENV = dict(zip(ENV_VARS, VALUES, strict=True))


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("ckey0123456789ABCDEFGHIJ", "ckey…GHIJ"),
        ("abcdefghijkl", "abcd…ijkl"),
        ("abcdefghijk", "…"),
        ("", "…"),
        ("  abcdefghijklmnop  ", "abcd…mnop"),
    ],
)
def test_masked(value, shown):
    assert masked(value) == shown


def test_all_four_variables_give_credentials():
    env = {name: f"  {value}\n" for name, value in FULL_ENV.items()} | {"PATH": "/bin"}
    assert credentials_from_env(env) == Credentials(*VALUES)
    assert load_credentials(env) == Credentials(*VALUES)


@pytest.mark.parametrize("env", [{}, {"PATH": "/bin"}, dict.fromkeys(ENV_VARS, "  ")])
def test_no_variables_give_none(env):
    assert credentials_from_env(env) is None


def test_load_without_credentials_says_what_to_set():
    with pytest.raises(TwconvError) as caught:
        load_credentials({})
    message = str(caught.value)
    for name in ENV_VARS:
        assert name in message
    assert "twconv login" in message


def test_partial_variables_name_the_missing_ones():
    env = dict(FULL_ENV)
    del env["TWCONV_ACCESS_TOKEN"]
    env["TWCONV_ACCESS_TOKEN_SECRET"] = ""
    with pytest.raises(TwconvError) as caught:
        credentials_from_env(env)
    message = str(caught.value)
    assert "TWCONV_ACCESS_TOKEN and TWCONV_ACCESS_TOKEN_SECRET are missing" in message
    assert VALUES[1] not in message
    assert VALUES[0] not in message


def test_one_missing_variable():
    env = dict(FULL_ENV, TWCONV_CONSUMER_SECRET="")
    with pytest.raises(TwconvError, match="TWCONV_CONSUMER_SECRET is missing or empty"):
        load_credentials(env)


def test_os_environ_is_the_default(monkeypatch):
    for name, value in FULL_ENV.items():
        monkeypatch.setenv(name, value)
    assert load_credentials() == Credentials(*VALUES)
    for name in ENV_VARS:
        monkeypatch.delenv(name)
    assert credentials_from_env() is None


def test_repr_and_str_hide_secrets():
    credentials = Credentials(*VALUES)
    for text in (repr(credentials), str(credentials), f"{credentials}", str([credentials])):
        assert VALUES[1] not in text
        assert VALUES[3] not in text
        assert VALUES[1][:4] not in text  # secrets are not even partly shown
        assert VALUES[3][:4] not in text
        assert "ckey…GHIJ" in text
        assert "1234…MNOP" in text


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (("", *VALUES[1:]), "consumer key .* is empty"),
        ((VALUES[0], "abc def", *VALUES[2:]), "consumer secret .* contains spaces"),
        ((*VALUES[:3], "secret\n"), "access token secret contains spaces"),
    ],
)
def test_unusable_values_are_refused_without_echoing_them(values, message):
    with pytest.raises(TwconvError, match=message) as caught:
        Credentials(*values)
    assert "abc def" not in str(caught.value)
