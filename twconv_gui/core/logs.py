"""Rotating log files that never keep secrets, OAuth values, emails or phone numbers."""

from __future__ import annotations

import io
import logging
import os
import re
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path
from urllib.parse import quote

from twconv_gui.core.errors import TwconvError
from twconv_gui.core.paths import logs_dir

LOGGER_NAME = "twconv_gui"
LOG_FILE_NAME = "twconv.log"
MAX_BYTES = 5 * 1024 * 1024
BACKUP_COUNT = 5
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

SECRET = "[secret]"  # noqa: S105 - the placeholder, not a password
REDACTED = "[redacted]"
EMAIL = "[email]"
PHONE = "[phone]"

_MIN_SECRET_LENGTH = 4  # shorter values would blank out ordinary words and numbers
_MIN_PHONE_DIGITS = 7

_secrets: set[str] = set()
_secrets_lock = threading.Lock()

# Authorization and X-Pixel-Token header values: quoted (dict/JSON repr, possibly bytes) or
# up to the line end.
_AUTH_HEADER = r"\b(?:authorization|x-pixel-token)"
_AUTH_QUOTED = re.compile(
    rf"""(?i)({_AUTH_HEADER}['"]?\s*[:=]\s*b?)(['"])(?:\\.|(?!\2).)*\2""", re.DOTALL
)
_AUTH_BARE = re.compile(rf"""(?i)({_AUTH_HEADER}\s*[:=]\s*)(?!['"])(?!\[redacted\])[^\r\n]+""")
# The header value logged on its own: OAuth oauth_consumer_key="...", oauth_nonce="...", ...
_OAUTH_HEADER = re.compile(
    r"""\bOAuth\s+oauth_\w+\s*=\s*(?:"[^"]*"|[^\s,]*)(?:\s*,\s*oauth_\w+\s*=\s*(?:"[^"]*"|[^\s,]*))*"""
)
_OAUTH_PARAM = re.compile(
    r"""(?i)\b(oauth_(?:signature|token_secret|token|consumer_key|verifier))"""
    r"""(['"]?\s*[:=]\s*)(?:(['"])(?:(?!\3).)*\3|[^\s&,;'"})\]]+)"""
)
_EMAIL_ADDRESS = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
# +33 6 12 34 56 78, +1 (555) 123-4567, +4915112345678: at most two separators between digits,
# so "+02:00" in an ISO time (too few digits, and ':' is no separator) is left alone.
_PHONE_INTERNATIONAL = re.compile(r"(?<![\w+])\+\d(?:[ .\-()]{0,2}\d)+")
# (555) 123-4567, (030) 1234 5678
_PHONE_AREA_CODE = re.compile(r"(?<![\w)])\(\d{2,5}\)\s?\d{2,4}(?:[ .\-]\d{2,5})+(?![\w(])")
# 555-123-4567, 555.123.4567, 555 123 4567
_PHONE_NORTH_AMERICAN = re.compile(r"(?<![\w.\-])\d{3}([ .\-])\d{3}\1\d{4}(?![\w\-]|\.\d)")
# 06 12 34 56 78, 06.12.34.56.78 (trunk 0 followed by four pairs, as written in much of Europe)
_PHONE_PAIRS = re.compile(r"(?<![\w.\-:])0\d(?:([ .\-])\d{2})(?:\1\d{2}){3}(?![\w\-:]|\.\d)")


def register_secret(value: str) -> None:
    """Make `value` (an API key, token or secret) show as "[secret]" in every log line.

    Values shorter than 4 characters are ignored: they would blank out ordinary text.
    The percent-encoded form is registered too, as it appears in URLs and OAuth headers.
    """
    value = value.strip()
    if len(value) < _MIN_SECRET_LENGTH:
        return
    with _secrets_lock:
        _secrets.add(value)
        _secrets.add(quote(value, safe=""))


def _replace_secrets(text: str) -> str:
    with _secrets_lock:
        known = sorted(_secrets, key=len, reverse=True)  # longest first: no partial leftovers
    for value in known:
        if value in text:
            text = text.replace(value, SECRET)
    return text


def _redact_oauth_param(match: re.Match[str]) -> str:
    quote_char = match.group(3) or ""
    return f"{match.group(1)}{match.group(2)}{quote_char}{REDACTED}{quote_char}"


def _phone(match: re.Match[str]) -> str:
    text = match.group(0)
    return PHONE if sum(c.isdigit() for c in text) >= _MIN_PHONE_DIGITS else text


def redact(text: str) -> str:
    """`text` without secrets, credentials, email addresses or phone numbers.

    Caught: registered secrets (and their percent-encoded form) → "[secret]"; Authorization
    and X-Pixel-Token header values, OAuth header values and the values of oauth_signature,
    oauth_token, oauth_token_secret, oauth_consumer_key and oauth_verifier → "[redacted]"; email
    addresses → "[email]"; phone numbers written with a leading "+" (7+ digits, spaces, dots,
    dashes or parentheses between them), with an area code in parentheses ("(555) 123-4567"),
    as 3-3-4 groups ("555-123-4567") or as 0 and four pairs ("06 12 34 56 78") → "[phone]".

    Not caught, on purpose: bare digit runs ("5551234567") and "00"-prefixed numbers, which
    cannot be told apart from ids, counts and timestamps; SHA-256 hashes, ISO dates and times,
    UUIDs and debug ids are kept, as they are what makes a log useful. Raw personal data
    should not be logged in the first place; this is the safety net.
    """
    text = _replace_secrets(text)
    text = _AUTH_QUOTED.sub(rf"\1\2{REDACTED}\2", text)
    text = _AUTH_BARE.sub(rf"\1{REDACTED}", text)
    text = _OAUTH_HEADER.sub(f"OAuth {REDACTED}", text)
    text = _OAUTH_PARAM.sub(_redact_oauth_param, text)
    text = _EMAIL_ADDRESS.sub(EMAIL, text)
    for pattern in (_PHONE_INTERNATIONAL, _PHONE_AREA_CODE, _PHONE_NORTH_AMERICAN, _PHONE_PAIRS):
        text = pattern.sub(_phone, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record's message, exception and stack text through `redact`.

    Attached to a handler, it cleans records from any logger that reach that handler. The
    record is changed in place, so handlers that see it afterwards get the clean text too.
    """

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not let the raw arguments through
            message = f"{record.msg} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class _TwconvLogHandler(RotatingFileHandler):
    """The app's own file handler, told apart from handlers that others may add.

    Its files are created readable by their owner only (0o600), rotated ones included.
    """

    def _open(self) -> io.TextIOWrapper:
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
        return os.fdopen(
            os.open(self.baseFilename, flags, 0o600),
            "a",  # what RotatingFileHandler always uses
            encoding=self.encoding,
            errors=self.errors,
        )


def _our_handlers(logger: logging.Logger) -> list[_TwconvLogHandler]:
    return [h for h in logger.handlers if isinstance(h, _TwconvLogHandler)]


def setup_logging(level: int = logging.INFO, *, directory: Path | None = None) -> Path:
    """Send the `twconv_gui` loggers to a redacted rotating file; return the file's path.

    Calling it again only changes the level (or moves the file to a new `directory`):
    there is never more than one handler.

    Args:
        level: the lowest level written (logging.DEBUG for troubleshooting).
        directory: the folder of the log files; the app's logs folder by default.

    Raises:
        TwconvError: the log folder or file cannot be created.
    """
    folder = directory if directory is not None else logs_dir()
    path = folder / LOG_FILE_NAME
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(level)
    for handler in _our_handlers(logger):
        if Path(handler.baseFilename).resolve() == path.resolve():
            handler.setLevel(level)
            return path
        logger.removeHandler(handler)
        handler.close()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        handler = _TwconvLogHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
    except OSError as exc:
        raise TwconvError(
            f"Cannot write the log file {path}: {exc.strerror or exc}. Free some disk space "
            "or fix the folder's permissions."
        ) from None
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(RedactingFilter())
    logger.addHandler(handler)
    return path


def stop_logging() -> None:
    """Detach and close the log file handler set up by `setup_logging` (at exit, in tests)."""
    logger = logging.getLogger(LOGGER_NAME)
    for handler in _our_handlers(logger):
        logger.removeHandler(handler)
        handler.close()
