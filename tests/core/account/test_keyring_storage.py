"""Which keyrings may hold the secrets: decided on where they really store them, not on names."""

from __future__ import annotations

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer

from tests.conftest import MemoryKeyring
from twconv_gui.core.account.credential_store import CredentialVault
from twconv_gui.core.api.credentials import Credentials
from twconv_gui.core.errors import TwconvError

KEYS = Credentials("ckey0123456789", "csecret0123456789", "1-token0123", "tsecret0123")


def _named(module: str, name: str, base: type = MemoryKeyring) -> type:
    """A backend class that claims to live at module.name (keyrings.alt is not installed)."""
    return type(name, (base,), {"__module__": module, "__qualname__": name})


PlaintextKeyring = _named("keyrings.alt.file", "PlaintextKeyring")
EncryptedKeyring = _named("keyrings.alt.file", "EncryptedKeyring")
FailKeyring = _named("keyring.backends.fail", "Keyring")


class RenamedPlainFile(PlaintextKeyring):  # type: ignore[misc, valid-type]
    """A plain file keyring under an innocent name."""


class CustomFileKeyring(MemoryKeyring):
    """Some third-party backend that keeps its entries in a file."""

    file_path = "/home/someone/.local/share/python_keyring/keyring_pass.cfg"


class EncryptedFile(EncryptedKeyring):  # type: ignore[misc, valid-type]
    file_path = "/home/someone/.local/share/python_keyring/crypted_pass.cfg"


class NotHere(MemoryKeyring):
    """A backend keyring itself finds unusable here: reading its priority fails."""

    @classmethod
    def _priority(cls) -> float:
        raise RuntimeError("no D-Bus session")

    priority = property(lambda self: self._priority())  # type: ignore[assignment]


class UnviableLowPriority(MemoryKeyring):
    priority = -1  # type: ignore[assignment]
    viable = False  # type: ignore[assignment]


class Chain(chainer.ChainerBackend):
    """A chain of given backends (keyring builds its own from what is installed)."""

    def __init__(self, *members: KeyringBackend) -> None:
        super().__init__()
        self._members = list(members)

    @property
    def backends(self) -> list[KeyringBackend]:  # type: ignore[override]
        return self._members


def refusal(backend: KeyringBackend) -> str:
    keyring.set_keyring(backend)
    with pytest.raises(TwconvError) as caught:
        CredentialVault().save("Acme", KEYS)
    return str(caught.value)


@pytest.mark.parametrize(
    "backend", [RenamedPlainFile(), CustomFileKeyring()], ids=["renamed-plaintext", "file-path"]
)
def test_file_keyrings_are_refused_whatever_their_name(backend):
    message = refusal(backend)
    assert "plain file" in message
    assert "TWCONV_PIXEL_TOKEN" in message


def test_a_chain_is_opened_up_and_used_only_through_its_safe_member():
    safe, plain = MemoryKeyring(), PlaintextKeyring()
    keyring.set_keyring(Chain(plain, safe))
    vault = CredentialVault()
    assert vault.backend() is safe
    vault.save("Acme", KEYS)
    assert plain.entries == {}  # a locked or failing safe member cannot spill into the file
    assert ("twconv-gui", "Acme") in safe.entries


def test_a_chain_of_only_unsafe_backends_is_refused():
    message = refusal(Chain(PlaintextKeyring(), FailKeyring()))
    assert "plain file" in message or "No system keyring" in message


def test_a_renamed_fail_keyring_is_no_keyring():
    renamed = type("Vault", (FailKeyring,), {})
    assert "No system keyring" in refusal(renamed())


@pytest.mark.parametrize("backend", [NotHere(), UnviableLowPriority()], ids=["raises", "flag"])
def test_a_backend_keyring_finds_unusable_is_refused(backend):
    assert "No system keyring" in refusal(backend)


def test_the_encrypted_file_keyring_is_accepted():
    backend = EncryptedFile()
    keyring.set_keyring(backend)
    CredentialVault().save("Acme", KEYS)
    assert ("twconv-gui", "Acme") in backend.entries


def test_an_ordinary_keyring_is_used_as_it_is(memory_keyring):
    assert CredentialVault().backend() is memory_keyring
