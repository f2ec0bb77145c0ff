"""One live process per upload job: an OS file lock held while the job runs.

The operating system drops the lock when its process ends, however it ends (Ctrl-C, a crash,
`kill -9`): a second `twconv` or window is refused while the owner lives, and takes the job
over as soon as it is gone. The lock file says who holds it, for the refusal's message.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from twconv_gui.core.errors import TwconvError

_WINDOWS_LOCK_OFFSET = 1 << 20  # Windows locks bytes: lock one far past the owner's note


class JobBusy(TwconvError):  # noqa: N818 - "busy" is the message, not a bug
    """Another live process is sending this job."""


class JobLease:
    """The lock on one job (by fingerprint); `release()` (or the process ending) frees it."""

    def __init__(self, path: Path, handle: IO[bytes]) -> None:
        self.path = path
        self._handle: IO[bytes] | None = handle

    @classmethod
    def acquire(cls, folder: Path, fingerprint: str, *, program: str, what: str) -> JobLease:
        """Take the job's lock at once, or refuse.

        Args:
            folder: where lock files live (beside the journal).
            fingerprint: the job's fingerprint.
            program: who takes it, e.g. "twconv" or "the twconv-gui window".
            what: the job in words, e.g. "orders.csv to pixel o8z6j".

        Raises:
            JobBusy: another live process holds it; the message names it.
            TwconvError: the lock file cannot be created.
        """
        path = folder / f"job-{fingerprint[:32]}.lock"
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle = os.fdopen(os.open(path, os.O_RDWR | os.O_CREAT, 0o600), "r+b")
        except OSError as exc:
            raise TwconvError(
                f"Cannot create the lock file {path} ({exc.strerror or exc}). Check the "
                "folder's permissions, or set TWCONV_DATA_DIR to a folder you can write to."
            ) from None
        try:
            _lock(handle)
        except OSError:
            owner = _owner(handle)
            handle.close()
            raise JobBusy(_busy_message(owner, what)) from None
        note = {"pid": os.getpid(), "program": program, "since": datetime.now().isoformat()}
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(note).encode())
        handle.flush()
        return cls(path, handle)

    def release(self) -> None:
        """Free the job (calling it again does nothing)."""
        handle, self._handle = self._handle, None
        if handle is not None:
            handle.close()  # closing the descriptor drops the lock


def _lock(handle: IO[bytes]) -> None:
    if sys.platform == "win32":
        import msvcrt  # noqa: PLC0415 - Windows only

        handle.seek(_WINDOWS_LOCK_OFFSET)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl  # noqa: PLC0415 - POSIX only

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def _owner(handle: IO[bytes]) -> dict[str, Any]:
    try:
        handle.seek(0)
        note = json.loads(handle.read(4096).decode("utf-8"))
    except (OSError, ValueError):
        return {}
    return note if isinstance(note, dict) else {}


def _busy_message(owner: dict[str, Any], what: str) -> str:
    program = str(owner.get("program") or "another program")
    pid = owner.get("pid")
    since = ""
    with contextlib.suppress(KeyError, ValueError):
        since = f", since {datetime.fromisoformat(str(owner['since'])):%Y-%m-%d %H:%M}"
    who = f"{program} (process {pid}{since})" if pid else program
    return (
        f"The upload of {what} is being sent right now by {who} on this computer. Two "
        "programs sending one job could send sales twice, so this one does not start. Wait "
        "for it to finish, or stop it (Ctrl-C in its terminal, Cancel in the window), then "
        "try again: --resume (or Resume in the window) sends what it left."
    )
