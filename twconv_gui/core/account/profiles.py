"""Sign-in profiles ("Acme US"): secrets in the OS keyring, settings in a JSON file beside it."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from twconv_gui.core import paths
from twconv_gui.core.api.credentials import ENV_VARS, credentials_from_env
from twconv_gui.core.api.pixel_token import (
    PIXEL_TOKEN_ENV,
    ApiCredentials,
    kind_of,
    pixel_token_from_env,
)
from twconv_gui.core.errors import TwconvError

if TYPE_CHECKING:
    from twconv_gui.core.account.credential_store import CredentialVault
from twconv_gui.core.account.profile_settings import (
    SETTING_NAMES,
    SETTINGS_FILE_NAME,
    ProfileSettings,
    read_settings_file,
    write_settings_file,
)

__all__ = [
    "ProfileSettings",
    "ProfileStore",
    "SignInProfile",
    "check_profile_name",
    "environment_credentials_set",
    "resolve_credentials",
]

MAX_NAME_LENGTH = 64


@dataclass(frozen=True)
class SignInProfile:
    """A named sign-in profile as listed: its settings and whether it is the default.

    Attributes:
        name: The name the user gave it ("Acme US").
        settings: Its non-secret settings.
        is_default: Whether commands use it when no profile is named.
    """

    name: str
    settings: ProfileSettings = field(default_factory=ProfileSettings)
    is_default: bool = False


class ProfileStore:
    """Create, list, rename, delete and choose sign-in profiles.

    The four secrets of a profile live in the OS keyring (`CredentialVault`); its settings
    and the name of the default profile live in `profiles.json` in the settings folder,
    written atomically and never holding a secret. Listing and reading settings never touch
    the keyring, so they cannot raise an unlock prompt.
    """

    def __init__(
        self, vault: CredentialVault | None = None, settings_path: Path | None = None
    ) -> None:
        """Create the store; nothing is read until the first call.

        Args:
            vault: Where secrets go; the OS keyring when None.
            settings_path: The JSON settings file; `profiles.json` in `paths.config_dir()`
                when None (looked up at each call).
        """
        self._vault = vault
        self._settings_path = settings_path

    @property
    def vault(self) -> CredentialVault:
        """Where the secrets are: made on first use, as keyring loads its backends on import
        (~40 ms) and a run whose keys come from the environment never needs it."""
        if self._vault is None:
            from twconv_gui.core.account.credential_store import CredentialVault  # noqa: PLC0415

            self._vault = CredentialVault()
        return self._vault

    @property
    def settings_path(self) -> Path:
        """The JSON file of profile settings (its folder is created if needed)."""
        if self._settings_path is not None:
            return self._settings_path
        return paths.config_dir() / SETTINGS_FILE_NAME

    def profiles(self) -> list[SignInProfile]:
        """Every profile, sorted by name (case-insensitively)."""
        default, entries = self._read()
        return [
            SignInProfile(name, settings, name == default)
            for name, settings in sorted(entries.items(), key=lambda item: item[0].casefold())
        ]

    def find(self, name: str) -> SignInProfile | None:
        """The profile called `name` (letter case ignored), or None."""
        default, entries = self._read()
        found = _lookup(entries, name)
        return None if found is None else SignInProfile(found, entries[found], found == default)

    def get(self, name: str) -> SignInProfile:
        """The profile called `name` (letter case ignored).

        Raises:
            TwconvError: When there is no such profile; the message lists the known ones.
        """
        profile = self.find(name)
        if profile is None:
            raise TwconvError(self._unknown(name))
        return profile

    def default(self) -> SignInProfile | None:
        """The default profile, or None when there is none."""
        return next((p for p in self.profiles() if p.is_default), None)

    def credentials(self, name: str) -> ApiCredentials:
        """The secrets of profile `name`, read from the keyring.

        Raises:
            TwconvError: When the profile is unknown, its keyring entry is missing or damaged,
                or the keyring cannot be used.
        """
        profile = self.get(name)
        credentials = self.vault.load(profile.name)
        if credentials is None:
            raise TwconvError(
                f"The secrets of profile “{profile.name}” are not in the system keyring "
                f"({self.vault.backend_name()}): they were removed or saved in another user "
                f'session. Sign in again with `twconv login --profile "{profile.name}"`.'
            )
        return credentials

    def save(
        self,
        name: str,
        credentials: ApiCredentials,
        settings: ProfileSettings | None = None,
        *,
        make_default: bool = False,
    ) -> SignInProfile:
        """Create profile `name`, or replace its secrets (and settings, when given).

        The secrets go to the keyring first: when it fails, nothing is written to disk. The
        first profile becomes the default. The profile's kind follows the credentials (a
        pixel token, or the four OAuth keys).

        Raises:
            TwconvError: When the name is unusable or the keyring or settings file fails.
        """
        wanted = check_profile_name(name)
        default, entries = self._read()
        existing = _lookup(entries, wanted)
        name = existing or wanted
        chosen = settings or entries.get(name) or ProfileSettings()
        chosen = replace(chosen, kind=kind_of(credentials))  # checked before the keyring
        self.vault.save(name, credentials)
        entries[name] = chosen
        if make_default or default is None or _lookup(entries, default) is None:
            default = name
        self._write(default, entries)
        return SignInProfile(name, entries[name], name == default)

    def update_settings(self, name: str, **changes: str) -> SignInProfile:
        """Change some settings of profile `name`, e.g. `update_settings("Acme", pixel_id="o8z6j")`.

        Raises:
            TwconvError: When the profile is unknown or a value is malformed.
        """
        unknown = sorted(set(changes) - set(SETTING_NAMES))
        if unknown:
            raise TwconvError(f"Unknown profile setting(s): {', '.join(unknown)}.")
        default, entries = self._read()
        found = _lookup(entries, name)
        if found is None:
            raise TwconvError(self._unknown(name, entries))
        entries[found] = replace(entries[found], **changes)
        self._write(default, entries)
        return SignInProfile(found, entries[found], found == default)

    def rename(self, old: str, new: str) -> SignInProfile:
        """Give profile `old` the name `new`, secrets and settings alike.

        Raises:
            TwconvError: When `old` is unknown, `new` is taken or unusable, or the keyring fails.
        """
        new = check_profile_name(new)
        default, entries = self._read()
        found = _lookup(entries, old)
        if found is None:
            raise TwconvError(self._unknown(old, entries))
        taken = _lookup(entries, new)
        if taken is not None and taken != found:
            raise TwconvError(f"A profile called “{taken}” exists already: choose another name.")
        if new == found:
            return SignInProfile(found, entries[found], found == default)
        credentials = self.vault.load(found)
        if credentials is not None:
            self.vault.save(new, credentials)
            self.vault.delete(found)
            if self.vault.load(new) is None:  # a keyring whose names ignore letter case
                self.vault.save(new, credentials)
        entries[new] = entries.pop(found)
        default = new if default == found else default
        self._write(default, entries)
        return SignInProfile(new, entries[new], new == default)

    def delete(self, name: str) -> SignInProfile:
        """Remove profile `name` from the keyring and the settings file.

        When it was the default, the first remaining profile (by name) becomes the default.

        Raises:
            TwconvError: When the profile is unknown or the keyring refuses the deletion (the
                settings are kept then, so nothing is left half-deleted).
        """
        default, entries = self._read()
        found = _lookup(entries, name)
        if found is None:
            raise TwconvError(self._unknown(name, entries))
        self.vault.delete(found)
        removed = SignInProfile(found, entries.pop(found), found == default)
        if default == found:
            default = min(entries, key=str.casefold) if entries else None
        self._write(default, entries)
        return removed

    def set_default(self, name: str) -> SignInProfile:
        """Make profile `name` the one commands use when none is named.

        Raises:
            TwconvError: When the profile is unknown.
        """
        _default, entries = self._read()
        found = _lookup(entries, name)
        if found is None:
            raise TwconvError(self._unknown(name, entries))
        self._write(found, entries)
        return SignInProfile(found, entries[found], True)

    def _unknown(self, name: str, entries: Mapping[str, ProfileSettings] | None = None) -> str:
        known = sorted(entries if entries is not None else self._read()[1], key=str.casefold)
        listed = ", ".join(f"“{n}”" for n in known) if known else "none yet"
        return (
            f"There is no sign-in profile called “{name}” (profiles: {listed}). Create it with "
            f'`twconv login --profile "{name}"`.'
        )

    def _read(self) -> tuple[str | None, dict[str, ProfileSettings]]:
        return read_settings_file(self.settings_path)

    def _write(self, default: str | None, entries: Mapping[str, ProfileSettings]) -> None:
        write_settings_file(self.settings_path, default, entries)


def check_profile_name(name: str) -> str:
    """The profile name, trimmed, if usable as a name and as a keyring entry.

    Raises:
        TwconvError: When the name is empty, too long or holds control characters.
    """
    text = unicodedata.normalize("NFC", str(name)).strip()
    if not text:
        raise TwconvError('A profile needs a name, e.g. "Acme US".')
    if len(text) > MAX_NAME_LENGTH:
        raise TwconvError(f"A profile name can have at most {MAX_NAME_LENGTH} characters.")
    if any(unicodedata.category(char).startswith("C") for char in text):
        raise TwconvError("A profile name cannot contain tabs, line breaks or control characters.")
    return text


def resolve_credentials(
    profile_name: str | None,
    *,
    store: ProfileStore | None = None,
    environ: Mapping[str, str] | None = None,
) -> tuple[ApiCredentials, str]:
    """The credentials to use, and where they come from in words.

    The environment wins when set (automation): `TWCONV_PIXEL_TOKEN`, or the four OAuth
    `TWCONV_*` variables (not both); otherwise the named profile's secrets, or the default
    profile's when no name is given.

    Args:
        profile_name: The profile to use, or None for the default one.
        store: The profiles; the OS keyring and the settings file when None.
        environ: The environment to read; `os.environ` when None.

    Returns:
        The credentials and their source, e.g. `profile “Acme US” (system keyring)`.

    Raises:
        TwconvError: When nothing is configured, the profile is unknown, the keyring fails,
            or the environment holds both a pixel token and OAuth keys.
    """
    token = pixel_token_from_env(environ)
    from_env: ApiCredentials | None = credentials_from_env(environ)
    if token is not None and from_env is not None:
        raise TwconvError(
            f"Both {PIXEL_TOKEN_ENV} and the OAuth variables {', '.join(ENV_VARS)} are set: "
            "unset the ones you do not mean to use."
        )
    if token is not None:
        from_env = token
    if from_env is not None:
        source = (
            f"the {PIXEL_TOKEN_ENV} environment variable"
            if token
            else ("the TWCONV_* environment variables")
        )
        if profile_name:
            source += f" (they override profile “{profile_name}”)"
        return from_env, source
    store = store if store is not None else ProfileStore()
    profile = store.get(profile_name) if profile_name else store.default()
    if profile is None:
        raise TwconvError(
            "No X Ads API credentials found. Sign in with `twconv login --pixel-token` (a "
            "token from Events Manager) or `twconv login` (the keys of an X developer app); "
            f"both keep them in the system keyring. For scripts, set {PIXEL_TOKEN_ENV} (with "
            f"--pixel-id) or {', '.join(ENV_VARS)}."
        )
    return store.credentials(profile.name), f"profile “{profile.name}” (system keyring)"


def environment_credentials_set(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the environment holds credentials (a pixel token or the OAuth keys), which
    then win over any profile's."""
    return pixel_token_from_env(environ) is not None or credentials_from_env(environ) is not None


def _lookup(entries: Mapping[str, Any], name: str) -> str | None:
    """The stored spelling of `name`: exact match first, then ignoring letter case."""
    text = unicodedata.normalize("NFC", str(name)).strip()
    if text in entries:
        return text
    folded = text.casefold()
    return next((key for key in entries if key.casefold() == folded), None)
