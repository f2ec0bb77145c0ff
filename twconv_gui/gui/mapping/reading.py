"""The Map step's reading settings: time zone, phone region, time format, grouping, and
lines saying what they mean for the rows."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QLabel, QWidget

from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.gui.mapping.field_source import with_mnemonic
from twconv_gui.gui.mapping.pickers import (
    chosen_timezone,
    local_zone_name,
    phone_region_picker,
    set_region,
    set_timezone,
    time_format_editor,
    timezone_picker,
)

PHONE_WARNING = (
    "Phones written without +country code will be left out: choose a country column or a "
    "phone region."
)
WARNING_STYLE = "color: #9a5b00;"
HINT_STYLE = "color: palette(placeholder-text);"


def zone_hint(timezone: str | None, zone_column: str | None) -> str:
    """The line saying in which zone times without their own zone are read."""
    zone = f"{local_zone_name()} (this computer)" if timezone is None else timezone
    text = f"Times without a zone are read as {zone}"
    if zone_column:
        text += f", unless the row's {zone_column} column says otherwise"
    return text + "."


def phone_hint(region: str | None, phone_mapped: bool, country_column: str | None) -> str:
    """How phones written without +country code are read ("" when phones are not mapped)."""
    if not phone_mapped:
        return ""
    if country_column and region:
        return (
            f"Phones without +country code take the country of the row's {country_column} "
            f"column, or {region} when it is empty."
        )
    if country_column:
        return (
            f"Phones without +country code take the country of the row's {country_column} "
            "column; rows where it is empty are left out."
        )
    if region:
        return f"Phones without +country code are read as {region} numbers."
    return PHONE_WARNING


class ReadingSettings(QGroupBox):
    """Time zone, phone region, time format and grouping, with a line under the zone and
    the region saying what they mean for these rows.

    Signals:
        edited(): the user changed a setting.
    """

    edited = Signal()

    def __init__(self, mnemonics: set[str], parent: QWidget | None = None) -> None:
        super().__init__("Reading values", parent)
        self._phone_mapped = False
        self._country_column: str | None = None
        self._zone_column: str | None = None
        self.timezone_combo = timezone_picker()
        self.region_combo = phone_region_picker()
        self.time_format_edit = time_format_editor()
        self.group_check = QCheckBox(with_mnemonic("One conversion per conversion id", mnemonics))
        self.group_check.setToolTip(
            "Rows are the items of one order: rows with the same conversion id are sent as "
            "one conversion"
        )
        self.zone_label = _hint_label()
        self.phone_label = _hint_label()
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for text, editor, hint in (
            ("Time zone:", self.timezone_combo, self.zone_label),
            ("Phone region:", self.region_combo, self.phone_label),
            ("Time format:", self.time_format_edit, None),
        ):
            label = QLabel(with_mnemonic(text, mnemonics))
            label.setBuddy(editor)
            form.addRow(label, editor)
            if hint is not None:
                form.addRow("", hint)
        form.addRow(self.group_check)
        self.timezone_combo.currentTextChanged.connect(self._changed)
        self.region_combo.currentIndexChanged.connect(self._changed)
        self.time_format_edit.textChanged.connect(self._changed)
        self.group_check.toggled.connect(self._changed)
        self.refresh_hints()

    # -- reading and writing -------------------------------------------------------------------

    def timezone(self) -> str | None:
        return chosen_timezone(self.timezone_combo)

    def phone_region(self) -> str | None:
        return self.region_combo.currentData() or None

    def time_format(self) -> str | None:
        return self.time_format_edit.text().strip() or None

    def show_profile(self, profile: MappingProfile) -> None:
        """Show the profile's settings without emitting `edited`."""
        editors = self.editors()
        for editor in editors:
            editor.blockSignals(True)
        try:
            set_timezone(self.timezone_combo, profile.timezone)
            set_region(self.region_combo, profile.phone_region)
            self.time_format_edit.setText(profile.time_format or "")
            self.group_check.setChecked(profile.group_by_conversion_id)
        finally:
            for editor in editors:
                editor.blockSignals(False)
        self.refresh_hints()

    def set_mapped(
        self, *, phone_mapped: bool, country_column: str | None, zone_column: str | None
    ) -> None:
        """What the fields map, which the lines under the zone and the region depend on."""
        self._phone_mapped = phone_mapped
        self._country_column = country_column
        self._zone_column = zone_column
        self.refresh_hints()

    def refresh_hints(self) -> None:
        self.zone_label.setText(zone_hint(self.timezone(), self._zone_column))
        text = phone_hint(self.phone_region(), self._phone_mapped, self._country_column)
        self.phone_label.setText(text)
        self.phone_label.setVisible(bool(text))
        self.phone_label.setStyleSheet(WARNING_STYLE if text == PHONE_WARNING else HINT_STYLE)

    def editors(self) -> list[QWidget]:
        return [self.timezone_combo, self.region_combo, self.time_format_edit, self.group_check]

    def _changed(self) -> None:
        self.refresh_hints()
        self.edited.emit()


def _hint_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(HINT_STYLE)
    return label
