"""`make run` on a computer without Qt's X11 libraries says what to install instead of aborting."""

import subprocess
import sys
from pathlib import Path

from twconv_gui import app, gui_requirements

X11 = {"DISPLAY": ":0"}
ABSENT = {"libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxkbcommon-x11.so.0"}


def test_missing_libraries_are_named_with_the_install_line(monkeypatch, capsys):
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("XDG_SESSION_TYPE", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(gui_requirements, "loadable", lambda name: name not in ABSENT)
    assert app.main(["--sandbox"]) == 2  # before any window: Qt would abort
    err = capsys.readouterr().err
    assert "libxcb-cursor.so.0, libxcb-icccm.so.4, libxkbcommon-x11.so.0" in err
    assert "sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxkbcommon-x11-0\n" in err


def test_nothing_is_missing_on_a_complete_system():
    found = gui_requirements.missing_libraries(environ=X11, platform="linux", finder=lambda n: True)
    assert found == []


def test_only_checked_where_qt_uses_xcb():
    def none(name):
        return False

    def check(environ, platform="linux", qt_args=()):
        return gui_requirements.missing_libraries(
            environ=environ, platform=platform, qt_args=qt_args, finder=none
        )

    assert len(check(X11)) == len(gui_requirements.XCB_LIBRARIES)  # Qt's default on X11
    assert check({"QT_QPA_PLATFORM": "xcb"})
    assert check({"QT_QPA_PLATFORM": "offscreen"}) == []  # tests, servers
    assert check({"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}) == []
    assert check(X11, qt_args=["-platform", "offscreen"]) == []
    assert check(X11, platform="darwin") == []
    assert check(X11, platform="win32") == []


def test_every_library_has_a_package_and_the_readme_lists_them():
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    for package in gui_requirements.XCB_LIBRARIES.values():
        assert package in readme


def test_the_check_runs_before_qt_is_loaded():
    code = "import sys, twconv_gui.app; print('PySide6' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
