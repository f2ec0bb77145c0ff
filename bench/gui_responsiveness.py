"""Benchmark: the window stays responsive while a 200k-row xlsx is opened, mapped and previewed.

Opens a generated workbook through MainWindow.open_file, applies the suggested mapping plus an
event id, prepares the preview, and meanwhile measures the largest gap between ticks of a 10 ms
timer on the GUI thread, and the process's peak memory beside the reader's. Target: largest gap
< 100 ms; with `--csv --rows 1000000`, peak memory <= 600 MB above what reading the file takes.
Run headless:
    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/gui_responsiveness.py
    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/gui_responsiveness.py --csv --rows 1000000
Grouped exports (three lines per order, 333,333 orders), lines side by side or sorted by product:
    ... bench/gui_responsiveness.py --line-items --rows 999999 [--by-product]
"""

from __future__ import annotations

import argparse
import csv
import functools
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from openpyxl import Workbook
from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

OUT = Path(__file__).parent / "out"


def write_xlsx(path: Path, count: int) -> None:
    rng = random.Random(5)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Orders")
    sheet.append(["Order ID", "Created at", "Email", "Phone", "Total", "Currency"])
    start = datetime(2026, 9, 1, 8)
    for i in range(count):
        sheet.append(
            [f"W-{i}", start + timedelta(minutes=rng.randint(0, 80_000)),
             f"shopper{i}@example.com", f"+1 212 555 {i % 10000:04d}" if i % 3 else None,
             round(rng.uniform(3, 900), 2), "USD"]
        )  # fmt: skip
    book.save(path)


class GapMeter:
    """Ticks every 10 ms on the GUI thread and keeps the longest wait between two ticks."""

    def __init__(self) -> None:
        self.largest = 0.0
        self.last = time.perf_counter()
        self.phase = "start"
        self.long: list[tuple[float, str]] = []  # gaps over 50 ms, with the step they fell in
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def tick(self) -> None:
        now = time.perf_counter()
        gap = now - self.last
        self.largest = max(self.largest, gap)
        if gap > 0.05:
            self.long.append((gap, self.phase))
        self.last = now


def write_csv(path: Path, count: int) -> None:
    """Orders whose totals are nearly all different, as in an export of invoices (the figures
    per currency then hold an entry per conversion: the harder case for memory)."""
    rng = random.Random(5)
    start = datetime(2026, 9, 1, 8)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Order ID", "Created at", "Email", "Phone", "Total", "Currency"])
        for i in range(count):
            when = start + timedelta(minutes=rng.randint(0, 80_000))
            writer.writerow(
                [f"W-{i}", f"{when:%Y-%m-%d %H:%M}", f"shopper{i}@example.com",
                 f"+1 212 555 {i % 10000:04d}" if i % 3 else "",
                 f"{10 + i * 0.37 + rng.random():.2f}", "USD"]
            )  # fmt: skip


def write_line_items(path: Path, count: int, *, by_product: bool = False) -> None:
    """A shop's orders export with three lines per order (Shopify's layout: the order's
    total on every line), which the suggested mapping groups by order. `by_product`: sorted
    by line item, as a sales-by-product report is, so each order's lines lie a third of the
    file apart (the case where most orders wait for their last line)."""
    rng = random.Random(9)
    start = datetime(2026, 9, 1, 8)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Name", "Email", "Financial Status", "Created at", "Total", "Currency",
                         "Lineitem quantity", "Lineitem name", "Phone"])  # fmt: skip
        orders = []
        for order in range(count // 3):
            when = start + timedelta(minutes=rng.randint(0, 80_000))
            total = f"{10 + order * 0.37 + rng.random():.2f}"
            phone = f"+1 212 555 {order % 10000:04d}" if order % 3 else ""
            orders.append((order, f"{when:%Y-%m-%d %H:%M:%S} +0100", total, phone))
        lines = [(line, *order) for order in orders for line in range(3)]
        if by_product:
            lines.sort(key=lambda item: item[0])  # stable: orders keep their order per item
        for line, order, when, total, phone in lines:
            writer.writerow([f"#{1000 + order}", f"buyer{order}@example.com", "paid", when,
                             total, "EUR", "1", f"Item {line}", phone])  # fmt: skip


def reader_peak_mib(path: Path) -> float:
    """Peak memory of a child process that only reads the file through (the reader's share)."""
    code = (
        "import resource, sys\n"
        "from twconv_gui.core.reading.opening import open_table\n"
        "for _ in open_table(sys.argv[1]).rows(): pass\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    return float(result.stdout.strip())


def wait_until(app: QApplication, condition, timeout: float) -> None:  # type: ignore[no-untyped-def]
    """Run the Qt event loop, as the app does, until `condition()` holds.

    The loop sleeps until an event or a timer is due. Spinning on processEvents() instead
    kept the GUI thread busy (70% of a core) and took the interpreter lock a thousand times a
    second from the thread preparing the preview, a contention the app does not have.
    """
    deadline = time.monotonic() + timeout
    loop = QEventLoop()
    check = QTimer()
    check.setInterval(20)

    def test() -> None:
        if condition() or time.monotonic() > deadline:
            loop.quit()

    check.timeout.connect(test)
    check.start()
    if not condition():
        loop.exec()
    check.stop()
    if not condition():
        raise SystemExit("timed out")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--csv", action="store_true", help="a CSV file instead of an xlsx")
    parser.add_argument(
        "--line-items", action="store_true", help="a CSV of orders, three lines each (grouped)"
    )
    parser.add_argument(
        "--by-product",
        action="store_true",
        help="with --line-items: sorted by line item, grouped by order",
    )
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    OUT.mkdir(exist_ok=True)
    kind = "csv" if args.csv else "xlsx"
    if args.line_items and args.by_product:
        path = OUT / f"gui_line_items_by_product_{args.rows}.csv"
        write = functools.partial(write_line_items, by_product=True)
        kind = "line-item csv sorted by product"
    elif args.line_items:
        path, write = OUT / f"gui_line_items_{args.rows}.csv", write_line_items
        kind = "line-item csv"
    elif args.csv:
        path, write = OUT / f"gui_invoices_{args.rows}.csv", write_csv
    else:
        path, write = OUT / f"gui_{args.rows}.xlsx", write_xlsx
    if not path.exists():
        print(f"generating {path.name}…", flush=True)
        write(path, args.rows)
    reader_mib = reader_peak_mib(path)
    with tempfile.TemporaryDirectory() as private:
        os.environ["TWCONV_DATA_DIR"] = private
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, private)
        app = QApplication(sys.argv[:1])
        QCoreApplication.setOrganizationName("twconv-gui-bench")
        from twconv_gui.gui.gc_guard import (  # noqa: PLC0415
            MainThreadCollector,
            favour_the_window,
        )
        from twconv_gui.gui.main_window import PREVIEW, MainWindow  # noqa: PLC0415

        collector = MainThreadCollector(app)  # as the app does (twconv_gui/app_window.py)
        favour_the_window()
        window = MainWindow()
        window.show()
        collector.settle()
        meter = GapMeter()
        started = time.perf_counter()
        loaded: list[object] = []
        window.file_loaded.connect(loaded.append)
        meter.phase = "open"
        window.open_file(path)
        wait_until(app, lambda: bool(loaded), 120)
        opened = time.perf_counter() - started
        meter.phase = "map"
        window.map_page.set_constant("event_id", "o87ne")
        if args.by_product:  # the sample shows no order twice: group as the warnings advise
            window.map_page.group_check.setChecked(True)
        wait_until(app, lambda: window.session.profile is not None, 30)
        prepared: list[object] = []
        window.preview_page.prepared.connect(prepared.append)
        meter.phase = "preview"
        window.go_to(PREVIEW)
        wait_until(app, lambda: bool(prepared), 600)
        total = time.perf_counter() - started
        meter.phase = "shown"
        pump_until = time.monotonic() + 2  # the first paints of the full table
        wait_until(app, lambda: time.monotonic() > pump_until, 5)
        rows = window.preview_page.model.rowCount()
        window.close()
        collector.stop()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{args.rows:,}-row {kind}: opened in {opened:.1f} s, previewed ({rows:,} rows in the "
        f"table) after {total:.1f} s; largest gap between GUI ticks {meter.largest * 1000:.0f} ms "
        "(target < 100 ms)"
    )
    print(
        f"peak memory {peak_mib:.0f} MiB; reading the file alone {reader_mib:.0f} MiB; "
        f"difference {peak_mib - reader_mib:.0f} MiB (target <= 600 MB at 1M rows)"
    )
    if meter.long:
        listed = ", ".join(f"{gap * 1000:.0f} ms ({phase})" for gap, phase in meter.long)
        print(f"gaps over 50 ms: {listed}")


if __name__ == "__main__":
    main()
