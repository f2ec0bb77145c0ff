"""What `twconv login` asks: hidden prompts on a terminal, one line per answer from a pipe."""

from __future__ import annotations

import getpass
from typing import TextIO

from twconv_gui.core.errors import TwconvError
from twconv_gui.terminal import is_tty


class Prompts:
    """Asks the user: hidden prompts on a terminal, one line per answer from a pipe."""

    def __init__(self, stdin: TextIO, stderr: TextIO) -> None:
        self.stdin = stdin
        self.stderr = stderr
        self.interactive = is_tty(stdin)

    def secret(self, label: str) -> str:
        """A value typed without echo (or the next line of a piped standard input)."""
        if not self.interactive:
            return self._line(label)
        try:
            return getpass.getpass(f"{label}: ").strip()
        except EOFError:
            raise TwconvError(f"No {label} was given.") from None

    def text(self, label: str) -> str:
        """A value typed with echo (or the next line of a piped standard input)."""
        if self.interactive:
            self.stderr.write(f"{label}: ")
            self.stderr.flush()
        return self._line(label)

    def _line(self, label: str) -> str:
        line = self.stdin.readline()
        if not line:
            raise TwconvError(
                f"Expected the {label} on standard input (one value per line), found its end."
            )
        return line.strip()
