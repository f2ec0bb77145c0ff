"""`twconv login --pixel-token`: a pixel's Conversions API token saved as a profile."""

from __future__ import annotations

import argparse
from dataclasses import replace
from typing import TextIO

from twconv_gui.cli.prompts import Prompts
from twconv_gui.core.account.access_check import FIRST_BATCH_CHECKS
from twconv_gui.core.account.credential_store import register_credentials
from twconv_gui.core.account.profiles import ProfileSettings, ProfileStore, SignInProfile
from twconv_gui.core.api.pixel_token import WHERE_TO_FIND, PixelToken


def save_pixel_token(  # noqa: PLR0917 - run_login's state, handed on
    store: ProfileStore,
    name: str,
    existing: SignInProfile | None,
    args: argparse.Namespace,
    prompts: Prompts,
    out: TextIO,
) -> int:
    """Ask for the token (hidden, or one line of standard input), the pixel id and the default
    event id when the options do not give them, check their form and save the profile.

    Nothing is sent to X: a pixel token can only be checked by sending sales, so the first
    batch of the next upload checks it (and holds a single sale).

    Raises:
        TwconvError: When a value is malformed or the keyring fails; nothing is saved then.
    """
    if prompts.interactive:
        out.write(f"{WHERE_TO_FIND}\n")
        out.flush()
    token = PixelToken(prompts.secret("Pixel token"))
    register_credentials(token)
    base = existing.settings if existing is not None else ProfileSettings()
    pixel_id = (args.pixel_id or "").strip()
    if not pixel_id and prompts.interactive:
        shown = f" [{base.pixel_id}]" if base.pixel_id else ""
        pixel_id = prompts.text(f"Pixel id the token was generated for (e.g. o8z6j){shown}")
    pixel_id = pixel_id or base.pixel_id
    event_id = (args.event_id or "").strip()
    if not event_id and prompts.interactive:
        event_id = prompts.text("Default event id (e.g. o87ne; Enter to skip)")
    if pixel_id != base.pixel_id and not event_id:
        base = replace(base, event_id="")  # the old event belongs to the old pixel
    options = {
        "api_base": args.api_base,
        "api_version": args.api_version,
        "pixel_id": pixel_id,
        "event_id": event_id,
    }
    settings = replace(
        base,
        kind="pixel_token",
        account_id="",
        **{key: value.strip() for key, value in options.items() if value},
    )  # raises for a missing or malformed pixel id or event id, before the keyring
    saved = store.save(name, token, settings, make_default=args.default)
    out.write(
        f"Saved profile “{saved.name}”{' (default)' if saved.is_default else ''} (pixel "
        f"token): the token in the system keyring ({store.vault.backend_name()}), settings in "
        f"{store.settings_path}.\n"
    )
    out.write(f"{'Pixel id:':15}{settings.pixel_id}\n")
    out.write(f"{'Default event:':15}{settings.event_id or '(not chosen)'}\n")
    out.write(f"{FIRST_BATCH_CHECKS}\n")
    if not settings.event_id:
        out.write(
            "Next: give the event id with `twconv credentials set --event-id E` (Events "
            "Manager shows it beside each event), or map an event id column.\n"
        )
    return 0
