"""What `twconv check` and `prepare` print: the counts, the diagnostics and one line per reason."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from twconv_gui.core.prepare.diagnostics import Diagnostics, ReasonGroup
from twconv_gui.core.prepare.preparation import Preparation
from twconv_gui.terminal import format_table


def print_summary(preparation: Preparation, reports: list[Path], out: TextIO) -> None:
    """The counts of a preparation, what X will be able to match, and the problems by reason."""
    summary = preparation.summary
    name = preparation.table.path.name
    out.write(f"{name}: {summary.rows_read:,} rows read\n")
    out.write(f"  ready:    {summary.rows_ready:,} rows → {summary.events_ready:,} conversions\n")
    out.write(f"  rejected: {summary.rows_rejected:,} rows\n")
    if summary.rows_left_out:
        out.write(f"  left out: {summary.rows_left_out:,} rows (not sales)\n")
        for reason, count in summary.left_out.items():
            rows = _rows(count)
            if reason.startswith("the sale was refunded"):
                out.write(f"    refunded in full: {rows}\n")
            else:
                out.write(f"    left out by filter: {rows} ({reason})\n")
    out.write(f"  warnings: {summary.warnings:,}\n")
    for note in summary.column_notes:
        out.write(f"\nNote: {note}\n")
    diagnostics = summary.diagnostics
    if diagnostics.conversions:
        out.write("\n" + "\n".join(diagnostic_lines(diagnostics)) + "\n")
    if diagnostics.groups:
        out.write("\nProblems by reason:\n")
        out.write(
            format_table(
                ("Rows", "Kind", "Column", "First rows", "Reason"),
                [_group_row(group) for group in diagnostics.groups],
            )
            + "\n"
        )
        if not reports:
            out.write("Use --report-dir to write every row with its problems.\n")
    for path in reports:
        out.write(f"Report: {path}\n")


def diagnostic_lines(diagnostics: Diagnostics) -> list[str]:
    """Coverage, repeated ids, dates and values of the ready conversions, a fact a line."""
    total = diagnostics.conversions
    lines = [f"What X can match, of {total:,} conversions:"]
    for label, count in (
        ("email", diagnostics.with_email),
        ("phone", diagnostics.with_phone),
        ("click id (twclid)", diagnostics.with_twclid),
        ("IP address + user agent", diagnostics.with_ip_and_agent),
        ("two kinds or more", diagnostics.with_two_or_more),
    ):
        lines.append(f"  {label + ':':<25}{count:>9,}  {_share(count, total)}")
    if diagnostics.repeated_ids:
        lines.append(
            f"Repeated conversion ids: {diagnostics.repeated_ids:,} conversions repeat an "
            "earlier one's id (X counts one conversion per id)"
        )
    if diagnostics.first_day is not None:
        days = len(diagnostics.per_day)
        lines.append(
            f"Dates (UTC): {diagnostics.first_day} to {diagnostics.last_day}, "
            f"{days:,} day{'' if days == 1 else 's'} with conversions"
        )
    if diagnostics.in_future:
        lines.append(
            f"  in the future: {diagnostics.in_future:,} (check the time zone or the date order)"
        )
    if diagnostics.older_than_window:
        lines.append(
            f"  older than the {diagnostics.window_days}-day attribution window: "
            f"{diagnostics.older_than_window:,} (X credits a sale to an ad engaged with up to "
            "14 days before by default; older sales are unlikely to be credited)"
        )
    for values in diagnostics.currencies:
        currency = values.currency or "no currency (X reads USD)"
        lines.append(
            f"Values in {currency}: total {values.total}, median {values.median} "
            f"({values.conversions:,} conversions)"
        )
    return lines


def _group_row(group: ReasonGroup) -> tuple[str, str, str, str, str]:
    first = ", ".join(map(str, group.first_rows))
    if group.count > len(group.first_rows):
        first += ", …"
    return (f"{group.count:,}", group.severity, group.column or group.field, first, group.reason)


def _share(count: int, total: int) -> str:
    return f"({100 * count / total:.0f}%)" if total else ""


def _rows(count: int) -> str:
    return f"{count:,} row{'' if count == 1 else 's'}"
