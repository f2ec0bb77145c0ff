"""Starts the Qt application: `twconv-gui [FILE] [--sandbox]` and `python -m twconv_gui`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from twconv_gui import APP_NAME, __version__
from twconv_gui.core.logs import setup_logging
from twconv_gui.gui import settings as options
from twconv_gui.gui.gc_guard import MainThreadCollector
from twconv_gui.gui.main_window import MainWindow
from twconv_gui.gui.sandbox_mode import resource_path
from twconv_gui.gui.settings import Settings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="twconv-gui", description="X Ads offline conversions")
    parser.add_argument("file", nargs="?", help="an export to open at start")
    parser.add_argument(
        "--sandbox", action="store_true", help="start in Sandbox mode (no account needed)"
    )
    args, qt_args = parser.parse_known_args(argv)
    app = QApplication([sys.argv[0], *qt_args])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName("twconv-gui")
    app.setWindowIcon(QIcon(str(resource_path("twconv-gui.svg"))))
    setup_logging()
    collector = MainThreadCollector(app)  # cycles are freed on this thread, never in workers
    settings = Settings()
    window = MainWindow(settings=settings)
    window.show()
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
    code = app.exec()
    collector.stop()
    return code
