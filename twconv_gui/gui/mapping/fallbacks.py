"""Further columns of one field, read in order when the ones before are empty."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

MISSING_SUFFIX = " (not in this file)"
ADD_TEXT = "+"
ADD_TIP = "+ another column: read when the columns before it are empty"


class FallbackColumns(QObject):
    """The "then [column] ×" lines under a field's source chooser, and its "+" button.

    Signals:
        edited(): a column was added, chosen or removed by the user.
    """

    edited = Signal()

    def __init__(
        self, first_column: Callable[[], str | None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._first_column = first_column
        self._columns: tuple[str, ...] = ()
        self._lines: list[tuple[QWidget, QComboBox]] = []
        self.box = QWidget()
        self._layout = QVBoxLayout(self.box)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self.box.hide()
        self.add_button = QToolButton()
        self.add_button.setText(ADD_TEXT)
        self.add_button.setToolTip(ADD_TIP)
        self.add_button.setAccessibleName("another column")
        self.add_button.clicked.connect(self._add_clicked)

    def offer_columns(self, columns: tuple[str, ...]) -> None:
        """Forget every further column; `columns` are the file's."""
        self._columns = columns
        self.set_columns([])

    def columns(self) -> list[str]:
        return [combo.currentData() for _, combo in self._lines]

    def combos(self) -> list[QComboBox]:
        return [combo for _, combo in self._lines]

    def set_columns(self, columns: list[str]) -> None:
        """Show exactly `columns` (one the file lacks is kept, marked), without `edited`."""
        while self._lines:
            self._remove_line(self._lines[-1][0])
        for column in columns:
            self._add_line(column)

    def add(self, first: str | None) -> QComboBox:
        """Add a line with a likely column (one sharing a word with `first`, unused)."""
        used = {first, *self.columns()}
        unused = [c for c in self._columns if c not in used]
        words = {w for w in (first or "").casefold().split() if len(w) > 2}
        alike = [c for c in unused if words & set(c.casefold().split())]
        choice = (alike or unused or [c for c in self._columns if c != first] or [""])[0]
        combo = self._add_line(choice)
        self.edited.emit()
        return combo

    def set_enabled(self, enabled: bool) -> None:
        self.add_button.setEnabled(enabled)
        for line, _ in self._lines:
            line.setEnabled(enabled)

    def _add_clicked(self) -> None:
        self.add(self._first_column()).setFocus()

    def _add_line(self, column: str) -> QComboBox:
        line = QWidget()
        row = QHBoxLayout(line)
        row.setContentsMargins(0, 0, 0, 0)
        then = QLabel("then")
        combo = QComboBox()
        combo.setMinimumContentsLength(14)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setToolTip("Read when the columns before it are empty")
        for name in self._columns:
            combo.addItem(name, name)
        if column and combo.findData(column) < 0:
            combo.addItem(column + MISSING_SUFFIX, column)
        combo.setCurrentIndex(max(combo.findData(column), 0))
        then.setBuddy(combo)
        remove = QToolButton()
        remove.setText("×")
        remove.setToolTip("Stop reading this column")
        remove.setAccessibleName("remove column")
        row.addWidget(then)
        row.addWidget(combo, 1)
        row.addWidget(remove)
        combo.currentIndexChanged.connect(self.edited)
        remove.clicked.connect(lambda _=False, w=line: self._remove_clicked(w))
        self._lines.append((line, combo))
        self._layout.addWidget(line)
        self.box.setVisible(True)
        return combo

    def _remove_clicked(self, line: QWidget) -> None:
        self._remove_line(line)
        self.edited.emit()

    def _remove_line(self, line: QWidget) -> None:
        self._lines = [(w, c) for w, c in self._lines if w is not line]
        self._layout.removeWidget(line)
        line.hide()
        line.deleteLater()
        self.box.setVisible(bool(self._lines))
