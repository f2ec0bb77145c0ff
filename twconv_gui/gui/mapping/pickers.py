"""Editors for how a mapping reads values: time zone, phone region and time format."""

from __future__ import annotations

import zoneinfo

import phonenumbers
import pycountry
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit

TIME_FORMAT_HELP = (
    "Leave empty to detect the format from the column.\n"
    "Otherwise a Python strptime format, for example:\n"
    "  %d/%m/%Y %H:%M  →  15/03/2024 14:30\n"
    "  %m/%d/%Y %I:%M %p  →  03/15/2024 02:30 PM\n"
    "  %Y-%m-%dT%H:%M:%S%z  →  2024-03-15T14:30:00+0100"
)
# Regions phonenumbers knows that pycountry does not list as countries.
EXTRA_REGION_NAMES = {"AC": "Ascension Island", "TA": "Tristan da Cunha", "XK": "Kosovo"}


def region_label(code: str) -> str:
    """'US — United States' for a phone region code."""
    country = pycountry.countries.get(alpha_2=code)
    name = getattr(country, "common_name", None) or getattr(country, "name", None)
    name = name or EXTRA_REGION_NAMES.get(code)
    return f"{code} — {name}" if name else code


def timezone_picker() -> QComboBox:
    """An editable list of IANA zones; typing any part of a name ("berlin") completes it."""
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItems(sorted(zoneinfo.available_timezones()))
    completer = QCompleter(combo.model(), combo)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCompleter(completer)
    combo.setToolTip(
        "Time zone of times written without an offset (IANA name, e.g. America/New_York)"
    )
    combo.setMinimumContentsLength(24)
    return combo


def set_timezone(combo: QComboBox, name: str) -> None:
    found = combo.findText(name)
    if found >= 0:
        combo.setCurrentIndex(found)
    combo.setEditText(name)


def phone_region_picker() -> QComboBox:
    """Every region phonenumbers knows, as "US — United States"; the item data is the code."""
    combo = QComboBox()
    for code in sorted(phonenumbers.SUPPORTED_REGIONS):
        combo.addItem(region_label(code), code)
    combo.setToolTip("Country of phone numbers written without their +country code")
    combo.setMinimumContentsLength(24)
    return combo


def time_format_editor() -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText("detect automatically")
    edit.setToolTip(TIME_FORMAT_HELP)
    return edit
