"""The quality view's chart: conversions and value per day, drawn with pyqtgraph.

Why pyqtgraph (checked with `pip download --no-deps`, PySide6 6.11, Python 3.11):
- QtCharts ships only in PySide6-Addons, a 168 MB wheel (WebEngine, 3D, multimedia…) for one
  chart, and it must match the Essentials version exactly.
- matplotlib's Qt canvas: 9.5 MB wheel plus numpy (17 MB), pillow, fonttools, kiwisolver,
  contourpy… (~45 MB), and it renders a whole figure to an image on every resize.
- pyqtgraph: a 1.9 MB pure-Python wheel plus numpy (17 MB) and colorama; it draws with Qt's
  own QGraphicsView, so it resizes and pans instantly with thousands of bars, follows the
  app's fonts, and looks clean with a white background and muted colours. Kept by an active
  team (0.14, 2025), used by napari-adjacent and scientific Qt apps alike.
The figures are computed by the core during preparation; this widget only draws them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

BAR_COLOUR = "#4c78a8"
VALUE_COLOUR = "#e45756"
AXIS_COLOUR = "#444444"
DAY_SECONDS = 86_400


def _day_seconds(day: str) -> float:
    return datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=UTC).timestamp()


def _amount(text: str) -> float:
    try:
        return float(Decimal(text))
    except (InvalidOperation, ValueError):
        return 0.0


def tick_text(value: float, spacing: float, *, whole: bool = False) -> str:
    """A count or an amount as a person reads it on an axis: 15,000 or 8.5M, never 8e+06.

    With `whole` (counts of conversions), ticks between whole numbers are left unlabelled.
    """
    if whole and value != int(value):
        return ""
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:,.{0 if spacing >= 1_000_000 else 1}f}M"
    return f"{value:,.{0 if spacing >= 1 or whole else 1 if spacing >= 0.1 else 2}f}"


class _PlainAxis(pg.AxisItem):  # type: ignore[misc]
    """A left axis that writes its numbers with thousands separators."""

    def __init__(self, *, whole: bool) -> None:
        super().__init__(orientation="left")
        self._whole = whole

    def tickStrings(  # noqa: N802 - pyqtgraph's name
        self, values: list[float], scale: float, spacing: float
    ) -> list[str]:
        return [tick_text(v * scale, spacing * scale, whole=self._whole) for v in values]


class DayChart(pg.GraphicsLayoutWidget):
    """Two day-aligned bar charts: conversions per day above, their value per day below.

    Attributes:
        days, counts, values: what is drawn (dates as "YYYY-MM-DD"), for tests and tooltips.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, show=False)
        self.setBackground("w")
        self.ci.setContentsMargins(4, 4, 12, 4)
        self.days: list[str] = []
        self.counts: list[int] = []
        self.values: list[float] = []
        self.count_plot = self._plot(0, "Conversions per day")
        self.value_plot = self._plot(1, "Value per day")
        self.value_plot.setXLink(self.count_plot)
        self.setMinimumHeight(220)

    def _plot(self, row: int, title: str) -> pg.PlotItem:
        axis = pg.DateAxisItem(orientation="bottom", utcOffset=0)
        left = _PlainAxis(whole=row == 0)  # the first plot counts conversions
        plot = self.addPlot(row=row, col=0, axisItems={"bottom": axis, "left": left})
        plot.setTitle(title, color=AXIS_COLOUR, size="9pt")
        plot.showGrid(y=True, alpha=0.25)
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=True, y=False)
        plot.hideButtons()
        for name in ("left", "bottom"):
            plot.getAxis(name).setPen(pg.mkPen(AXIS_COLOUR))
            plot.getAxis(name).setTextPen(pg.mkPen(AXIS_COLOUR))
        plot.getAxis("left").setWidth(56)
        return plot

    def set_days(self, per_day: dict[str, tuple[int, str]], currency: str = "") -> None:
        """Draw `per_day` (date -> conversions, value total as text); empty clears."""
        self.days = sorted(per_day)
        self.counts = [per_day[day][0] for day in self.days]
        self.values = [_amount(per_day[day][1]) for day in self.days]
        self.value_plot.setTitle(
            f"Value per day ({currency})" if currency else "Value per day",
            color=AXIS_COLOUR,
            size="9pt",
        )
        for plot, heights, colour in (
            (self.count_plot, self.counts, BAR_COLOUR),
            (self.value_plot, self.values, VALUE_COLOUR),
        ):
            plot.clear()
            if not self.days:
                continue
            x = np.array([_day_seconds(day) for day in self.days]) + DAY_SECONDS / 2
            bars = pg.BarGraphItem(
                x=x,
                height=np.array(heights, dtype=float),
                width=DAY_SECONDS * 0.8,
                brush=colour,
                pen=pg.mkPen(None),
            )
            plot.addItem(bars)
            plot.setXRange(x[0] - DAY_SECONDS, x[-1] + DAY_SECONDS, padding=0)
            plot.setYRange(0, max(heights) * 1.1 or 1, padding=0)
