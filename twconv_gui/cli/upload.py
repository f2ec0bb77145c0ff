"""`twconv upload` and `history`: the options, and the first steps of an upload.

What the rest of an upload needs (the HTTP stack, the journal, the engine: about a third of a
second to load) is loaded from twconv_gui.cli.upload_run only after the helper processes that
prepare a big file have been started, so they start while it loads.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from twconv_gui.cli import steady_collector
from twconv_gui.cli.connection import add_connection_arguments
from twconv_gui.core.logs import setup_logging
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.prepare import first_look
from twconv_gui.core.reading.opening import open_table
from twconv_gui.core.upload import DEFAULT_WORKERS


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    upload = commands.add_parser("upload", help="send the conversions of an export to X")
    upload.add_argument("file", type=Path)
    upload.add_argument("--mapping", type=Path, required=True, metavar="M.json")
    upload.add_argument(
        "--pixel-id", metavar="P", help="the pixel (event source); default: the profile's"
    )
    upload.add_argument(
        "--event-id",
        metavar="E",
        help="use this event id for every row (default: the mapping's, else the profile's)",
    )
    add_connection_arguments(upload)
    upload.add_argument("--workers", type=int, default=DEFAULT_WORKERS, metavar="N")
    upload.add_argument("--batch-size", type=int, default=500, metavar="N")
    upload.add_argument(
        "--max-events-per-15min", type=int, metavar="N", help="a ceiling below X's rate limit"
    )
    again = upload.add_mutually_exclusive_group()
    again.add_argument("--resume", action="store_true", help="send what was not acknowledged")
    again.add_argument("--force", action="store_true", help="send even if uploaded before")
    upload.add_argument("--report-dir", type=Path, metavar="D")
    upload.add_argument("--dry-run", action="store_true", help="everything but sending")
    upload.add_argument("--json", action="store_true", help="print a JSON summary")
    upload.set_defaults(run=run_upload)

    history = commands.add_parser("history", help="past uploads from the journal")
    history.add_argument("--json", action="store_true")
    history.add_argument("--limit", type=int, default=50, metavar="N")
    history.set_defaults(run=run_history)


def run_upload(args: argparse.Namespace, out: TextIO) -> int:
    setup_logging()
    profile = MappingProfile.load(args.mapping)
    table = open_table(args.file, sheet=profile.sheet, header_row=profile.header_row)
    first_look.start_early(table, profile)
    from twconv_gui.cli import upload_run  # noqa: PLC0415 - loads while the helpers start

    with steady_collector():
        return upload_run.run_upload(args, out, profile, table)


def run_history(args: argparse.Namespace, out: TextIO) -> int:
    from twconv_gui.cli import upload_run  # noqa: PLC0415 - the journal and its records

    return upload_run.run_history(args, out)
