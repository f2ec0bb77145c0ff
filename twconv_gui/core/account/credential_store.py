"""The OS keyring as the only home of sign-in secrets: one entry per profile, errors in words."""

from __future__ import annotations

import json
import logging
from typing import Any, NoReturn

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends import chainer

from twconv_gui.core.api.credentials import ENV_VARS, Credentials
from twconv_gui.core.api.pixel_token import PIXEL_TOKEN_ENV, ApiCredentials, PixelToken
from twconv_gui.core.errors import TwconvError
from twconv_gui.core.logs import register_secret

log = logging.getLogger(__name__)

SERVICE = "twconv-gui"
_FIELDS = ("consumer_key", "consumer_secret", "access_token", "access_token_secret")
_ENV_HINT = (
    "For scripts and servers without a keyring, set the environment variable "
    f"{PIXEL_TOKEN_ENV} (a pixel token) or {', '.join(ENV_VARS)} instead."
)
_NO_VAULT = (
    "No system keyring is available to keep the API secrets, and twconv-gui never stores them in "
    "a plain file. On Linux, install and start a Secret Service keyring (GNOME Keyring: package "
    "gnome-keyring; KDE: KWallet) in your desktop session, then try again. " + _ENV_HINT
)
_LOCKED = (
    "The system keyring is locked. Unlock it (log in to the desktop session, or open Passwords "
    "and Keys / KWallet Manager / Keychain Access and unlock it), then try again. " + _ENV_HINT
)


def register_credentials(credentials: ApiCredentials) -> None:
    """Make every value of `credentials` show as "[secret]" in the app's log lines."""
    if isinstance(credentials, PixelToken):
        register_secret(credentials.token)
        return
    for name in _FIELDS:
        register_secret(getattr(credentials, name))


class CredentialVault:
    """The secrets of each sign-in profile (four OAuth keys or one pixel token), in the OS keyring.

    Each profile is one keyring entry: service `twconv-gui`, user name the profile's name,
    password a JSON object holding the four values (or `{"kind": "pixel_token", "pixel_token":
    ...}`). One entry (not four) means one unlock
    prompt on macOS, and a profile is saved or replaced whole, never half.

    Every keyring failure becomes a TwconvError that says what happened and what to do; the
    messages never quote a secret. Nothing here ever falls back to a file.
    """

    def __init__(self, service: str = SERVICE, backend: KeyringBackend | None = None) -> None:
        """Create the vault; nothing is read until the first call.

        Args:
            service: The keyring service name.
            backend: The keyring backend to use; the one `keyring` chose (or was given with
                `keyring.set_keyring`) when None, looked up at each call.
        """
        self.service = service
        self._backend = backend

    def backend(self) -> KeyringBackend:
        """The usable keyring backend, judged by where it really stores passwords.

        Refused: keyring's fail and null backends, plain-file backends (keyrings.alt's
        PlaintextKeyring or any backend with a `file_path`, except its EncryptedKeyring), and
        backends keyring itself finds unusable here; matched on the whole class hierarchy,
        not a name. A chain of backends is opened up (see `_real_storage`).

        Raises:
            TwconvError: When there is no usable keyring (none installed, keyring disabled,
                or only a plain-text file backend).
        """
        try:
            backend = self._backend if self._backend is not None else keyring.get_keyring()
        except Exception as exc:  # a broken keyringrc.cfg or backend import
            log.warning("keyring backend could not be loaded: %s", type(exc).__name__)
            raise TwconvError(_NO_VAULT) from None
        return _real_storage(backend)

    def backend_name(self) -> str:
        """The keyring in use, in words (e.g. `SecretService Keyring`), or why there is none."""
        try:
            return " ".join(str(self.backend().name).split())
        except TwconvError:
            return "no usable keyring"

    def check_usable(self) -> None:
        """Raise the actionable TwconvError now when there is no usable keyring."""
        self.backend()

    def load(self, profile: str) -> ApiCredentials | None:
        """The credentials stored for `profile`, or None when there is no entry.

        Raises:
            TwconvError: When the keyring cannot be read or the entry is damaged.
        """
        backend = self.backend()
        try:
            stored = backend.get_password(self.service, profile)
        except Exception as exc:
            _fail(exc, f"read the secrets of profile “{profile}”")
        if stored is None:
            return None
        credentials = _decode(stored, profile)
        register_credentials(credentials)
        return credentials

    def save(self, profile: str, credentials: ApiCredentials) -> None:
        """Store (or replace) the credentials of `profile`, and check the keyring kept them.

        Raises:
            TwconvError: When the keyring refuses the write or does not keep the value.
        """
        register_credentials(credentials)
        backend = self.backend()
        payload = _encode(credentials)
        try:
            backend.set_password(self.service, profile, payload)
            kept = backend.get_password(self.service, profile)
        except Exception as exc:
            _fail(exc, f"save the secrets of profile “{profile}”")
        if kept != payload:
            raise TwconvError(
                f"The system keyring ({backend.name}) did not keep the secrets of profile "
                f"“{profile}”: it may be read-only or full. Check it in your keyring manager. "
                + _ENV_HINT
            )

    def delete(self, profile: str) -> bool:
        """Remove the entry of `profile`; True when there was one.

        Raises:
            TwconvError: When the keyring cannot be read or refuses the deletion.
        """
        backend = self.backend()
        action = f"delete the secrets of profile “{profile}”"
        try:
            if backend.get_password(self.service, profile) is None:
                return False
            try:
                backend.delete_password(self.service, profile)
            except keyring.errors.PasswordDeleteError as exc:
                if backend.get_password(self.service, profile) is not None:
                    raise exc from None  # refused, not merely gone in the meantime
        except Exception as exc:
            _fail(exc, action)
        return True


def _encode(credentials: ApiCredentials) -> str:
    if isinstance(credentials, PixelToken):
        return json.dumps({"kind": "pixel_token", "pixel_token": credentials.token})
    return json.dumps({name: getattr(credentials, name) for name in _FIELDS})


def _decode(stored: str, profile: str) -> ApiCredentials:
    damaged = TwconvError(
        f"The keyring entry of profile “{profile}” (service {SERVICE}) is damaged. Sign in again "
        f'with `twconv login --profile "{profile}"` to replace it.'
    )
    try:
        data: Any = json.loads(stored)
    except ValueError:
        raise damaged from None
    if isinstance(data, dict) and data.get("kind") == "pixel_token":
        try:
            return PixelToken(str(data.get("pixel_token") or ""))
        except TwconvError:
            raise damaged from None
    if not isinstance(data, dict) or not all(isinstance(data.get(n), str) for n in _FIELDS):
        raise damaged
    try:
        return Credentials(*(data[name] for name in _FIELDS))
    except TwconvError:
        raise damaged from None


def _fail(exc: Exception, action: str) -> NoReturn:
    """Raise the TwconvError that tells the user what the keyring failure means."""
    # Only the type: a backend's message may quote what it was given.
    log.warning("keyring failed to %s: %s", action, type(exc).__name__)
    if isinstance(exc, keyring.errors.NoKeyringError | keyring.errors.InitError):
        raise TwconvError(_NO_VAULT) from None
    if isinstance(exc, keyring.errors.KeyringLocked):
        raise TwconvError(_LOCKED) from None
    if isinstance(exc, keyring.errors.PasswordDeleteError):
        raise TwconvError(
            f"The system keyring refused to {action}. Unlock it and allow twconv-gui access "
            "when asked, or remove the entry in your keyring manager (service twconv-gui), "
            "then try again."
        ) from None
    if isinstance(exc, keyring.errors.PasswordSetError):
        raise TwconvError(
            f"The system keyring refused to {action}: the request was declined or the keyring "
            "is read-only. Unlock it and allow twconv-gui access when asked, then try again. "
            + _ENV_HINT
        ) from None
    if isinstance(exc, keyring.errors.KeyringError):
        raise TwconvError(
            f"The system keyring failed to {action} ({type(exc).__name__}). Check that it is "
            "running and unlocked, then try again. " + _ENV_HINT
        ) from None
    raise TwconvError(
        f"The system keyring failed to {action} ({type(exc).__name__}): it may not be running. "
        "Start or unlock it, then try again. " + _ENV_HINT
    ) from None


# Backends that keep nothing, or keep passwords in a readable file, by class (matched anywhere
# in a backend's class hierarchy, so a subclass under another name is caught too).
_NO_STORAGE = frozenset({"keyring.backends.fail.Keyring"})
_DISABLED = frozenset({"keyring.backends.null.Keyring"})
_PLAIN_FILE = frozenset({"keyrings.alt.file.PlaintextKeyring"})
_ENCRYPTED_FILE = "keyrings.alt.file.EncryptedKeyring"
_TURNED_OFF = (
    "The system keyring is turned off for Python programs (keyring's null backend is "
    "configured, e.g. by PYTHON_KEYRING_BACKEND or `keyring --disable`). Remove that "
    "setting to keep the API secrets in the keyring. " + _ENV_HINT
)


def _class_names(backend: KeyringBackend) -> set[str]:
    return {f"{cls.__module__}.{cls.__qualname__}" for cls in type(backend).__mro__}


def _refusal(backend: KeyringBackend) -> str | None:
    """Why `backend` cannot hold the secrets (a message), or None when it can."""
    names = _class_names(backend)
    if names & _NO_STORAGE:
        return _NO_VAULT
    if names & _DISABLED:
        return _TURNED_OFF
    file_backed = "file_path" in getattr(backend, "__dict__", {}) or any(
        "file_path" in vars(cls) for cls in type(backend).__mro__
    )
    if (
        names & _PLAIN_FILE
        or (file_backed and _ENCRYPTED_FILE not in names)
        or "plaintext" in type(backend).__name__.lower()
    ):
        return (
            f"The configured keyring ({type(backend).__name__}) keeps passwords in a plain "
            "file, and twconv-gui does not store API secrets that way. Configure a system "
            "keyring (GNOME Keyring, KWallet, macOS Keychain, Windows Credential Manager). "
            + _ENV_HINT
        )
    try:
        priority = float(backend.priority)
    except Exception:  # keyring's own test of a backend: its priority cannot be read here
        priority = None
    viable = priority is not None and bool(getattr(type(backend), "viable", True))
    if (priority is None or priority <= 0) and not viable:
        return _NO_VAULT
    return None


def _real_storage(backend: KeyringBackend) -> KeyringBackend:
    """The backend that will really hold the secrets.

    A chain is opened up: its members that cannot hold secrets are left out, and the first
    one left (the chain's own order) is used on its own, so a locked or failing keyring can
    never spill the secrets into a plain file further down the chain.

    Raises:
        TwconvError: nothing usable is left; the message says why and what to do.
    """
    if isinstance(backend, chainer.ChainerBackend):
        members: list[KeyringBackend] = list(backend.backends)
        if not members:
            raise TwconvError(_NO_VAULT)
        refusals = [_refusal(member) for member in members]
        for member, refused in zip(members, refusals, strict=True):
            if refused is None:
                return member
        raise TwconvError(next(r for r in refusals if r is not None))
    refused = _refusal(backend)
    if refused is not None:
        raise TwconvError(refused)
    return backend
