"""`twconv sandbox`: the local stand-in for the X Ads API, for trying things out and for tests."""

from __future__ import annotations

import argparse
from typing import TextIO

from twconv_gui.cli import steady_collector
from twconv_gui.core.api.pixel_token import PIXEL_TOKEN_ENV
from twconv_gui.sandbox import DEMO
from twconv_gui.sandbox.server import run_sandbox


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sandbox = commands.add_parser(
        "sandbox", help="serve a local stand-in for the X Ads API on 127.0.0.1"
    )
    sandbox.add_argument("--port", type=int, default=8765)
    sandbox.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="RULE",
        help="429[:COUNT[:RESET_S]], 500[:COUNT], 503[:COUNT], 503html[:COUNT], "
        "slow:SECONDS[:COUNT], drop[:COUNT], reject:CONVERSION_ID (repeatable)",
    )
    sandbox.add_argument("--latency", type=float, default=0.0, metavar="SECONDS")
    sandbox.set_defaults(run=_run)


def _run(args: argparse.Namespace, out: TextIO) -> int:
    # Each request of 500 conversions builds some 2,000 objects at once: with the
    # interpreter's collection thresholds, that set off collections over all of them
    # (measured: 0.37 ms of a request's 3 ms).
    out.write(
        f"Demo pixel token (public; it works on this sandbox only, for pixel {DEMO.pixel_id}):\n"
        f"  export {PIXEL_TOKEN_ENV}={DEMO.pixel_token}   (then: twconv upload ... --pixel-id "
        f"{DEMO.pixel_id}), or `twconv login --pixel-token`.\n\n"
    )
    with steady_collector():
        return run_sandbox(args.port, args.fault, out, latency=args.latency)
