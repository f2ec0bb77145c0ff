"""The upload page's options: pixel, event override, workers, batch size and the dry-run switch."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from twconv_gui.core.prepare.batching import MAX_BATCH_SIZE
from twconv_gui.core.upload import DEFAULT_WORKERS
from twconv_gui.core.upload.model import UploadOptions
from twconv_gui.gui.session import Connection

MAX_WORKERS = 16
FROM_MAPPING = "From the mapping"


class UploadOptionsForm(QWidget):
    """What the user chooses before an upload; builds the core's UploadOptions.

    Signals:
        changed(): a choice changed (the page re-checks what Start needs).
    """

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._prefilled_pixel = ""
        self.pixel_edit = QLineEdit()
        self.pixel_edit.setPlaceholderText("e.g. o8z6j (Events Manager › event source)")
        self.pixel_edit.textChanged.connect(self.changed)
        self.event_combo = QComboBox()
        self.event_combo.setEditable(True)
        self.event_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.event_combo.addItem(FROM_MAPPING, None)
        self.event_combo.setToolTip(
            "The event id for every conversion; keep “From the mapping” to use the mapping's."
        )
        self.workers_spin = QSpinBox()
        self.workers_spin.setRange(1, MAX_WORKERS)
        self.workers_spin.setValue(DEFAULT_WORKERS)
        self.workers_spin.setToolTip("Requests sent at the same time")
        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(1, MAX_BATCH_SIZE)
        self.batch_spin.setValue(MAX_BATCH_SIZE)
        self.batch_spin.setToolTip(
            f"Conversions per request (X takes at most {MAX_BATCH_SIZE}); "
            "keep it unchanged when resuming"
        )
        self.dry_run_check = QCheckBox("Dry run: prepare and write the reports, send nothing")
        self.dry_run_check.toggled.connect(self.changed)

        sizes = QHBoxLayout()
        sizes.setContentsMargins(0, 0, 0, 0)
        sizes.addWidget(QLabel("Workers:"))
        sizes.addWidget(self.workers_spin)
        sizes.addSpacing(16)
        sizes.addWidget(QLabel("Batch size:"))
        sizes.addWidget(self.batch_spin)
        sizes.addStretch(1)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("&Pixel id:", self.pixel_edit)
        form.addRow("&Event:", self.event_combo)
        form.addRow("Sending:", sizes)
        form.addRow("", self.dry_run_check)

    @property
    def dry_run(self) -> bool:
        return self.dry_run_check.isChecked()

    @property
    def pixel_id(self) -> str:
        return self.pixel_edit.text().strip()

    def event_id(self) -> str | None:
        """The event override: None to use the mapping's event id."""
        typed = self.event_combo.currentText().strip()
        found = self.event_combo.findText(typed, Qt.MatchFlag.MatchExactly)
        if found >= 0:
            data = self.event_combo.itemData(found)
            return str(data) if data else None
        return typed or None

    def set_event_choices(self, choices: list[tuple[str, str]]) -> None:
        """Offer these (event id, label) pairs in the event picker; keeps the current choice."""
        chosen = self.event_id()
        self.event_combo.clear()
        self.event_combo.addItem(FROM_MAPPING, None)
        for event_id, label in choices:
            self.event_combo.addItem(f"{label} ({event_id})" if label else event_id, event_id)
        found = self.event_combo.findData(chosen) if chosen else 0
        if found >= 0:
            self.event_combo.setCurrentIndex(found)
        else:
            self.event_combo.setEditText(chosen or "")

    def follow_connection(self, connection: Connection | None) -> None:
        """Pre-fill the pixel from the connection, unless the user typed another one."""
        pixel = connection.pixel_id if connection else ""
        if self.pixel_id in ("", self._prefilled_pixel):
            self.pixel_edit.setText(pixel)
        self._prefilled_pixel = pixel
        event_id = connection.event_id if connection else ""
        if event_id and self.event_combo.findData(event_id) < 0:
            self.event_combo.addItem(event_id, event_id)

    def options(self, *, resume: bool = False, force: bool = False) -> UploadOptions:
        return UploadOptions(
            pixel_id=self.pixel_id,
            event_id=self.event_id(),
            workers=self.workers_spin.value(),
            batch_size=self.batch_spin.value(),
            dry_run=self.dry_run,
            resume=resume,
            force=force,
            program="the twconv-gui window",
        )
