"""Starts the Qt application: `twconv-gui [FILE]` and `python -m twconv_gui`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import resources

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from twconv_gui import APP_NAME, __version__
from twconv_gui.gui.main_window import MainWindow


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="twconv-gui", description="X Ads offline conversions")
    parser.add_argument("file", nargs="?", help="an export to open at start")
    args, qt_args = parser.parse_known_args(argv)
    app = QApplication([sys.argv[0], *qt_args])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    icon = resources.files("twconv_gui.resources") / "twconv-gui.svg"
    app.setWindowIcon(QIcon(str(icon)))
    window = MainWindow()
    window.show()
    if args.file:
        window.open_file(args.file)
    return app.exec()
