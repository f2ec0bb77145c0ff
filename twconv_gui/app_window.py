"""The desktop app's Qt side: the application, the main window, the first-start question."""

from __future__ import annotations

import argparse
import sys

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from twconv_gui import APP_NAME, __version__
from twconv_gui.core.logs import setup_logging
from twconv_gui.gui import settings as options
from twconv_gui.gui.gc_guard import MainThreadCollector, favour_the_window
from twconv_gui.gui.main_window import MainWindow
from twconv_gui.gui.sandbox_mode import resource_path
from twconv_gui.gui.settings import Settings


def run(args: argparse.Namespace, qt_args: list[str]) -> int:
    app = QApplication([sys.argv[0], *qt_args])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName("twconv-gui")
    app.setWindowIcon(QIcon(str(resource_path("twconv-gui.svg"))))
    setup_logging()
    collector = MainThreadCollector(app)  # cycles are freed on this thread, never in workers
    favour_the_window()
    settings = Settings()
    window = MainWindow(settings=settings)
    window.show()
    collector.settle()
    if args.sandbox:
        window.start_sandbox(open_sample=args.file is None)
    elif window.use_default_profile():
        pass  # signed in with the default profile, read from the keyring in the background
    elif not settings.get(options.SANDBOX_OFFERED):
        settings.set(options.SANDBOX_OFFERED, True)
        answer = QMessageBox.question(
            window,
            "Try it without an account?",
            "Sandbox mode runs a stand-in for the X Ads API on this computer, with demo keys "
            "and a sample export, so you can go through load, map, preview and upload "
            "without sending anything to X.\n\nStart in Sandbox mode?",
        )
        if answer == QMessageBox.StandardButton.Yes:
            window.start_sandbox(open_sample=args.file is None)
    if args.file:
        window.open_file(args.file)
    code: int = app.exec()
    collector.stop()
    return code
