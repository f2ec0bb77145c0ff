"""Before Qt starts on Linux/X11: the system libraries its xcb plugin needs, named when missing.

Without them Qt aborts with "could not load the Qt platform plugin xcb", which names none.
Imports no Qt: it runs before PySide6 is loaded (QtGui itself needs some of these).
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TextIO

# Library -> the Debian/Ubuntu package that ships it. The libraries are the NEEDED entries of
# PySide6 6.11's libqxcb.so, libQt6XcbQpa, libQt6Gui, libQt6Widgets and libQt6DBus that are
# not part of the wheel (readelf -d), matching Qt's "Qt for X11 Requirements" page (Qt 6.5+
# adds xcb-cursor). Keep README's Quick start in step.
XCB_LIBRARIES: dict[str, str] = {
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
}
EXIT_MISSING = 2


def loadable(name: str) -> bool:
    """Whether the dynamic loader finds this library (as Qt's own loading would)."""
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def uses_xcb(environ: Mapping[str, str], qt_args: Sequence[str] = ()) -> bool:
    """Whether Qt will start its xcb (X11) plugin: the platform asked for, or Qt's default."""
    args = list(qt_args)
    if "-platform" in args[:-1]:
        platform = args[args.index("-platform") + 1]
    else:
        platform = environ.get("QT_QPA_PLATFORM", "")
    if platform:
        return platform.split(":")[0].split(";")[0] == "xcb"
    # Qt 6 picks its wayland plugin in a Wayland session; that one needs other libraries.
    return not (environ.get("XDG_SESSION_TYPE") == "wayland" and environ.get("WAYLAND_DISPLAY"))


def missing_libraries(
    *,
    environ: Mapping[str, str] | None = None,
    qt_args: Sequence[str] = (),
    platform: str | None = None,
    finder: Callable[[str], bool] | None = None,
) -> list[str]:
    """The libraries Qt's xcb plugin needs that cannot be loaded ([] when not on X11)."""
    if not (platform or sys.platform).startswith("linux"):
        return []
    if not uses_xcb(os.environ if environ is None else environ, qt_args):
        return []
    found = finder or loadable
    return [name for name in XCB_LIBRARIES if not found(name)]


def explain(missing: Sequence[str], out: TextIO) -> None:
    """What is missing and the command that installs it."""
    packages = " ".join(dict.fromkeys(XCB_LIBRARIES[name] for name in missing))
    out.write(
        "twconv-gui cannot open its window: Qt's X11 plugin (xcb) needs system libraries "
        "this computer does not have:\n"
        f"  {', '.join(missing)}\n"
        "On Debian or Ubuntu, install them with:\n"
        f"  sudo apt-get install {packages}\n"
        "(Fedora and others ship the same libraries under similar names. The command "
        "`twconv` needs none of them.)\n"
    )


def check(qt_args: Sequence[str] = (), out: TextIO | None = None) -> int | None:
    """EXIT_MISSING after saying what to install when libraries are missing, else None."""
    missing = missing_libraries(qt_args=qt_args)
    if not missing:
        return None
    explain(missing, out or sys.stderr)
    return EXIT_MISSING
