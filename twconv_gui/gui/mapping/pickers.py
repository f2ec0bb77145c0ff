"""Editors for how a mapping reads values: time zone, phone region and time format."""

from __future__ import annotations

import importlib
import zoneinfo

import phonenumbers
import pycountry
from PySide6.QtCore import QStringListModel, Qt, QTimeZone
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit

TIME_FORMAT_HELP = (
    "Leave empty to detect the format from the column.\n"
    "Otherwise a Python strptime format, for example:\n"
    "  %d/%m/%Y %H:%M  →  15/03/2024 14:30\n"
    "  %m/%d/%Y %I:%M %p  →  03/15/2024 02:30 PM\n"
    "  %Y-%m-%dT%H:%M:%S%z  →  2024-03-15T14:30:00+0100"
)
NO_REGION_TEXT = "None — use the country column or numbers written with +"
LOCAL_ZONE_PREFIX = "This computer's zone"
# Regions phonenumbers knows that pycountry does not list as countries.
EXTRA_REGION_NAMES = {"AC": "Ascension Island", "TA": "Tristan da Cunha", "XK": "Kosovo"}


def local_zone_name() -> str:
    """The IANA name of this computer's zone, as the core reads times without one."""
    try:  # the core's answer, when it has one, is the one conversions use
        zones = importlib.import_module("twconv_gui.core.normalize.zones")
        return str(zones.local_zone_name())
    except (ImportError, AttributeError):
        pass
    name = bytes(QTimeZone.systemTimeZoneId().data()).decode() or "UTC"
    return name.removeprefix("Etc/") if name in ("Etc/UTC", "Etc/GMT") else name


def local_zone_text() -> str:
    """The time zone picker's first entry: "This computer's zone (Europe/Berlin)"."""
    return f"{LOCAL_ZONE_PREFIX} ({local_zone_name()})"


def region_label(code: str) -> str:
    """'US — United States' for a phone region code."""
    country = pycountry.countries.get(alpha_2=code)
    name = getattr(country, "common_name", None) or getattr(country, "name", None)
    name = name or EXTRA_REGION_NAMES.get(code)
    return f"{code} — {name}" if name else code


def timezone_picker() -> QComboBox:
    """This computer's zone first, then every IANA zone; typing any part of a name
    ("berlin") completes it."""
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    zones = sorted(zoneinfo.available_timezones())
    # One call for all: each Qt call returning nothing costs this PySide build a reference.
    combo.addItems([local_zone_text(), *zones])
    # The completer offers zone names only, never the "This computer's zone" entry.
    completer = QCompleter(QStringListModel(zones, combo), combo)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCompleter(completer)
    combo.setToolTip(
        "Time zone of times written without an offset (IANA name, e.g. America/New_York)"
    )
    combo.setMinimumContentsLength(20)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    return combo


def chosen_timezone(combo: QComboBox) -> str | None:
    """The zone typed or chosen; None for this computer's zone (or nothing typed)."""
    text = combo.currentText().strip()
    if not text or text == combo.itemText(0):
        return None
    return text


def set_timezone(combo: QComboBox, name: str | None) -> None:
    if name is None:
        combo.setCurrentIndex(0)
        combo.setEditText(combo.itemText(0))
        return
    found = combo.findText(name)
    if found > 0:
        combo.setCurrentIndex(found)
    combo.setEditText(name)


def phone_region_picker() -> QComboBox:
    """No fixed region first (data None), then every region phonenumbers knows as
    "US — United States" (the item data is the code)."""
    combo = QComboBox()
    combo.addItem(NO_REGION_TEXT, None)
    for code in sorted(phonenumbers.SUPPORTED_REGIONS):
        combo.addItem(region_label(code), code)
    combo.setToolTip(
        "Country of phone numbers written without their +country code, when the row's "
        "phone country column is empty or not mapped"
    )
    combo.setMinimumContentsLength(20)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    return combo


def set_region(combo: QComboBox, code: str | None) -> None:
    found = combo.findData(code) if code else -1
    combo.setCurrentIndex(max(found, 0))


def time_format_editor() -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText("detect automatically")
    edit.setToolTip(TIME_FORMAT_HELP)
    return edit
