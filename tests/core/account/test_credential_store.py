"""Sign-in profiles: secrets only in the keyring, settings in a file, every failure in words."""

import json
import logging
import stat
import sys
from dataclasses import astuple

import keyring
import keyring.errors
import pytest
from keyring.backends import fail, null

from twconv_gui.core import paths
from twconv_gui.core.account.credential_store import SERVICE, CredentialVault
from twconv_gui.core.account.profiles import (
    ProfileSettings,
    ProfileStore,
    check_profile_name,
    resolve_credentials,
)
from twconv_gui.core.api.credentials import ENV_VARS, Credentials
from twconv_gui.core.errors import TwconvError
from twconv_gui.core.logs import setup_logging, stop_logging

US = Credentials(
    "usKEY0123456789abcdefgh",
    "usSECRETconsumer0123456789abcdefghijklmnopqrstuvwx",
    "1500000000000000001-usTOKENabcdefghijklmn",
    "usSECRETtoken0123456789abcdefghijklmnopqrstuvwxyz",
)
EU = Credentials(
    "euKEY0123456789abcdefgh",
    "euSECRETconsumer0123456789abcdefghijklmnopqrstuvwx",
    "1500000000000000002-euTOKENabcdefghijklmn",
    "euSECRETtoken0123456789abcdefghijklmnopqrstuvwxyz",
)
ALL_SECRETS = [*astuple(US), *astuple(EU)]


@pytest.fixture
def store():
    return ProfileStore()


def written_files():
    return [p for p in paths.config_dir().rglob("*") if p.is_file()]


def assert_no_secret(text):
    for secret in ALL_SECRETS:
        assert secret not in text


def test_profiles_round_trip_secrets_in_keyring_settings_in_file(store, memory_keyring):
    store.save("Acme US", US, ProfileSettings(account_id="18ce54d4x5t", pixel_id="o8z6j"))
    store.save("Acme EU", EU, ProfileSettings(event_id="o87ne"))

    assert store.credentials("Acme US") == US
    assert store.credentials("Acme EU") == EU
    assert set(memory_keyring.entries) == {(SERVICE, "Acme US"), (SERVICE, "Acme EU")}
    assert [(p.name, p.is_default) for p in store.profiles()] == [
        ("Acme EU", False),
        ("Acme US", True),  # the first profile saved is the default
    ]
    assert store.get("Acme US").settings.pixel_id == "o8z6j"
    assert store.get("acme eu").settings.event_id == "o87ne"  # letter case ignored

    [settings_file] = written_files()
    assert settings_file == store.settings_path
    content = settings_file.read_text()
    assert_no_secret(content)
    assert json.loads(content)["default_profile"] == "Acme US"
    if sys.platform != "win32":
        assert stat.S_IMODE(settings_file.stat().st_mode) == 0o600


def test_saving_again_replaces_secrets_and_keeps_settings(store):
    store.save("Acme US", US, ProfileSettings(pixel_id="o8z6j"))
    store.save("acme us", EU)
    assert [p.name for p in store.profiles()] == ["Acme US"]
    assert store.credentials("Acme US") == EU
    assert store.get("Acme US").settings.pixel_id == "o8z6j"


def test_rename_moves_secrets_settings_and_default(store, memory_keyring):
    store.save("Acme", US, ProfileSettings(pixel_id="o8z6j"))
    store.save("Other", EU)
    renamed = store.rename("acme", "Acme US")
    assert (renamed.name, renamed.is_default, renamed.settings.pixel_id) == (
        "Acme US",
        True,
        "o8z6j",
    )
    assert store.find("Acme") is None
    assert store.credentials("Acme US") == US
    assert (SERVICE, "Acme") not in memory_keyring.entries
    with pytest.raises(TwconvError, match="“Other” exists already"):
        store.rename("Acme US", "other")


def test_delete_removes_both_halves_and_moves_the_default(store, memory_keyring):
    store.save("Acme US", US)
    store.save("Acme EU", EU)
    removed = store.delete("Acme US")
    assert removed.is_default
    assert (SERVICE, "Acme US") not in memory_keyring.entries
    assert [(p.name, p.is_default) for p in store.profiles()] == [("Acme EU", True)]
    with pytest.raises(TwconvError, match=r"no sign-in profile called “Acme US”.*“Acme EU”"):
        store.credentials("Acme US")


def test_set_default_and_update_settings(store):
    store.save("Acme US", US)
    store.save("Acme EU", EU)
    store.set_default("acme eu")
    assert store.default().name == "Acme EU"
    updated = store.update_settings("Acme EU", account_id="18ce55k3q9w", event_id="tw-o8z6j-o87ne")
    assert updated.settings.account_id == "18ce55k3q9w"
    with pytest.raises(TwconvError, match="pixel id 'O8Z 6J' is not valid"):
        store.update_settings("Acme EU", pixel_id="O8Z 6J")
    with pytest.raises(TwconvError, match="plain http"):
        store.update_settings("Acme EU", sign_in_host="http://api.example.com")
    assert store.get("Acme EU").settings.pixel_id == ""


@pytest.mark.parametrize("name", ["", "   ", "a\tb", "x" * 65])
def test_unusable_profile_names(name):
    with pytest.raises(TwconvError, match="profile"):
        check_profile_name(name)


@pytest.mark.parametrize("backend", [fail.Keyring, null.Keyring])
def test_no_keyring_says_what_to_do_and_writes_nothing(store, backend):
    keyring.set_keyring(backend())
    with pytest.raises(TwconvError) as caught:
        store.save("Acme US", US)
    message = str(caught.value)
    assert "keyring" in message
    assert "TWCONV_CONSUMER_KEY" in message  # the way out for servers and scripts
    if backend is fail.Keyring:
        assert "gnome-keyring" in message
        assert "KWallet" in message
        assert "never stores them in a plain file" in message
    assert_no_secret(message)
    assert written_files() == []
    assert store.profiles() == []


def test_locked_keyring_asks_to_unlock_and_keeps_settings(store, memory_keyring, caplog):
    store.save("Acme US", US)
    before = store.settings_path.read_text()
    memory_keyring.locked = True
    for action in (lambda: store.credentials("Acme US"), lambda: store.delete("Acme US")):
        with pytest.raises(TwconvError, match=r"keyring is locked\. Unlock it") as caught:
            action()
        assert_no_secret(str(caught.value))
    with pytest.raises(TwconvError, match="locked"):
        store.save("Acme EU", EU)
    assert store.settings_path.read_text() == before  # nothing half-deleted or half-added
    assert_no_secret(caplog.text)


def test_refused_write_is_reported_and_nothing_is_saved(store, memory_keyring):
    memory_keyring.refuse_writes = True
    with pytest.raises(TwconvError, match="refused to save the secrets of profile “Acme US”"):
        store.save("Acme US", US)
    assert written_files() == []


def test_a_keyring_that_drops_writes_is_caught(store, memory_keyring, monkeypatch):
    monkeypatch.setattr(memory_keyring, "set_password", lambda *args: None)
    with pytest.raises(TwconvError, match="did not keep the secrets"):
        store.save("Acme US", US)
    assert written_files() == []


def test_damaged_or_missing_keyring_entry_says_sign_in_again(store, memory_keyring):
    store.save("Acme US", US)
    memory_keyring.entries[(SERVICE, "Acme US")] = '{"consumer_key": "only one"}'
    with pytest.raises(TwconvError, match=r'damaged.*twconv login --profile "Acme US"'):
        store.credentials("Acme US")
    del memory_keyring.entries[(SERVICE, "Acme US")]
    with pytest.raises(TwconvError, match=r"not in the system keyring.*Sign in again"):
        store.credentials("Acme US")


def test_damaged_settings_file_is_named_and_left_alone(store):
    store.settings_path.write_text("{not json")
    with pytest.raises(TwconvError, match=r"profiles\.json is damaged.*Fix it or delete it"):
        store.profiles()
    with pytest.raises(TwconvError):
        store.save("Acme US", US)
    assert store.settings_path.read_text() == "{not json"


def test_environment_variables_override_profiles(store, monkeypatch):
    store.save("Acme US", US)
    assert resolve_credentials(None, store=store) == (US, "profile “Acme US” (system keyring)")
    assert resolve_credentials("acme us", store=store)[0] == US
    for name, value in zip(ENV_VARS, astuple(EU), strict=True):
        monkeypatch.setenv(name, value)
    credentials, source = resolve_credentials("Acme US", store=store)
    assert credentials == EU
    assert source == "the TWCONV_* environment variables (they override profile “Acme US”)"


def test_nothing_configured_says_how_to_sign_in(store):
    with pytest.raises(TwconvError) as caught:
        resolve_credentials(None, store=store)
    assert "twconv login" in str(caught.value)
    assert "TWCONV_ACCESS_TOKEN_SECRET" in str(caught.value)
    with pytest.raises(TwconvError, match="no sign-in profile called “Nope” \\(profiles: none"):
        resolve_credentials("Nope", store=store)


def test_loaded_secrets_never_reach_the_log_file(store, memory_keyring, tmp_path):
    log_file = setup_logging(logging.DEBUG, directory=tmp_path)
    try:
        store.save("Acme US", US)
        vault = CredentialVault()
        loaded = vault.load("Acme US")
        log = logging.getLogger("twconv_gui.test")
        log.debug("loaded %s / %s", loaded.consumer_secret, loaded.access_token_secret)
        memory_keyring.locked = True
        with pytest.raises(TwconvError):
            vault.load("Acme US")
    finally:
        stop_logging()
    text = log_file.read_text()
    assert "[secret] / [secret]" in text
    assert "keyring failed to read" in text
    assert_no_secret(text)


def test_refused_deletion_keeps_the_profile(store, memory_keyring, monkeypatch):
    store.save("Acme US", US)

    def refuse(service, username):
        raise keyring.errors.PasswordDeleteError("Access denied")

    monkeypatch.setattr(memory_keyring, "delete_password", refuse)
    with pytest.raises(TwconvError, match="refused to delete the secrets of profile “Acme US”"):
        store.delete("Acme US")
    assert [p.name for p in store.profiles()] == ["Acme US"]
    assert store.credentials("Acme US") == US
