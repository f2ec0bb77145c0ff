"""The Quality tab of the Preview: who X can match, when, how much, and every problem by reason."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from twconv_gui.core.prepare.diagnostics import Diagnostics, ReasonGroup
from twconv_gui.gui.plain_text import plain_label
from twconv_gui.gui.preview.day_chart import DayChart
from twconv_gui.gui.preview.quality_model import ProblemGroupsModel

NO_FIGURES = "The quality figures appear here once the file is prepared."
# What each bar counts, in the order shown.
COVERAGE = (
    ("Email", "with_email"),
    ("Phone", "with_phone"),
    ("Click id (twclid)", "with_twclid"),
    ("IP + user agent", "with_ip_and_agent"),
    ("Two or more", "with_two_or_more"),
)
BAR_STYLE = (
    "QProgressBar { border: 1px solid #c4c9d0; border-radius: 3px; background: #f5f6f8;"
    " color: #111; text-align: center; min-height: 16px; }"
    " QProgressBar::chunk { background: #a9c6e8; border-radius: 2px; }"
)
ATTENTION = "color: #9a5b00; font-weight: bold;"


def _money(text: str) -> str:
    try:
        return f"{Decimal(text):,}"
    except (InvalidOperation, ValueError):
        return text


def _days(first: str | None, last: str | None, per_day: int) -> str:
    if first is None or last is None:
        return "—"
    if first == last:
        return f"{first} (one day)"
    return f"{first} → {last} ({per_day:,} days with conversions)"


class QualityView(QWidget):
    """Shows a preparation's Diagnostics; draws only what the core already computed.

    Signals:
        show_rows(object): the ReasonGroup whose rows the user wants to see in the table.
    """

    show_rows = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.diagnostics: Diagnostics | None = None
        self.placeholder = QLabel(NO_FIGURES)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color: #666;")

        self.bars: dict[str, QProgressBar] = {}
        coverage = QGroupBox("Who X can match")
        coverage_form = QFormLayout(coverage)
        for label, name in COVERAGE:
            bar = QProgressBar()
            bar.setStyleSheet(BAR_STYLE)
            bar.setTextVisible(True)
            bar.setMinimumWidth(120)
            self.bars[name] = bar
            coverage_form.addRow(label, bar)

        self.range_label = plain_label()
        self.future_label = plain_label()
        self.old_label = plain_label()
        self.repeated_label = plain_label()
        self.window_caption = QLabel("Older than the window")
        when = QGroupBox("When")
        when_form = QFormLayout(when)
        when_form.addRow("Dates", self.range_label)
        when_form.addRow("In the future", self.future_label)
        when_form.addRow(self.window_caption, self.old_label)
        when_form.addRow("Repeated conversion ids", self.repeated_label)

        self.values_label = plain_label()
        self.left_out_label = plain_label()
        for label in (self.values_label, self.left_out_label, self.range_label):
            label.setMinimumWidth(120)
            label.setWordWrap(True)
        amounts = QGroupBox("Values and rows left out")
        amounts_layout = QVBoxLayout(amounts)
        amounts_layout.addWidget(self.values_label)
        amounts_layout.addWidget(self.left_out_label)
        amounts_layout.addStretch(1)

        self.chart = DayChart()
        self.groups_model = ProblemGroupsModel()
        self.groups_view = QTableView()
        self.groups_view.setModel(self.groups_model)
        self.groups_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.groups_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.groups_view.verticalHeader().hide()
        self.groups_view.setWordWrap(False)
        header = self.groups_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((64, 104, 240, 44, 64)):
            self.groups_view.setColumnWidth(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)  # the reason
        self.groups_view.doubleClicked.connect(self._show_group)
        self.groups_view.selectionModel().currentRowChanged.connect(self._update_button)
        self.show_button = QPushButton("&Show these rows")
        self.show_button.setToolTip("Filter the table to the rows of the selected reason")
        self.show_button.clicked.connect(lambda: self._show_group(self._current()))
        self.groups_title = QLabel("<b>Problems by reason</b>")
        problems = QWidget()
        problems_layout = QVBoxLayout(problems)
        problems_layout.setContentsMargins(0, 0, 0, 0)
        problems_head = QHBoxLayout()
        problems_head.addWidget(self.groups_title, 1)
        problems_head.addWidget(self.show_button)
        problems_layout.addLayout(problems_head)
        problems_layout.addWidget(self.groups_view, 1)

        top = QHBoxLayout()
        top.addWidget(coverage, 4)
        top.addWidget(when, 4)
        top.addWidget(amounts, 3)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.chart)
        bottom.addWidget(problems)
        bottom.setStretchFactor(0, 1)
        bottom.setStretchFactor(1, 1)
        bottom.setSizes([480, 520])
        figures = QWidget()
        figures_layout = QVBoxLayout(figures)
        figures_layout.setContentsMargins(0, 0, 0, 0)
        figures_layout.addLayout(top)
        figures_layout.addWidget(bottom, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(figures)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.set_diagnostics(None)

    def set_diagnostics(self, diagnostics: Diagnostics | None) -> None:
        """Show the figures of one preparation (None: the placeholder)."""
        self.diagnostics = diagnostics
        self.stack.setCurrentIndex(0 if diagnostics is None else 1)
        if diagnostics is None:
            self.groups_model.set_groups([])
            self.chart.set_days({})
            self._update_button()
            return
        total = diagnostics.conversions
        for name, bar in self.bars.items():
            count = getattr(diagnostics, name)
            bar.setRange(0, max(total, 1))
            bar.setValue(count)
            share = round(100 * count / total) if total else 0
            bar.setFormat(f"{share}%  ({count:,} of {total:,})")
        self.range_label.setText(
            _days(diagnostics.first_day, diagnostics.last_day, len(diagnostics.per_day))
        )
        self.window_caption.setText(f"Older than {diagnostics.window_days} days")
        self.window_caption.setToolTip(
            "X attributes a conversion to an ad seen within its attribution window; older "
            "sales are accepted but rarely matched to a campaign."
        )
        for label, count in (
            (self.future_label, diagnostics.in_future),
            (self.old_label, diagnostics.older_than_window),
            (self.repeated_label, diagnostics.repeated_ids),
        ):
            label.setText(f"{count:,}")
            label.setStyleSheet(ATTENTION if count else "")
        self.values_label.setText(
            "\n".join(
                f"{c.currency or 'No currency'}: {c.conversions:,} conversions, total "
                f"{_money(c.total)}, median {_money(c.median)}"
                for c in diagnostics.currencies
            )
            or "No values."
        )
        left_out = diagnostics.left_out_by_filter
        self.left_out_label.setText(
            "Left out: " + "; ".join(f"{reason}: {n:,}" for reason, n in left_out.items())
            if left_out
            else "No rows left out by filters."
        )
        main = max(diagnostics.currencies, key=lambda c: c.conversions, default=None)
        self.chart.set_days(diagnostics.per_day, main.currency if main else "")
        self.groups_model.set_groups(diagnostics.groups)
        rows = sum(g.count for g in diagnostics.groups)
        reasons = len(diagnostics.groups)
        self.groups_title.setText(
            f"<b>Problems by reason</b> ({_count(reasons, 'reason')}, {_count(rows, 'row')})"
            if diagnostics.groups
            else "<b>No problems</b>"
        )
        self._update_button()

    def _current(self) -> QModelIndex:
        return self.groups_view.selectionModel().currentIndex()

    def _update_button(self, *_args: object) -> None:
        self.show_button.setEnabled(self._current().isValid())

    def _show_group(self, index: QModelIndex) -> None:
        if index.isValid():
            group: ReasonGroup = self.groups_model.group(index.row())
            self.show_rows.emit(group)


def _count(number: int, noun: str) -> str:
    """'1 reason', '3 reasons', '1,200 rows'."""
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"
