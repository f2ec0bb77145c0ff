"""GUI tests: private preferences, and garbage collected on the GUI thread only (as the app)."""

import pytest
from PySide6.QtCore import QSettings

from twconv_gui.gui.gc_guard import MainThreadCollector


@pytest.fixture(autouse=True)
def private_settings(tmp_path_factory):
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture(autouse=True)
def collect_on_the_gui_thread(qapp):
    """A cycle holding a Qt object must never be freed by a worker thread (Qt would crash)."""
    collector = MainThreadCollector()
    yield
    collector.stop()
    collector.deleteLater()
