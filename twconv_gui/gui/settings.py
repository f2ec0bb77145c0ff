"""The app's non-secret preferences, each declared once with its type and default."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")

MAX_RECENT_FILES = 10


@dataclass(frozen=True)
class Option(Generic[T]):
    """One preference: its QSettings key, its type and its default."""

    key: str
    kind: type
    default: T


WINDOW_GEOMETRY: Option[QByteArray] = Option("window/geometry", QByteArray, QByteArray())
WINDOW_STATE: Option[QByteArray] = Option("window/state", QByteArray, QByteArray())
RECENT_FILES: Option[list[str]] = Option("files/recent", list, [])
LAST_EXPORT_FOLDER: Option[str] = Option("files/last_export_folder", str, "")
LAST_MAPPING_FOLDER: Option[str] = Option("files/last_mapping_folder", str, "")
UPLOAD_WORKERS: Option[int] = Option("upload/workers", int, 4)
UPLOAD_BATCH_SIZE: Option[int] = Option("upload/batch_size", int, 500)
SANDBOX_OFFERED: Option[bool] = Option("start/sandbox_offered", bool, False)


class Settings:
    """Typed access to QSettings; widgets never call QSettings().value("...") themselves."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store or QSettings()

    def get(self, option: Option[T]) -> T:
        value: Any = self._store.value(option.key, option.default)
        if value is None:
            return option.default
        if option.kind is bool and isinstance(value, str):  # INI files store "true"/"false"
            return value.lower() == "true"  # type: ignore[return-value]
        if option.kind is list:
            if isinstance(value, str):  # QSettings gives a lone str for a 1-item list
                return [value]  # type: ignore[return-value]
            return list(value)  # type: ignore[return-value]
        try:
            return option.kind(value)  # type: ignore[no-any-return]
        except (TypeError, ValueError):
            return option.default

    def set(self, option: Option[T], value: T) -> None:
        self._store.setValue(option.key, value)

    def add_recent_file(self, path: str) -> list[str]:
        """Put `path` first in the recent files (no duplicates, at most MAX_RECENT_FILES)."""
        files = [path, *[p for p in self.get(RECENT_FILES) if p != path]][:MAX_RECENT_FILES]
        self.set(RECENT_FILES, files)
        return files

    def sync(self) -> None:
        self._store.sync()
