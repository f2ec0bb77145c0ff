"""The Rows tab's table of conversions; its current row stays put while the filter keeps it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QHeaderView, QTableView

from twconv_gui.gui.preview.model import HEADERS, PreviewModel

COLUMN_WIDTHS = {
    "Row": 60,
    "Status": 80,
    "Problem": 240,
    "Conversion time (UTC)": 200,
    "Event id": 80,
    "Email": 210,
    "Email SHA-256": 200,
    "Phone (E.164)": 120,
    "Phone SHA-256": 200,
    "Click id": 140,
    "Value": 80,
    "Currency": 70,
    "Items": 50,
    "Conversion id": 110,
}


class RowsTable(QTableView):
    """The preview's rows, one selected at a time, all of one height (a million rows scroll)."""

    def __init__(self, model: PreviewModel) -> None:
        super().__init__()
        self._preview = model
        self.setModel(model)
        self.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform heights: 1M rows
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        columns = self.horizontalHeader()
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        columns.setStretchLastSection(True)
        for name, width in COLUMN_WIDTHS.items():
            self.setColumnWidth(HEADERS.index(name), width)

    def current_position(self) -> int | None:
        """The position in the preview of the current row (None: no current row)."""
        current = self.selectionModel().currentIndex()
        return self._preview.source_position(current.row()) if current.isValid() else None

    def show_positions(self, positions: Sequence[int] | None) -> bool:
        """Show only the rows at `positions` (None: all); False when the current row went."""
        position = self.current_position()
        self._preview.set_visible(positions)
        row = self._preview.view_row_of(position) if position is not None else None
        if row is None:
            return False
        self.selectionModel().setCurrentIndex(
            self._preview.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.scrollTo(self._preview.index(row, 0))
        return True
