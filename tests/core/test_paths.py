"""App data folders: where the journal, logs and reports land, and what happens when they cannot."""

import stat
import sys
from datetime import datetime

import pytest

from twconv_gui.core import paths
from twconv_gui.core.errors import TwconvError


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    folder = tmp_path / "nested" / "twconv data"
    monkeypatch.setenv("TWCONV_DATA_DIR", str(folder))
    return folder


def test_env_override_is_the_data_folder_and_is_created_private(data_home):
    assert paths.data_dir() == data_home
    assert data_home.is_dir()
    if sys.platform != "win32":
        assert stat.S_IMODE(data_home.stat().st_mode) == 0o700


def test_journal_logs_and_reports_live_in_the_data_folder(data_home):
    assert paths.journal_path() == data_home / "journal.sqlite3"
    assert not paths.journal_path().exists()  # the journal creates its own file
    assert paths.logs_dir() == data_home / "logs"
    assert paths.logs_dir().is_dir()
    folder = paths.job_reports_dir(12, datetime(2024, 5, 1, 9, 30, 5))
    assert folder == data_home / "reports" / "20240501-093005-job12"


def test_platform_folder_is_used_without_the_override(tmp_path, monkeypatch):
    monkeypatch.delenv("TWCONV_DATA_DIR", raising=False)
    calls = []

    def user_data_dir(appname, appauthor):
        calls.append((appname, appauthor))
        return str(tmp_path / "platform" / appname)

    monkeypatch.setattr(paths.platformdirs, "user_data_dir", user_data_dir)
    assert paths.data_dir() == tmp_path / "platform" / "twconv-gui"
    assert calls == [("twconv-gui", False)]
    assert (tmp_path / "platform" / "twconv-gui").is_dir()


def test_a_folder_that_cannot_be_created_says_what_to_do(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TWCONV_DATA_DIR", str(blocker / "data"))
    with pytest.raises(TwconvError) as caught:
        paths.data_dir()
    message = str(caught.value)
    assert str(blocker / "data") in message
    assert "TWCONV_DATA_DIR" in message


def test_config_folder_follows_its_own_override(tmp_path, monkeypatch):
    folder = tmp_path / "settings here"
    monkeypatch.setenv("TWCONV_CONFIG_DIR", str(folder))
    assert paths.config_dir() == folder
    assert folder.is_dir()
    if sys.platform != "win32":
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_config_folder_is_the_platform_one_without_override(tmp_path, monkeypatch):
    monkeypatch.delenv("TWCONV_CONFIG_DIR", raising=False)
    calls = []

    def user_config_dir(appname, appauthor):
        calls.append((appname, appauthor))
        return str(tmp_path / "cfg" / appname)

    monkeypatch.setattr(paths.platformdirs, "user_config_dir", user_config_dir)
    assert paths.config_dir() == tmp_path / "cfg" / "twconv-gui"
    assert calls == [("twconv-gui", False)]


def test_config_folder_that_cannot_be_created_names_its_variable(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TWCONV_CONFIG_DIR", str(blocker / "cfg"))
    with pytest.raises(TwconvError, match=r"settings folder .*TWCONV_CONFIG_DIR"):
        paths.config_dir()
