"""Suite-wide setup: headless Qt, private data and settings folders, an in-memory keyring."""

import os

import keyring
import keyring.errors
import pytest
from hypothesis import settings as hypothesis_settings
from keyring.backend import KeyringBackend

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Times without a zone are read in the computer's zone: pin it, so results do not depend on
# where the suite runs (tests of that rule set TZ themselves).
os.environ["TZ"] = "UTC"


class MemoryKeyring(KeyringBackend):
    """A keyring held in a dict, which can also play a locked or a refusing vault.

    Attributes:
        entries: (service, user name) -> password.
        locked: every call raises KeyringLocked, as a locked Secret Service collection does.
        refuse_writes: set_password raises PasswordSetError (the user declined the prompt).
    """

    priority = 0  # never chosen by keyring's own detection, only set explicitly

    def __init__(self):
        super().__init__()
        self.entries = {}
        self.locked = False
        self.refuse_writes = False

    def _check_unlocked(self):
        if self.locked:
            raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def get_password(self, service, username):
        self._check_unlocked()
        return self.entries.get((service, username))

    def set_password(self, service, username, password):
        self._check_unlocked()
        if self.refuse_writes:
            raise keyring.errors.PasswordSetError("Prompt dismissed.")
        self.entries[(service, username)] = password

    def delete_password(self, service, username):
        self._check_unlocked()
        if (service, username) not in self.entries:
            raise keyring.errors.PasswordDeleteError("not found")
        del self.entries[(service, username)]


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path_factory, monkeypatch):
    """Journal, logs, spool and reports of each test go to a fresh folder, never the user's.

    Sign-in profile settings go to another fresh folder (TWCONV_CONFIG_DIR).
    """
    folder = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("TWCONV_DATA_DIR", str(folder))
    monkeypatch.setenv("TWCONV_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    for name in (
        "TWCONV_CONSUMER_KEY",
        "TWCONV_CONSUMER_SECRET",
        "TWCONV_ACCESS_TOKEN",
        "TWCONV_ACCESS_TOKEN_SECRET",
    ):
        monkeypatch.delenv(name, raising=False)
    return folder


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch):
    """Every test gets an empty in-memory keyring: no test ever touches a real vault.

    Child processes get keyring's fail backend through PYTHON_KEYRING_BACKEND, for the same
    reason.
    """
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


# CI runs the same examples every time: a red CI must come from a change, not from luck.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "default")
