"""Starts the desktop app: `twconv-gui [FILE] [--sandbox]` and `python -m twconv_gui`; checks
Qt's system libraries first (gui_requirements), then loads Qt (app_window)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from twconv_gui import gui_requirements


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="twconv-gui", description="X Ads offline conversions")
    parser.add_argument("file", nargs="?", help="an export to open at start")
    parser.add_argument(
        "--sandbox", action="store_true", help="start in Sandbox mode (no account needed)"
    )
    args, qt_args = parser.parse_known_args(argv)
    missing = gui_requirements.check(qt_args)
    if missing is not None:  # said which system libraries to install, before Qt aborts
        return missing
    # Qt is loaded only now: importing it fails outright when its libraries are missing.
    from twconv_gui import app_window  # noqa: PLC0415 - after the check, on purpose

    return app_window.run(args, qt_args)
