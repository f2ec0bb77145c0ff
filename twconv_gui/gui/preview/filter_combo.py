"""The preview's row filter: every row, problems only, or the rows of one reason (with counts)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox

from twconv_gui.core.prepare.preview import PreviewResult
from twconv_gui.gui.plain_text import literal
from twconv_gui.gui.preview.reasons import ReasonIndex, ReasonKey

ALL_ROWS = "All rows"
PROBLEMS_ONLY = "Problems only"
_PROBLEMS = "problems"  # the choice of PROBLEMS_ONLY; None is every row, a list is reasons

Choice = None | str | tuple[ReasonKey, ...]


class RowFilterCombo(QComboBox):
    """Lists the reasons present in a preview, most rows first, as "reason (count)".

    Choosing one is a lookup in the ReasonIndex built with the preview (no scan of the rows).

    Signals:
        rows_chosen(object): the ascending positions in `PreviewResult.rows` to show, or None
            for every row.
    """

    rows_chosen = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.setToolTip("Show every row, only the rows with problems, or the rows of one reason")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(24)
        self._result: PreviewResult | None = None
        self._index = ReasonIndex()
        self._choices: list[Choice] = []
        self._wanted: Choice = None
        self.currentIndexChanged.connect(self._chosen)
        self.set_preview(None, ReasonIndex())

    def set_preview(self, result: PreviewResult | None, index: ReasonIndex) -> None:
        """List the reasons of a new preview; the choice is kept when it is still there."""
        # Kept through the empty preview shown while a new one is built (Refresh).
        kept = self.choice() if self._result is not None else self._wanted
        self._wanted = kept
        self._result, self._index = result, index
        self.blockSignals(True)
        self.clear()
        self._choices = []
        self._add(ALL_ROWS, None)
        if result is not None:
            self._add(f"{PROBLEMS_ONLY} ({len(result.problem_indices):,})", _PROBLEMS)
            for key in index.keys:
                self._add(f"{index.text(key)} ({index.count(key):,})", (key,))
        self.setCurrentIndex(self._choices.index(kept) if kept in self._choices else 0)
        self.blockSignals(False)
        self.setEnabled(result is not None)

    def choice(self) -> Choice:
        row = self.currentIndex()
        return self._choices[row] if 0 <= row < len(self._choices) else None

    def choose(self, keys: Sequence[ReasonKey], label: str) -> bool:
        """Show the rows of these reasons (one line of the quality view); False when none."""
        keys = tuple(k for k in keys if self._index.count(k))
        if not keys:
            return False
        if keys not in self._choices:
            count = len(self._index.positions(keys))
            self._add(f"{label} ({count:,})", keys)
        self.setCurrentIndex(self._choices.index(keys))
        return True

    def choose_problems(self, on: bool) -> None:
        self.setCurrentIndex(self._choices.index(_PROBLEMS) if on and self._result else 0)

    def positions(self) -> Sequence[int] | None:
        choice = self.choice()
        if choice is None or self._result is None:
            return None
        if choice == _PROBLEMS:
            return self._result.problem_indices
        return self._index.positions(choice)

    def _add(self, text: str, choice: Choice) -> None:
        self.addItem(text)
        self.setItemData(self.count() - 1, literal(text), Qt.ItemDataRole.ToolTipRole)
        self._choices.append(choice)

    def _chosen(self, _row: int) -> None:
        self.rows_chosen.emit(self.positions())
