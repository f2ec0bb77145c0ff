"""Suite-wide setup: headless Qt and a private data folder for every test."""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path_factory, monkeypatch):
    """Journal, logs, spool and reports of each test go to a fresh folder, never the user's."""
    folder = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("TWCONV_DATA_DIR", str(folder))
    for name in (
        "TWCONV_CONSUMER_KEY",
        "TWCONV_CONSUMER_SECRET",
        "TWCONV_ACCESS_TOKEN",
        "TWCONV_ACCESS_TOKEN_SECRET",
    ):
        monkeypatch.delenv(name, raising=False)
    return folder
