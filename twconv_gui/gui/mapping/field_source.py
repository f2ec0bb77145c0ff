"""The editors of one conversion field on the Map step: a column, a constant, or nothing."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from twconv_gui.core.mapping.fields import FIELDS, HELPS, FieldSpec
from twconv_gui.gui.mapping.fallbacks import MISSING_SUFFIX, FallbackColumns
from twconv_gui.gui.plain_text import literal

NONE_TEXT = "— none —"
CONSTANT_TEXT = "Constant…"
HELPER_PREFIX = "↳ "

KindRole = Qt.ItemDataRole.UserRole + 1  # "none", "column" or "constant" for a source item
ColumnRole = Qt.ItemDataRole.UserRole  # the column name of a "column" item


def with_mnemonic(text: str, used: set[str]) -> str:
    """`text` with an '&' before its first letter that no other label in `used` has."""
    for i, char in enumerate(text):
        if char.isalpha() and char.lower() not in used:
            used.add(char.lower())
            return text[:i] + "&" + text[i:]
    return text


def fields_in_order() -> list[FieldSpec]:
    """Every field, each helper right under the field it helps."""
    ordered: list[FieldSpec] = []
    for spec in FIELDS:
        if spec.name in HELPS:
            continue
        ordered.append(spec)
        ordered += [h for h in FIELDS if HELPS.get(h.name) == spec.name]
    ordered += [h for h in FIELDS if h.name in HELPS and h not in ordered]
    return ordered


class FieldSource(QObject):
    """Label, source chooser (with further columns), constant editor and samples of one field.

    The widgets are laid out by the page (`label`, `source_box`, `editors`, `samples_box`);
    this object keeps them consistent: the constant editor shows only when "Constant…" is
    chosen, further columns ("then Billing Phone") only beside a column, the samples follow
    the chosen column. A helper field (read to build another one) is a column or nothing.

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
        prefix = HELPER_PREFIX if spec.is_helper else ""
        self.label = QLabel(
            prefix + with_mnemonic(spec.label + (" *" if spec.required else ""), mnemonics)
        )
        self.label.setToolTip(spec.help + (" (required)" if spec.required else ""))
        self.source = QComboBox()
        self.source.setMinimumContentsLength(18)
        self.source.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.source.setToolTip(spec.help)
        self.label.setBuddy(self.source)
        self.fallbacks = FallbackColumns(self.column, self)
        self.source_box = QWidget()
        source_layout = QGridLayout(self.source_box)
        source_layout.setContentsMargins(0, 0, 0, 0)
        source_layout.setHorizontalSpacing(2)
        source_layout.setVerticalSpacing(2)
        source_layout.addWidget(self.source, 0, 0)
        source_layout.addWidget(self.fallbacks.add_button, 0, 1)
        policy = self.fallbacks.add_button.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # every row's chooser keeps the same width
        self.fallbacks.add_button.setSizePolicy(policy)
        source_layout.addWidget(self.fallbacks.box, 1, 0, 1, 2)
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
        self.chain = QLabel()  # "Phone ← Shipping Phone, then Billing Phone"
        self.chain.setTextFormat(Qt.TextFormat.PlainText)
        self.chain.setWordWrap(True)
        for label in (self.samples, self.chain):
            # Long samples are cut at the column's edge, never widening the page.
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            label.setMinimumWidth(80)
        self.samples_box = QWidget()
        samples_layout = QVBoxLayout(self.samples_box)
        samples_layout.setContentsMargins(0, 0, 0, 0)
        samples_layout.setSpacing(0)
        samples_layout.addWidget(self.chain)
        samples_layout.addWidget(self.samples)
        self.source.currentIndexChanged.connect(self._source_changed)
        self.constant.textChanged.connect(self.edited)
        self.fallbacks.edited.connect(self._fallbacks_edited)
        self.offer_columns(())

    # -- reading ------------------------------------------------------------------------------

    def kind(self) -> str:
        """ "none", "column" or "constant"."""
        return str(self.source.currentData(KindRole))

    def column(self) -> str | None:
        return self.source.currentData(ColumnRole) if self.kind() == "column" else None

    def columns(self) -> list[str]:
        """Every column read, in order (the first non-empty one wins); [] without a column."""
        first = self.column()
        return [first, *self.fallbacks.columns()] if first is not None else []

    def chain_text(self) -> str:
        """ "Phone ← Shipping Phone, then Billing Phone" ("" for a single column)."""
        columns = self.columns()
        if len(columns) < 2:
            return ""
        return f"{self.spec.label} ← {', then '.join(columns)}"

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
        return [self.source, self.fallbacks.add_button, *self.fallbacks.combos(), self.editor()]

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
        if not self.spec.is_helper:  # helpers are read from a column, never a constant
            combo.addItem(CONSTANT_TEXT)
            combo.setItemData(combo.count() - 1, "constant", KindRole)
        combo.setCurrentIndex(0)
        combo.blockSignals(False)
        self.fallbacks.offer_columns(columns)
        self._refresh()

    def set_suggestion(self, column: str | None, reason: str) -> None:
        tip = self.spec.help
        if column is not None:
            tip += f"\nSuggested: “{column}” — {reason}"
        self.source.setToolTip(literal(tip))

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
            index = self.source.count() - (0 if self.spec.is_helper else 1)
            self.source.insertItem(index, column + MISSING_SUFFIX, column)
            self.source.setItemData(index, "column", KindRole)
        self.source.setCurrentIndex(index)
        self._refresh()

    def set_fallbacks(self, columns: list[str]) -> None:
        """Read `columns` in order when the first column is empty (missing ones kept, marked)."""
        self.fallbacks.set_columns(columns)
        self._refresh()

    def clear_constant(self) -> None:
        self.constant.setText("")
        if self.events is not None:
            self.events.setCurrentIndex(-1)
            self.events.setEditText("")

    def choose_constant(self, value: str) -> None:
        if self.spec.is_helper:
            raise ValueError(f"{self.spec.name} is read from a column, it cannot be a constant")
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
        self.fallbacks.set_enabled(enabled)
        self._refresh()

    def widgets(self) -> list[QObject]:
        """Every editor, to block their signals while a whole profile is shown."""
        editors: list[QObject] = [self, self.fallbacks, self.source, self.constant]
        return editors + ([self.events] if self.events else [])

    # -- internals ----------------------------------------------------------------------------

    def _source_changed(self) -> None:
        if self.kind() != "column":
            self.fallbacks.set_columns([])  # further columns only make sense after a column
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
        self.fallbacks.add_button.setVisible(column is not None)
        self.fallbacks.add_button.setEnabled(self.source.isEnabled())
        chain = self.chain_text()
        self.chain.setText(chain)
        self.chain.setVisible(bool(chain))

    def _fallbacks_edited(self) -> None:
        self._refresh()
        self.edited.emit()

    def _column_item(self, column: str) -> int:
        combo = self.source
        for index in range(combo.count()):
            if combo.itemData(index, KindRole) == "column" and combo.itemData(index) == column:
                return index
        return -1
