"""The Map step: which column or constant feeds each conversion field, and how to read values."""

from __future__ import annotations

import itertools
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from twconv_gui.core.errors import MappingError
from twconv_gui.core.mapping.inspection import Inspection
from twconv_gui.core.mapping.masking import mask_cell
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.gui.mapping.field_source import (
    CONSTANT_TEXT,
    NONE_TEXT,
    FieldSource,
    fields_in_order,
)
from twconv_gui.gui.mapping.filters_editor import FiltersEditor
from twconv_gui.gui.mapping.profile_form import READY_TEXT, check_form, form_dict, reading_notice
from twconv_gui.gui.mapping.reading import ReadingSettings
from twconv_gui.gui.plain_text import literal, plain_label
from twconv_gui.gui.session import Session
from twconv_gui.gui.settings import LAST_MAPPING_FOLDER, Settings

__all__ = ["CONSTANT_TEXT", "NONE_TEXT", "READY_TEXT", "MapPage"]

NO_FILE_TEXT = "Open an export on the Load step first."
DEBOUNCE_MS = 200
SAMPLES_SHOWN = 3
PERSONAL_FIELDS = frozenset({"email", "phone"})
MAPPING_FILTER = "Mapping files (*.json);;All files (*)"


class MapPage(QWidget):
    """One row per conversion field, pre-filled by the suggestion; every edit rebuilds the profile.

    Beside the fields: how values are read (time zone, phone region…) and the row filters
    with the rows each leaves out. The profile is built with the core's
    `MappingProfile.from_dict`, checked against the file and for completeness, then handed to
    `session.set_profile` (None while it cannot be used); the line under the form shows the
    core's message or "Ready to preview".

    Signals:
        validation_changed(str): the message under the form after each rebuild.
    """

    validation_changed = Signal(str)

    def __init__(
        self,
        session: Session,
        *,
        settings: Settings | None = None,
        pool: QThreadPool | None = None,
    ) -> None:
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

        mnemonics: set[str] = {"s", "l", "a", "e", "m"}  # Save, Load; Add, Edit, Remove filter
        self._fields: dict[str, FieldSource] = {}
        grid = QGridLayout()
        grid.setColumnStretch(3, 1)
        grid.setVerticalSpacing(4)
        for column, title in enumerate(("Field", "Source", "Constant", "Sample values")):
            grid.addWidget(QLabel(f"<b>{title}</b>"), 0, column)
        top = Qt.AlignmentFlag.AlignTop
        for line, spec in enumerate(fields_in_order(), 1):
            field = FieldSource(spec, mnemonics, partial(self._samples_of, spec.name), self)
            field.edited.connect(self._field_edited)
            self._fields[spec.name] = field
            for position, widget in enumerate(
                (field.label, field.source_box, field.editors, field.samples_box)
            ):
                grid.addWidget(widget, line, position, top)
        fields_box = QWidget()
        fields_box.setLayout(grid)

        self.reading = ReadingSettings(mnemonics)
        self.reading.edited.connect(self._schedule)
        self.timezone_combo = self.reading.timezone_combo
        self.region_combo = self.reading.region_combo
        self.time_format_edit = self.reading.time_format_edit
        self.group_check = self.reading.group_check
        self.filters_editor = FiltersEditor(pool)
        self.filters_editor.edited.connect(self._schedule)

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

        self.notice_label = plain_label()
        self.notice_label.setWordWrap(True)
        self.notice_label.hide()
        self.notes_label = QLabel()  # what the core noticed reading the file
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextFormat(Qt.TextFormat.PlainText)
        self.notes_label.hide()
        self.validation_label = QLabel(NO_FILE_TEXT)
        self.validation_label.setTextFormat(Qt.TextFormat.PlainText)
        self.validation_label.setWordWrap(True)
        self.validation_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        legend = QLabel(
            "* required. Map at least one identifier: click id, email or phone. Sample values "
            "are masked."
        )
        legend.setWordWrap(True)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.reading)
        side_layout.addWidget(self.filters_editor, 1)
        side_layout.addLayout(buttons)
        side_scroll = _scrolled(side)
        side_scroll.setMinimumWidth(380)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(_scrolled(fields_box))
        self.splitter.addWidget(side_scroll)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h3>Map the columns</h3>"))
        layout.addWidget(legend)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.splitter, 1)
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
        self._count_as_grouped()
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
        return form_dict(
            self._fields,
            self.reading,
            self.filters_editor,
            sheet=self._sheet,
            header_row=self._header_row,
        )

    def _build(self) -> tuple[MappingProfile | None, str]:
        if self._inspection is None:
            return None, NO_FILE_TEXT
        return check_form(self._form_dict(), self._inspection.table)

    def _schedule(self) -> None:
        self._count_as_grouped()
        self._debounce.start()

    def _count_as_grouped(self) -> None:
        """The filters' counts follow the grouping of line items into orders."""
        self.filters_editor.set_grouping(
            self._fields["conversion_id"].columns(), self.group_check.isChecked()
        )

    def _field_edited(self) -> None:
        self._show_hints()
        self._set_tab_order()  # a further column may have come or gone
        self._schedule()

    def _show_hints(self) -> None:
        """The lines under the zone and the region follow the fields at once."""
        self.reading.set_mapped(
            phone_mapped=self._fields["phone"].kind() != "none",
            country_column=self._fields["phone_country"].column(),
            zone_column=self._fields["time_zone"].column(),
        )

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
        self.filters_editor.set_source(
            inspection.table if inspection else None,
            inspection.sample_rows if inspection else (),
            self._is_personal,
        )
        notes = tuple(getattr(inspection, "notes", None) or ())
        self.notes_label.setText("\n".join(f"• {note}" for note in notes))
        self.notes_label.setVisible(bool(notes))
        if inspection is not None:
            self._sheet = inspection.profile.sheet
            self._header_row = inspection.profile.header_row
            self._fill(inspection.profile)
        self.apply_now()

    def _fill(self, profile: MappingProfile) -> None:
        """Show `profile` in the editors without a rebuild per widget."""
        editors: list[QObject] = []
        for field in self._fields.values():
            editors += field.widgets()
        for editor in editors:
            editor.blockSignals(True)
        try:
            for name, field in self._fields.items():
                column = profile.columns.get(name)
                if column is not None:
                    field.choose_column(column, keep_missing=True)
                    field.set_fallbacks(profile.fallbacks.get(name, []))
                elif name in profile.constants:
                    field.choose_constant(profile.constants[name])
                else:
                    field.clear_constant()
                    field.choose_none()
        finally:
            for editor in editors:
                editor.blockSignals(False)
        self.reading.show_profile(profile)
        self.filters_editor.set_filters(profile.filters)
        self._show_hints()
        self._set_tab_order()

    def _is_personal(self, column: str) -> bool:
        """Whether `column` holds emails or phones (its values are never offered as is)."""
        if any(column in self._fields[f].columns() for f in PERSONAL_FIELDS):
            return True
        inspection = self._inspection
        if inspection is None or column not in inspection.table.columns:
            return False
        return inspection.columns[inspection.table.column_index(column)].field in PERSONAL_FIELDS

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
        notice = reading_notice(profile, self._inspection.table if self._inspection else None)
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
            QMessageBox.warning(self, "Save mapping", literal(str(exc)))

    def _choose_load_path(self) -> None:
        start = self._last_folder or str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "Load mapping", start, MAPPING_FILTER)
        if not path:
            return
        self._remember_folder(path)
        try:
            self.load_mapping(path)
        except MappingError as exc:
            QMessageBox.warning(self, "Load mapping", literal(str(exc)))

    def _remember_folder(self, path: str) -> None:
        self._last_folder = str(Path(path).parent)
        if self._settings is not None:
            self._settings.set(LAST_MAPPING_FOLDER, self._last_folder)

    # -- layout -------------------------------------------------------------------------------

    def _set_enabled(self, enabled: bool) -> None:
        for field in self._fields.values():
            field.set_enabled(enabled)
        for widget in [*self.reading.editors(), self.load_button, self.save_button]:
            widget.setEnabled(enabled)
        self.filters_editor.set_enabled(enabled)

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = []
        for field in self._fields.values():
            chain += field.focus_chain()
        chain += [*self.reading.editors(), *self.filters_editor.focus_chain()]
        chain += [self.load_button, self.save_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)


def _scrolled(widget: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setWidget(widget)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    return scroll
