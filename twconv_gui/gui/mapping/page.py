"""The Map step: which column or constant feeds each conversion field, and how to read values."""

from __future__ import annotations

import itertools
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from twconv_gui.core.errors import MappingError
from twconv_gui.core.mapping.fields import FIELDS
from twconv_gui.core.mapping.inspection import Inspection
from twconv_gui.core.mapping.masking import mask_cell
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.gui.mapping.field_source import CONSTANT_TEXT, NONE_TEXT, FieldSource, with_mnemonic
from twconv_gui.gui.mapping.pickers import (
    phone_region_picker,
    set_timezone,
    time_format_editor,
    timezone_picker,
)
from twconv_gui.gui.session import Session
from twconv_gui.gui.settings import LAST_MAPPING_FOLDER, Settings

__all__ = ["CONSTANT_TEXT", "NONE_TEXT", "READY_TEXT", "MapPage"]

READY_TEXT = "Ready to preview"
NO_FILE_TEXT = "Open an export on the Load step first."
DEBOUNCE_MS = 200
SAMPLES_SHOWN = 3
PERSONAL_FIELDS = frozenset({"email", "phone"})
MAPPING_FILTER = "Mapping files (*.json);;All files (*)"


class MapPage(QWidget):
    """One row per conversion field, pre-filled by the suggestion; every edit rebuilds the profile.

    The profile is built with the core's `MappingProfile.from_dict`, checked against the file
    and for completeness, then handed to `session.set_profile` (None while it cannot be used);
    the line under the form shows the core's message or "Ready to preview".

    Signals:
        validation_changed(str): the message under the form after each rebuild.
    """

    validation_changed = Signal(str)

    def __init__(self, session: Session, *, settings: Settings | None = None) -> None:
        super().__init__()
        self.session = session
        self._settings = settings
        self._inspection: Inspection | None = None
        self._sheet: str | int | None = None
        self._header_row: int | None = None
        self._samples: dict[tuple[str, bool], str] = {}
        self._last_folder = settings.get(LAST_MAPPING_FOLDER) if settings else ""
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_now)

        mnemonics: set[str] = {"s", "l"}  # Save / Load buttons
        self._fields: dict[str, FieldSource] = {}
        grid = QGridLayout()
        grid.setColumnStretch(3, 1)
        for column, title in enumerate(("Field", "Source", "Constant", "Sample values")):
            grid.addWidget(QLabel(f"<b>{title}</b>"), 0, column)
        for line, spec in enumerate(FIELDS, 1):
            field = FieldSource(spec, mnemonics, partial(self._samples_of, spec.name), self)
            field.edited.connect(self._schedule)
            self._fields[spec.name] = field
            for position, widget in enumerate(
                (field.label, field.source, field.editors, field.samples)
            ):
                grid.addWidget(widget, line, position)
        fields_box = QWidget()
        fields_box.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidget(fields_box)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)

        self.timezone_combo = timezone_picker()
        self.timezone_combo.currentTextChanged.connect(self._schedule)
        self.region_combo = phone_region_picker()
        self.region_combo.currentIndexChanged.connect(self._schedule)
        self.time_format_edit = time_format_editor()
        self.time_format_edit.textChanged.connect(self._schedule)
        self.group_check = QCheckBox(
            with_mnemonic(
                "One conversion per conversion id (rows are items of one order)", mnemonics
            )
        )
        self.group_check.toggled.connect(self._schedule)
        settings_form = QFormLayout()
        for text, editor in (
            ("Time zone:", self.timezone_combo),
            ("Phone region:", self.region_combo),
            ("Time format:", self.time_format_edit),
        ):
            label = QLabel(with_mnemonic(text, mnemonics))
            label.setBuddy(editor)
            settings_form.addRow(label, editor)
        settings_form.addRow("", self.group_check)

        self.load_button = QPushButton("&Load mapping…")
        self.load_button.setToolTip("Use a mapping saved earlier (JSON, from the app or twconv)")
        self.load_button.clicked.connect(self._choose_load_path)
        self.save_button = QPushButton("&Save mapping…")
        self.save_button.setToolTip("Save this mapping as a JSON file (also usable by twconv)")
        self.save_button.clicked.connect(self._choose_save_path)
        buttons = QHBoxLayout()
        buttons.addWidget(self.load_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)

        self.notice_label = QLabel()
        self.notice_label.setWordWrap(True)
        self.notice_label.hide()
        self.validation_label = QLabel(NO_FILE_TEXT)
        self.validation_label.setTextFormat(Qt.TextFormat.PlainText)
        self.validation_label.setWordWrap(True)
        self.validation_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        legend = QLabel(
            "* required. Map at least one identifier: click id, email or phone. Sample values "
            "are masked."
        )
        legend.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h3>Map the columns</h3>"))
        layout.addWidget(legend)
        layout.addWidget(scroll, 1)
        layout.addLayout(settings_form)
        layout.addLayout(buttons)
        layout.addWidget(self.notice_label)
        layout.addWidget(self.validation_label)
        self._set_tab_order()
        self._set_enabled(False)

        session.inspection_changed.connect(self._on_inspection)
        if session.inspection is not None:
            self._on_inspection(session.inspection)

    # -- public -------------------------------------------------------------------------------

    def set_source(self, field: str, column: str | None) -> None:
        """Feed `field` from `column` (None: no source). ValueError for a column not offered."""
        if column is None:
            self._fields[field].choose_none()
        else:
            self._fields[field].choose_column(column)

    def set_constant(self, field: str, value: str) -> None:
        """Use `value` for `field` in every row."""
        self._fields[field].choose_constant(value)

    def set_event_choices(self, choices: list[tuple[str, str]]) -> None:
        """Offer the account's events (id, label) for the event_id constant; [] to type it."""
        self._fields["event_id"].set_event_choices(choices)
        self._set_tab_order()
        self._schedule()

    def current_profile(self) -> MappingProfile | None:
        """The profile the form describes, or None while the core refuses it."""
        return self._build()[0]

    def set_profile(self, profile: MappingProfile) -> None:
        """Show `profile` in the form (a loaded file, a stored default) and apply it."""
        self._fill(profile)
        self._sheet, self._header_row = profile.sheet, profile.header_row
        self._show_reading_notice(profile)
        self.apply_now()

    def save_mapping(self, path: str | Path) -> MappingProfile:
        """Write the form as a mapping file; MappingError when the core refuses it."""
        profile = MappingProfile.from_dict(self._form_dict())
        profile.save(path)
        return profile

    def load_mapping(self, path: str | Path) -> MappingProfile:
        """Read a mapping file into the form; MappingError when it cannot be used at all.

        Columns the file lacks stay selected (marked "not in this file") and the line under
        the form shows the core's message naming them.
        """
        profile = MappingProfile.load(path)
        self.set_profile(profile)
        return profile

    def apply_now(self) -> None:
        """Rebuild the profile at once (edits do it after a short pause)."""
        self._debounce.stop()
        profile, message = self._build()
        self.validation_label.setText(message)
        self.validation_label.setStyleSheet("" if profile else "color: #b00020;")
        self.session.set_profile(profile)
        self.validation_changed.emit(message)

    # For tests and the main window: the widgets of one field.

    def source_combo(self, field: str) -> QComboBox:
        """The source chooser of `field` ("— none —", the file's columns, "Constant…")."""
        return self._fields[field].source

    def constant_editor(self, field: str) -> QLineEdit | QComboBox:
        """The editor of `field`'s constant: a line edit, or the account's events for event_id."""
        return self._fields[field].editor()

    def field_label(self, field: str) -> QLabel:
        return self._fields[field].label

    def samples_label(self, field: str) -> QLabel:
        """The masked sample values of the column chosen for `field`."""
        return self._fields[field].samples

    # -- building -----------------------------------------------------------------------------

    def _form_dict(self) -> dict[str, Any]:
        columns: dict[str, str] = {}
        constants: dict[str, str] = {}
        for name, field in self._fields.items():
            kind = field.kind()
            if kind == "column":
                columns[name] = field.source.currentData()
            elif kind == "constant":
                constants[name] = field.constant_text()
        return {
            "columns": columns,
            "constants": constants,
            "timezone": self.timezone_combo.currentText().strip(),
            "phone_region": self.region_combo.currentData() or "",
            "time_format": self.time_format_edit.text().strip() or None,
            "sheet": self._sheet,
            "header_row": self._header_row,
            "group_by_conversion_id": self.group_check.isChecked(),
        }

    def _build(self) -> tuple[MappingProfile | None, str]:
        if self._inspection is None:
            return None, NO_FILE_TEXT
        table = self._inspection.table
        try:
            profile = MappingProfile.from_dict(self._form_dict())
            profile.check_columns(table.columns, file_name=table.path.name)
            profile.check_complete()
        except MappingError as exc:
            return None, str(exc)
        return profile, READY_TEXT

    def _schedule(self) -> None:
        self._debounce.start()

    # -- filling ------------------------------------------------------------------------------

    def _on_inspection(self, inspection: Inspection | None) -> None:
        self._inspection = inspection
        self._samples.clear()
        self.notice_label.hide()
        columns = inspection.table.columns if inspection is not None else ()
        reasons = {d.field: d for d in inspection.suggestion.details} if inspection else {}
        for name, field in self._fields.items():
            field.offer_columns(columns)
            suggested = reasons.get(name)
            field.set_suggestion(
                suggested.column if suggested else None, suggested.reason if suggested else ""
            )
        self._set_enabled(inspection is not None)
        if inspection is not None:
            self._sheet = inspection.profile.sheet
            self._header_row = inspection.profile.header_row
            self._fill(inspection.profile)
        self.apply_now()

    def _fill(self, profile: MappingProfile) -> None:
        """Show `profile` in the editors without a rebuild per widget."""
        editors: list[QObject] = [
            self.timezone_combo,
            self.region_combo,
            self.time_format_edit,
            self.group_check,
        ]
        for field in self._fields.values():
            editors += field.widgets()
        for editor in editors:
            editor.blockSignals(True)
        try:
            for name, field in self._fields.items():
                column = profile.columns.get(name)
                if column is not None:
                    field.choose_column(column, keep_missing=True)
                elif name in profile.constants:
                    field.choose_constant(profile.constants[name])
                else:
                    field.choose_constant("")
                    field.choose_none()
            set_timezone(self.timezone_combo, profile.timezone)
            self.region_combo.setCurrentIndex(
                max(self.region_combo.findData(profile.phone_region), 0)
            )
            self.time_format_edit.setText(profile.time_format or "")
            self.group_check.setChecked(profile.group_by_conversion_id)
        finally:
            for editor in editors:
                editor.blockSignals(False)

    def _samples_of(self, field: str, column: str) -> str:
        inspection = self._inspection
        if inspection is None or column not in inspection.table.columns:
            return ""
        index = inspection.table.column_index(column)
        personal = field in PERSONAL_FIELDS or inspection.columns[index].field in PERSONAL_FIELDS
        key = (column, personal)
        if key not in self._samples:
            seen: list[str] = []
            for cells in inspection.sample_rows:
                text = mask_cell(cells[index], personal=personal)
                if text.strip() and text not in seen:
                    seen.append(text)
                    if len(seen) == SAMPLES_SHOWN:
                        break
            self._samples[key] = "  ·  ".join(seen) or "(empty in the first rows)"
        return self._samples[key]

    def _show_reading_notice(self, profile: MappingProfile) -> None:
        """Say so when a loaded mapping was made for another sheet or header row."""
        table = self._inspection.table if self._inspection else None
        notice = ""
        if table is not None and _other_sheet(profile, table.sheet, table.sheets):
            notice = f"This mapping was saved for sheet {profile.sheet!r}. "
        if table is not None and profile.header_row not in (None, table.header_row):
            notice += f"It expects the headers on row {profile.header_row}. "
        if notice:
            notice += "Open the file again on the Load step with these settings if columns differ."
        self.notice_label.setText(notice)
        self.notice_label.setVisible(bool(notice))

    # -- files --------------------------------------------------------------------------------

    def _choose_save_path(self) -> None:
        start = str(Path(self._last_folder or Path.home()) / "mapping.json")
        path, _ = QFileDialog.getSaveFileName(self, "Save mapping", start, MAPPING_FILTER)
        if not path:
            return
        self._remember_folder(path)
        try:
            self.save_mapping(path)
        except MappingError as exc:
            QMessageBox.warning(self, "Save mapping", str(exc))

    def _choose_load_path(self) -> None:
        start = self._last_folder or str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "Load mapping", start, MAPPING_FILTER)
        if not path:
            return
        self._remember_folder(path)
        try:
            self.load_mapping(path)
        except MappingError as exc:
            QMessageBox.warning(self, "Load mapping", str(exc))

    def _remember_folder(self, path: str) -> None:
        self._last_folder = str(Path(path).parent)
        if self._settings is not None:
            self._settings.set(LAST_MAPPING_FOLDER, self._last_folder)

    # -- layout -------------------------------------------------------------------------------

    def _settings_widgets(self) -> list[QWidget]:
        return [self.timezone_combo, self.region_combo, self.time_format_edit, self.group_check]

    def _set_enabled(self, enabled: bool) -> None:
        for field in self._fields.values():
            field.set_enabled(enabled)
        for widget in [*self._settings_widgets(), self.load_button, self.save_button]:
            widget.setEnabled(enabled)

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = []
        for field in self._fields.values():
            chain += field.focus_chain()
        chain += [*self._settings_widgets(), self.load_button, self.save_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)


def _other_sheet(profile: MappingProfile, sheet: str | None, sheets: tuple[str, ...]) -> bool:
    """True when the profile names a sheet other than the one the file was read from."""
    if profile.sheet is None or sheet is None:
        return False
    if isinstance(profile.sheet, int):
        return not (0 < profile.sheet <= len(sheets) and sheets[profile.sheet - 1] == sheet)
    return profile.sheet != sheet
