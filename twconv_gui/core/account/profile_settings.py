"""The JSON file of sign-in profile settings: every key, type and default, never a secret."""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from twconv_gui.core import paths
from twconv_gui.core.account.signin import DEFAULT_SIGN_IN_HOST, check_sign_in_host
from twconv_gui.core.api.client import DEFAULT_API_BASE, DEFAULT_API_VERSION, ApiSettings
from twconv_gui.core.errors import TwconvError

SETTINGS_FILE_NAME = "profiles.json"
SETTINGS_FORMAT = 1
_BASE36_ID = re.compile(r"[0-9a-z]+")
_EVENT_ID = re.compile(r"[0-9a-z]+|tw-[0-9a-z]+-[0-9a-z]+")
KINDS = ("pixel_token", "oauth")  # the simple way first


@dataclass(frozen=True)
class ProfileSettings:
    """The non-secret settings of a sign-in profile; every key, type and default is here.

    Attributes:
        kind: How the profile signs in: `oauth` (the four keys of a developer app) or
            `pixel_token` (a Conversions API token of one pixel, which then needs its pixel id).
        account_id: The ad account (e.g. `18ce54d4x5t`), "" when not chosen yet.
        pixel_id: The pixel (event source) uploads go to, "" when not chosen yet.
        event_id: The default conversion event (e.g. `o87ne`), "" when not chosen yet.
        api_base: Scheme and host of the Ads API.
        api_version: The Ads API version.
        sign_in_host: Scheme and host of the PIN sign-in endpoints.

    Raises:
        TwconvError: When a value is malformed; the message names the setting.
    """

    account_id: str = ""
    pixel_id: str = ""
    event_id: str = ""
    api_base: str = DEFAULT_API_BASE
    api_version: str = DEFAULT_API_VERSION
    sign_in_host: str = DEFAULT_SIGN_IN_HOST
    kind: str = "oauth"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise TwconvError(
                f"The sign-in kind {str(self.kind)[:24]!r} is not known: use oauth or pixel_token."
            )
        for name, pattern, example in (
            ("account_id", _BASE36_ID, "18ce54d4x5t"),
            ("pixel_id", _BASE36_ID, "o8z6j"),
            ("event_id", _EVENT_ID, "o87ne"),
        ):
            value = str(getattr(self, name)).strip()
            if value and not pattern.fullmatch(value):
                label = name.replace("_id", " id")
                raise TwconvError(
                    f"The {label} {value[:24]!r} is not valid: give the base-36 id (lowercase "
                    f"letters and digits, e.g. {example}) as X Ads shows it."
                )
            object.__setattr__(self, name, value)
        api = ApiSettings(self.api_base, self.api_version)
        object.__setattr__(self, "api_base", api.base_url)
        object.__setattr__(self, "api_version", api.version)
        object.__setattr__(self, "sign_in_host", check_sign_in_host(self.sign_in_host))
        prefix = self.event_id.split("-")
        if len(prefix) == 3 and self.pixel_id and prefix[1] != self.pixel_id:
            raise TwconvError(
                f"The event id {self.event_id} names pixel {prefix[1]}, not this profile's pixel "
                f"{self.pixel_id}: use an event of pixel {self.pixel_id} (or its base-36 id "
                "alone)."
            )
        if self.kind == "pixel_token" and not self.pixel_id:
            raise TwconvError(
                "A pixel-token profile needs the pixel id the token was generated for (e.g. "
                "o8z6j, as Events Manager shows it)."
            )

    @property
    def uses_pixel_token(self) -> bool:
        """True for a pixel-token profile (it can send conversions, not read accounts)."""
        return self.kind == "pixel_token"

    def api_settings(self) -> ApiSettings:
        """Host and version for an `ApiClient`."""
        return ApiSettings(self.api_base, self.api_version)


SETTING_NAMES = tuple(f.name for f in fields(ProfileSettings))


def read_settings_file(path: Path) -> tuple[str | None, dict[str, ProfileSettings]]:
    """The default profile's name and every profile's settings; nothing when there is no file.

    Unknown keys are ignored, so an older version of the app can read a newer file.

    Raises:
        TwconvError: When the file cannot be read or is damaged (the message names it).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, {}
    except (OSError, UnicodeDecodeError) as exc:
        raise TwconvError(f"Cannot read the profile settings {path}: {exc}.") from None
    damaged = f"The profile settings file {path} is damaged"
    try:
        data: Any = json.loads(text)
    except ValueError as exc:
        raise TwconvError(f"{damaged} ({exc}). Fix it or delete it.") from None
    raw = data.get("profiles") if isinstance(data, dict) else None
    if not isinstance(raw, dict):
        raise TwconvError(f"{damaged} (no “profiles” object). Fix it or delete it.")
    entries: dict[str, ProfileSettings] = {}
    for name, values in raw.items():
        if not isinstance(values, dict):
            raise TwconvError(f"{damaged}: profile “{name}” is not an object.")
        known = {k: str(v) for k, v in values.items() if k in SETTING_NAMES and v is not None}
        try:
            entries[str(name)] = ProfileSettings(**known)
        except TwconvError as exc:
            raise TwconvError(f"{damaged}: profile “{name}”: {exc}") from None
    default = data.get("default_profile")
    return (default if isinstance(default, str) and default in entries else None), entries


def write_settings_file(
    path: Path, default: str | None, entries: Mapping[str, ProfileSettings]
) -> None:
    """Write the settings of every profile and the default's name, atomically.

    Raises:
        TwconvError: When the file cannot be written; the old content is kept then.
    """
    document = {
        "format": SETTINGS_FORMAT,
        "default_profile": default,
        "profiles": {name: asdict(settings) for name, settings in entries.items()},
    }
    write_json_atomically(path, document)


def write_json_atomically(path: Path, document: Any) -> None:
    """Write `document` as pretty JSON through a temporary file, so readers never see half.

    Raises:
        TwconvError: When the file cannot be written; the old content is kept then.
    """
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    handle = tmp_name = None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            handle = None
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        Path(tmp_name).replace(path)
        tmp_name = None
    except OSError as exc:
        raise TwconvError(
            f"Cannot write the settings file {path}: {exc.strerror or exc}. Free some disk "
            f"space or fix the folder's permissions (or set {paths.CONFIG_DIR_ENV})."
        ) from None
    finally:
        if handle is not None:
            os.close(handle)
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                Path(tmp_name).unlink()
