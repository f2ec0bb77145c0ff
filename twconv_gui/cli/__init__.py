"""The `twconv` command: the same engine as the desktop app, for terminals and automation."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from twconv_gui import __version__
from twconv_gui.cli import account, files, upload
from twconv_gui.core.errors import Cancelled, TwconvError

EXIT_UNUSABLE, EXIT_CANCELLED = 2, 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="twconv",
        description="Turn spreadsheet exports into X Ads offline conversions.",
    )
    parser.add_argument("--version", action="version", version=f"twconv {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    files.add_parsers(commands)
    upload.add_parsers(commands)
    account.add_parsers(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.run(args, sys.stdout)
    except TwconvError as exc:
        print(f"twconv: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    except (Cancelled, KeyboardInterrupt):
        print("twconv: stopped.", file=sys.stderr)
        return EXIT_CANCELLED
    return code


if __name__ == "__main__":
    raise SystemExit(main())
