"""Small widgets of the credentials form: hints, id combos, a row with a button."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

HINT_STYLE = "color: palette(placeholder-text);"
ERROR_STYLE = "color: #b3261e;"


def hint_label(text: str) -> QLabel:
    """A one-line hint under a field, in the placeholder colour."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def set_problem(label: QLabel, hint: str, problem: str) -> None:
    """Show `problem` in red under a field, or its `hint` when there is none."""
    label.setText(problem or hint)
    label.setStyleSheet(ERROR_STYLE if problem else HINT_STYLE)


def with_hint(field: QWidget, hint: QLabel) -> QWidget:
    """A field with its hint underneath."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(field)
    layout.addWidget(hint)
    return box


def editable_combo(placeholder: str) -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    line_edit = combo.lineEdit()
    if line_edit is not None:
        line_edit.setPlaceholderText(placeholder)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


def row(main: QWidget, extra: QWidget) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(main, 1)
    layout.addWidget(extra)
    return box


def item_label(name: str, item_id: str) -> str:
    return f"{name} ({item_id})" if name else item_id


def reset_combo(combo: QComboBox, item_id: str) -> None:
    combo.clear()
    combo.setEditText(item_id)


def fill_combo(combo: QComboBox, items: list[tuple[str, str]], current: str) -> None:
    combo.blockSignals(True)
    combo.clear()
    for item_id, text in items:
        combo.addItem(text, item_id)
    combo.blockSignals(False)
    index = combo.findData(current) if current else -1
    if index < 0 and current:
        combo.setCurrentIndex(-1)
        combo.setEditText(current)
    else:
        combo.setCurrentIndex(max(index, 0) if items else -1)


def combo_id(combo: QComboBox) -> str:
    """The chosen item's id, or what the user typed (an id pasted by hand)."""
    index = combo.currentIndex()
    text = combo.currentText().strip()
    if index >= 0 and combo.itemText(index) == combo.currentText():
        return str(combo.itemData(index, Qt.ItemDataRole.UserRole))
    return text
