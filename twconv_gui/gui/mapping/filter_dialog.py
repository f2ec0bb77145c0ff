"""The dialog that adds or edits one row filter: a column, keep or leave out, and values."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from twconv_gui.core.mapping.filters import ABOVE_ZERO, DROP, KEEP, NON_EMPTY, ONE_OF, RowFilter
from twconv_gui.gui.plain_text import plain_label

ACTIONS = ((DROP, "Leave out the rows where"), (KEEP, "Keep only the rows where"))
TESTS = (
    (ONE_OF, "the value is one of the values ticked below"),
    (NON_EMPTY, "the cell is filled"),
    (ABOVE_ZERO, "the value is a number above zero"),
)
ValueRole = Qt.ItemDataRole.UserRole + 1  # the value itself, without its count

# column name -> (value, rows of the sample holding it); [] when values are not offered.
ValuesOf = Callable[[str], list[tuple[str, int]]]


class FilterDialog(QDialog):
    """Edits one filter; the values seen in the chosen column's first rows are offered as
    ticks, and any other value can be typed.

    `row_filter()` is the filter as shown (None until it is complete); the OK button is
    enabled only then.
    """

    def __init__(
        self,
        columns: tuple[str, ...],
        values_of: ValuesOf,
        row_filter: RowFilter | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit filter" if row_filter else "Add filter")
        self._values_of = values_of
        self.column_combo = QComboBox()
        self.column_combo.addItems(list(columns))
        self.action_combo = QComboBox()
        for action, text in ACTIONS:
            self.action_combo.addItem(text, action)
        self.test_combo = QComboBox()
        for test, text in TESTS:
            self.test_combo.addItem(text, test)
        self.values = QStandardItemModel(self)
        self.values_view = QListView()
        self.values_view.setModel(self.values)
        self.values_view.setMinimumHeight(160)
        self.values_note = plain_label()
        self.values_note.setWordWrap(True)
        self.other_edit = QLineEdit()
        self.other_edit.setPlaceholderText("another value")
        self.other_button = QPushButton("Add &value")
        self.other_button.clicked.connect(self._add_typed)
        self.other_edit.returnPressed.connect(self._add_typed)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("&Column:", self.column_combo)
        form.addRow("&Rows:", self.action_combo)
        form.addRow("&Test:", self.test_combo)
        other = QHBoxLayout()
        other.addWidget(self.other_edit, 1)
        other.addWidget(self.other_button)
        self.values_box = QWidget()
        values_layout = QVBoxLayout(self.values_box)
        values_layout.setContentsMargins(0, 0, 0, 0)
        values_layout.addWidget(self.values_note)
        values_layout.addWidget(self.values_view, 1)
        values_layout.addLayout(other)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.values_box, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

        if row_filter is not None:
            self.column_combo.setCurrentText(row_filter.column)
            self.action_combo.setCurrentIndex(self.action_combo.findData(row_filter.action))
            self.test_combo.setCurrentIndex(self.test_combo.findData(row_filter.test))
        self._offer_values(row_filter.values if row_filter else ())
        self.column_combo.currentTextChanged.connect(lambda _: self._offer_values(()))
        self.action_combo.currentIndexChanged.connect(self._update)
        self.test_combo.currentIndexChanged.connect(self._update)
        self.values.itemChanged.connect(self._update)
        self._update()

    def row_filter(self) -> RowFilter | None:
        column = self.column_combo.currentText()
        test = self.test_combo.currentData()
        values = tuple(self.checked_values()) if test == ONE_OF else ()
        if not column or (test == ONE_OF and not values):
            return None
        return RowFilter(column, self.action_combo.currentData(), test, values)

    def checked_values(self) -> list[str]:
        return [
            item.data(ValueRole)
            for row in range(self.values.rowCount())
            if (item := self.values.item(row)).checkState() == Qt.CheckState.Checked
        ]

    def set_value_checked(self, value: str, checked: bool = True) -> None:
        """Tick (or untick) `value`, adding it when the column's first rows lack it."""
        item = self._item(value) or self._append(value, None)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _offer_values(self, checked: tuple[str, ...]) -> None:
        self.values.blockSignals(True)
        self.values.clear()
        seen = self._values_of(self.column_combo.currentText())
        for value, count in seen:
            self._append(value, count)
        for value in checked:
            item = self._item(value) or self._append(value, None)
            item.setCheckState(Qt.CheckState.Checked)
        self.values.blockSignals(False)
        self.values_note.setText(
            "Values in the first rows of the file (how many rows hold each):"
            if seen
            else "No values to offer for this column (empty, or personal data): type them."
        )
        self.values_view.reset()
        self._update()

    def _append(self, value: str, count: int | None) -> QStandardItem:
        item = QStandardItem(value if count is None else f"{value}   ({count})")
        item.setData(value, ValueRole)
        item.setCheckable(True)
        item.setEditable(False)
        item.setCheckState(Qt.CheckState.Unchecked)
        self.values.appendRow(item)
        return item

    def _item(self, value: str) -> QStandardItem | None:
        folded = value.strip().casefold()
        for row in range(self.values.rowCount()):
            item = self.values.item(row)
            if str(item.data(ValueRole)).strip().casefold() == folded:
                return item
        return None

    def _add_typed(self) -> None:
        value = self.other_edit.text().strip()
        if value:
            self.set_value_checked(value)
            self.other_edit.clear()

    def _update(self) -> None:
        one_of = self.test_combo.currentData() == ONE_OF
        self.values_box.setEnabled(one_of)
        row_filter = self.row_filter()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(row_filter is not None)
        self.summary.setText(
            f"Leaves out the rows where {row_filter.describe()}."
            if row_filter
            else "Tick at least one value."
        )
