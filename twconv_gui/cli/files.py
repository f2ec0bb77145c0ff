"""`twconv inspect`, `check` and `prepare`: look at an export, validate it, write its events."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from twconv_gui.cli.check_report import print_summary
from twconv_gui.core.errors import TwconvError
from twconv_gui.core.mapping.inspection import inspect_file
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.paths import private_replacement
from twconv_gui.core.prepare.preparation import Preparation, PrepareSummary
from twconv_gui.core.prepare.reports import write_rejected_rows
from twconv_gui.core.reading.opening import list_sheets, open_table
from twconv_gui.terminal import ProgressBar, format_table, printable

EXIT_OK, EXIT_REJECTED = 0, 1


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    inspect = commands.add_parser(
        "inspect", help="show sheets, header, columns and a suggested mapping"
    )
    inspect.add_argument("file", type=Path, help="the Excel or CSV export")
    inspect.add_argument("--sheet", metavar="S", help="sheet name or 1-based number")
    inspect.add_argument(
        "--header-row", type=int, metavar="N", help="1-based row holding the column names"
    )
    inspect.add_argument("--json", action="store_true", help="print JSON instead of text")
    inspect.add_argument(
        "--write-mapping", type=Path, metavar="M.json", help="save the suggested mapping profile"
    )
    inspect.set_defaults(run=run_inspect)

    check = commands.add_parser("check", help="validate every row against a mapping")
    check.add_argument("file", type=Path)
    check.add_argument("--mapping", type=Path, required=True, metavar="M.json")
    check.add_argument(
        "--report-dir", type=Path, metavar="D", help="write rejected-rows.csv/.xlsx here"
    )
    check.add_argument("--json", action="store_true", help="print JSON instead of text")
    check.set_defaults(run=run_check)

    prepare = commands.add_parser(
        "prepare", help="write the exact conversion objects that would be sent (JSON Lines)"
    )
    prepare.add_argument("file", type=Path)
    prepare.add_argument("--mapping", type=Path, required=True, metavar="M.json")
    prepare.add_argument("--out", type=Path, required=True, metavar="events.jsonl")
    prepare.add_argument("--report-dir", type=Path, metavar="D")
    prepare.set_defaults(run=run_prepare)


def run_inspect(args: argparse.Namespace, out: TextIO) -> int:
    sheet: str | int | None = args.sheet
    if sheet is not None and sheet.isdigit() and sheet not in list_sheets(args.file):
        sheet = int(sheet)  # "2" is the second sheet, unless a sheet is named "2"
    report = inspect_file(args.file, sheet=sheet, header_row=args.header_row)
    if args.write_mapping:
        report.profile.save(args.write_mapping)
    if args.json:
        json.dump(report.to_dict(), out, indent=2, ensure_ascii=False, default=str)
        out.write("\n")
        return EXIT_OK
    table = report.table
    out.write(f"File:        {printable(table.path.name)} ({report.kind_label})\n")
    if table.sheets:
        marked = [f"[{s}]" if s == table.sheet else s for s in table.sheets]
        out.write(f"Sheets:      {printable(', '.join(marked))}   ([…] = the one read)\n")
    if table.encoding:
        out.write(f"Text:        {table.encoding}, delimiter {report.delimiter_label}\n")
    out.write(f"Header row:  {table.header_row}\n")
    if table.estimated_rows is not None:
        out.write(f"Data rows:   about {table.estimated_rows:,}\n")
    out.write("\n")
    rows = [(c.letter, c.name, c.field or "", ", ".join(c.samples)) for c in report.columns]
    out.write(format_table(("", "Column", "Suggested field", "Samples"), rows) + "\n\n")
    out.write("Suggested mapping:\n")
    for detail in report.suggestion.details:
        line = f'{detail.field:<18} ← "{detail.column}"  ({detail.reason})'
        out.write(f"  {printable(line)}\n")
    if not report.suggestion.details:
        out.write("  (no column could be recognised; write the mapping by hand)\n")
    profile = report.profile
    for name, more in profile.fallbacks.items():
        line = f"{name:<18}   then {', '.join(f'{c!r}' for c in more)} when empty"
        out.write(f"  {printable(line)}\n")
    for note in report.notes:
        out.write(f"\nNote: {printable(note)}\n")
    if args.write_mapping:
        out.write(f"\nMapping written to {args.write_mapping}.\n")
    out.write(
        '\nAdd your event id before uploading: "constants": {"event_id": "<id>"} '
        "(from X Ads Events Manager).\n"
    )
    return EXIT_OK


def _prepare(args: argparse.Namespace) -> tuple[Preparation, ProgressBar]:
    profile = MappingProfile.load(args.mapping)
    table = open_table(args.file, sheet=profile.sheet, header_row=profile.header_row)
    bar = ProgressBar()
    return Preparation(table, profile, progress=bar.update), bar


def run_check(args: argparse.Namespace, out: TextIO) -> int:
    preparation, bar = _prepare(args)
    with bar:
        for _ in preparation:
            pass
    summary = preparation.summary
    reports = _write_reports(args.report_dir, summary)
    if args.json:
        json.dump(_summary_dict(summary, reports), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        _print_summary(preparation, reports, out)
    return EXIT_REJECTED if summary.rows_rejected else EXIT_OK


def run_prepare(args: argparse.Namespace, out: TextIO) -> int:
    preparation, bar = _prepare(args)
    out_path: Path = args.out
    try:  # private (0o600), under a temporary name until complete
        with bar, private_replacement(out_path) as partial, partial.open("wb") as handle:
            for item in preparation.encoded():
                if item.payload is not None:
                    handle.write(item.payload + b"\n")
    except OSError as exc:
        raise TwconvError(f"Cannot write {out_path}: {exc.strerror or exc}") from None
    summary = preparation.summary
    reports = _write_reports(args.report_dir, summary)
    _print_summary(preparation, reports, sys.stderr)
    out.flush()
    print(f"{summary.events_ready:,} events written to {args.out}.", file=sys.stderr)
    return EXIT_REJECTED if summary.rows_rejected else EXIT_OK


def _write_reports(directory: Path | None, summary: PrepareSummary) -> list[Path]:
    if directory is None or not summary.problems:
        return []
    return write_rejected_rows(summary.problems, directory)


def _print_summary(preparation: Preparation, reports: list[Path], out: TextIO) -> None:
    print_summary(preparation, reports, out)


def _summary_dict(summary: PrepareSummary, reports: list[Path]) -> dict[str, Any]:
    return {
        "rows_read": summary.rows_read,
        "rows_ready": summary.rows_ready,
        "rows_rejected": summary.rows_rejected,
        "rows_left_out": summary.rows_left_out,
        "left_out": summary.left_out,
        "events_ready": summary.events_ready,
        "warnings": summary.warnings,
        "column_notes": summary.column_notes,
        "problems": [
            {
                "row": p.row,
                "severity": p.severity.value,
                "field": p.field,
                "column": p.column,
                "message": p.message,
                "conversion_id": p.conversion_id,
            }
            for p in summary.problems
        ],
        "diagnostics": dataclasses.asdict(summary.diagnostics),
        "reports": [str(p) for p in reports],
    }
