"""The `twconv` command: the same engine as the desktop app, for terminals and automation."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from twconv_gui import __version__
from twconv_gui.core.errors import Cancelled, TwconvError

EXIT_UNUSABLE, EXIT_CANCELLED = 2, 130

# The module (in twconv_gui.cli) that defines each command, in the order `--help` lists them.
# Only the module of the command being run is imported: `twconv upload` starts without
# loading what `login` or `inspect` need, which matters to scripts that call twconv often.
COMMANDS = {
    "inspect": "files",
    "check": "files",
    "prepare": "files",
    "upload": "upload",
    "history": "upload",
    "sandbox": "sandbox",
    "login": "account",
    "credentials": "account",
    "accounts": "account",
    "events": "account",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: for one command when it is known, else for all of them."""
    parser = argparse.ArgumentParser(
        prog="twconv",
        description="Turn spreadsheet exports into X Ads offline conversions.",
    )
    parser.add_argument("--version", action="version", version=f"twconv {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    wanted = [COMMANDS[command]] if command in COMMANDS else dict.fromkeys(COMMANDS.values())
    for module in wanted:
        importlib.import_module(f"twconv_gui.cli.{module}").add_parsers(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    command = arguments[0] if arguments else None
    args = build_parser(command).parse_args(arguments)
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
