"""Options shared by the commands that talk to X: which profile, which API host and version."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from twconv_gui.core.api import DEFAULT_API_BASE, DEFAULT_API_VERSION

if TYPE_CHECKING:  # loaded when a command needs them: `upload` first starts its helpers
    from twconv_gui.core.account.profiles import ProfileStore, SignInProfile
    from twconv_gui.core.api.client import ApiSettings


def add_connection_arguments(parser: argparse.ArgumentParser, *, api: bool = True) -> None:
    """Add `--profile NAME` and (with `api`) `--api-base URL` and `--api-version N`."""
    parser.add_argument(
        "--profile",
        metavar="NAME",
        help="the sign-in profile to use (default: the default profile; the TWCONV_* "
        "environment variables override its keys)",
    )
    if api:
        parser.add_argument(
            "--api-base",
            metavar="URL",
            help=f"Ads API host (default: the profile's, else {DEFAULT_API_BASE})",
        )
        parser.add_argument(
            "--api-version",
            metavar="N",
            help=f"Ads API version (default: the profile's, else {DEFAULT_API_VERSION})",
        )


def chosen_profile(args: argparse.Namespace, store: ProfileStore) -> SignInProfile | None:
    """The profile whose settings apply: the named one, else the default one.

    When the environment holds the keys (`TWCONV_PIXEL_TOKEN` or the four OAuth `TWCONV_*`
    variables) and no profile is named, no
    profile applies: a script's environment is not mixed with a desktop user's settings.

    Raises:
        TwconvError: When the named profile does not exist.
    """
    from twconv_gui.core.account.profiles import environment_credentials_set  # noqa: PLC0415

    name = getattr(args, "profile", None)
    if name:
        return store.get(name)
    if environment_credentials_set():
        return None
    return store.default()


def api_settings(args: argparse.Namespace, profile: SignInProfile | None) -> ApiSettings:
    """Host and version: the command-line options, else the profile's, else the defaults."""
    from twconv_gui.core.api.client import ApiSettings  # noqa: PLC0415

    base = getattr(args, "api_base", None) or (
        profile.settings.api_base if profile else DEFAULT_API_BASE
    )
    version = getattr(args, "api_version", None) or (
        profile.settings.api_version if profile else DEFAULT_API_VERSION
    )
    return ApiSettings(base_url=base, version=version)
