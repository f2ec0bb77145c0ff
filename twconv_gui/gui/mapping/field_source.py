"""The editors of one conversion field on the Map step: a column, a constant, or nothing."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from twconv_gui.core.mapping.fields import FieldSpec

NONE_TEXT = "— none —"
CONSTANT_TEXT = "Constant…"
MISSING_SUFFIX = " (not in this file)"

KindRole = Qt.ItemDataRole.UserRole + 1  # "none", "column" or "constant" for a source item
ColumnRole = Qt.ItemDataRole.UserRole  # the column name of a "column" item


def with_mnemonic(text: str, used: set[str]) -> str:
    """`text` with an '&' before its first letter that no other label in `used` has."""
    for i, char in enumerate(text):
        if char.isalpha() and char.lower() not in used:
            used.add(char.lower())
            return text[:i] + "&" + text[i:]
    return text


class FieldSource(QObject):
    """Label, source chooser, constant editor and sample values of one field.

    The widgets are laid out by the page (`label`, `source`, `editors`, `samples`); this object
    keeps them consistent: the constant editor shows only when "Constant…" is chosen, the
    samples follow the chosen column.

    Signals:
        edited(): the user changed the source or the constant.
    """

    edited = Signal()

    def __init__(
        self,
        spec: FieldSpec,
        mnemonics: set[str],
        samples_of: Callable[[str], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.spec = spec
        self._samples_of = samples_of
        self.label = QLabel(with_mnemonic(spec.label + (" *" if spec.required else ""), mnemonics))
        self.label.setToolTip(spec.help + (" (required)" if spec.required else ""))
        self.source = QComboBox()
        self.source.setMinimumContentsLength(18)
        self.source.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.source.setToolTip(spec.help)
        self.label.setBuddy(self.source)
        self.constant = QLineEdit()
        self.constant.setPlaceholderText("value for every row")
        self.constant.setToolTip(spec.help)
        self.events: QComboBox | None = None  # the account's events (event_id, signed in)
        self.editors = QWidget()
        layout = QHBoxLayout(self.editors)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.constant)
        self.samples = QLabel()
        self.samples.setTextFormat(Qt.TextFormat.PlainText)
        self.samples.setToolTip("Values from the first rows of the file (emails, phones masked)")
        self.source.currentIndexChanged.connect(self._source_changed)
        self.constant.textChanged.connect(self.edited)
        self.offer_columns(())

    # -- reading ------------------------------------------------------------------------------

    def kind(self) -> str:
        """ "none", "column" or "constant"."""
        return str(self.source.currentData(KindRole))

    def column(self) -> str | None:
        return self.source.currentData(ColumnRole) if self.kind() == "column" else None

    def constant_text(self) -> str:
        """The constant as typed; for an account event chosen by its label, its id."""
        if self.events is None:
            return self.constant.text().strip()
        text = self.events.currentText().strip()
        found = self.events.findText(text, Qt.MatchFlag.MatchExactly)
        return str(self.events.itemData(found)) if found >= 0 else text

    def editor(self) -> QLineEdit | QComboBox:
        return self.events or self.constant

    def focus_chain(self) -> list[QWidget]:
        return [self.source, self.editor()]

    # -- writing ------------------------------------------------------------------------------

    def offer_columns(self, columns: tuple[str, ...]) -> None:
        """Offer "— none —", `columns` and "Constant…"; nothing chosen."""
        combo = self.source
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(NONE_TEXT)
        combo.setItemData(0, "none", KindRole)
        for column in columns:
            combo.addItem(column, column)
            combo.setItemData(combo.count() - 1, "column", KindRole)
        combo.addItem(CONSTANT_TEXT)
        combo.setItemData(combo.count() - 1, "constant", KindRole)
        combo.setCurrentIndex(0)
        combo.blockSignals(False)
        self._refresh()

    def set_suggestion(self, column: str | None, reason: str) -> None:
        tip = self.spec.help
        if column is not None:
            tip += f"\nSuggested: “{column}” — {reason}"
        self.source.setToolTip(tip)

    def choose_none(self) -> None:
        self.source.setCurrentIndex(0)
        self._refresh()

    def choose_column(self, column: str, *, keep_missing: bool = False) -> None:
        """Choose `column`; one the file lacks is kept (marked) with keep_missing, else
        ValueError."""
        index = self._column_item(column)
        if index < 0:
            if not keep_missing:
                raise ValueError(f"column {column!r} is not in the file")
            index = self.source.count() - 1
            self.source.insertItem(index, column + MISSING_SUFFIX, column)
            self.source.setItemData(index, "column", KindRole)
        self.source.setCurrentIndex(index)
        self._refresh()

    def choose_constant(self, value: str) -> None:
        self.source.setCurrentIndex(self.source.count() - 1)
        if self.events is None:
            self.constant.setText(value)
        else:
            found = self.events.findData(value) if value else -1
            self.events.setCurrentIndex(found)
            if found < 0:
                self.events.setEditText(value)
        self._refresh()

    def set_event_choices(self, choices: list[tuple[str, str]]) -> None:
        """Turn the constant editor into a combo of (id, label) events; [] back to a line."""
        current = self.constant_text()
        if self.events is not None:
            self.events.deleteLater()
            self.events = None
        if choices:
            events = QComboBox()
            events.setEditable(True)
            events.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            for event_id, label in choices:
                events.addItem(f"{label} ({event_id})", event_id)
            events.setToolTip("An event of the signed-in account, or type an event id")
            events.setEnabled(self.source.isEnabled())
            layout = self.editors.layout()
            assert layout is not None
            layout.addWidget(events)
            self.events = events
            found = events.findData(current) if current else -1
            events.setCurrentIndex(found)
            if found < 0:
                events.setEditText(current)
            events.currentTextChanged.connect(self.edited)
        else:
            self.constant.setText(current)
        self._refresh()

    def set_enabled(self, enabled: bool) -> None:
        for widget in (self.source, self.constant, self.events):
            if widget is not None:
                widget.setEnabled(enabled)

    def widgets(self) -> list[QObject]:
        """Every editor, to block their signals while a whole profile is shown."""
        return [self, self.source, self.constant] + ([self.events] if self.events else [])

    # -- internals ----------------------------------------------------------------------------

    def _source_changed(self) -> None:
        self._refresh()
        if self.kind() == "constant" and self.source.hasFocus():
            self.editor().setFocus()
        self.edited.emit()

    def _refresh(self) -> None:
        constant = self.kind() == "constant"
        self.constant.setVisible(constant and self.events is None)
        if self.events is not None:
            self.events.setVisible(constant)
        column = self.column()
        self.samples.setText(self._samples_of(column) if column is not None else "")

    def _column_item(self, column: str) -> int:
        combo = self.source
        for index in range(combo.count()):
            if combo.itemData(index, KindRole) == "column" and combo.itemData(index) == column:
                return index
        return -1
