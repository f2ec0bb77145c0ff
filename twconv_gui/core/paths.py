"""Where the app keeps its own files: settings, the upload journal, logs and reports."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import platformdirs

from twconv_gui.core.errors import TwconvError

APP_NAME = "twconv-gui"
DATA_DIR_ENV = "TWCONV_DATA_DIR"  # overrides the platform folder (tests, portable installs)
CONFIG_DIR_ENV = "TWCONV_CONFIG_DIR"  # the same for settings (sign-in profiles, never secrets)


def _ensure_private_dir(folder: Path, *, kind: str = "data", env: str = DATA_DIR_ENV) -> Path:
    """The folder, created readable by its owner only (0o700) if it does not exist yet."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise TwconvError(
            f"Cannot create the twconv-gui {kind} folder {folder}: {reason}. Free some disk "
            f"space, fix the folder's permissions, or set {env} to a folder you can write to."
        ) from None
    return folder


def create_private_file(path: Path) -> None:
    """Create `path` empty and readable by its owner only (0o600), unless it exists already.

    For files that others then open by name (SQLite, the log handler): created this way first,
    they never exist with the umask's looser mode, not even for a moment.

    Raises:
        OSError: the file cannot be created.
    """
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


@contextmanager
def private_replacement(path: Path) -> Iterator[Path]:
    """A new private file (0o600) beside `path` that takes `path`'s place when the block ends.

    The partial file has an unpredictable name (`tempfile`), so nobody can plant a link under
    its name beforehand; when the block raises, it is removed and `path` is left as it was.

    Raises:
        OSError: the partial file cannot be created or renamed into place.
    """
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(handle)
    partial = Path(name)
    try:
        yield partial
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def data_dir() -> Path:
    """The app's private data folder, created if needed.

    `TWCONV_DATA_DIR` wins when set; otherwise the platform's user data folder
    (e.g. ~/.local/share/twconv-gui on Linux, %LOCALAPPDATA%\\twconv-gui on Windows).

    Raises:
        TwconvError: the folder cannot be created (message says what to do).
    """
    override = os.environ.get(DATA_DIR_ENV, "").strip()
    if override:
        folder = Path(override).expanduser()
    else:
        folder = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return _ensure_private_dir(folder)


def config_dir() -> Path:
    """The app's settings folder (sign-in profiles without their secrets), created if needed.

    `TWCONV_CONFIG_DIR` wins when set; otherwise the platform's user config folder
    (e.g. ~/.config/twconv-gui on Linux, %LOCALAPPDATA%\\twconv-gui on Windows).

    Raises:
        TwconvError: the folder cannot be created (message says what to do).
    """
    override = os.environ.get(CONFIG_DIR_ENV, "").strip()
    if override:
        folder = Path(override).expanduser()
    else:
        folder = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    return _ensure_private_dir(folder, kind="settings", env=CONFIG_DIR_ENV)


def journal_path() -> Path:
    """The SQLite upload journal (its folder is created, the file is not)."""
    return data_dir() / "journal.sqlite3"


def logs_dir() -> Path:
    """The folder of the rotating log files, created if needed."""
    return _ensure_private_dir(data_dir() / "logs")


def job_reports_dir(job_id: int, started: datetime) -> Path:
    """The folder for one upload job's reports, e.g. reports/20240501-093000-job12.

    The folder itself is not created (the report writers do that); an aware `started` is
    shown in local time, as users read folder names, a naive one as it is.
    """
    moment = started.astimezone() if started.tzinfo is not None else started
    return data_dir() / "reports" / f"{moment:%Y%m%d-%H%M%S}-job{job_id}"
