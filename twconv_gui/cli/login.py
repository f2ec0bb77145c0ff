"""`twconv login`: PIN sign-in (or pasted tokens) to a tested profile in the system keyring."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import webbrowser
from dataclasses import replace
from typing import TextIO, TypeVar

from twconv_gui.cli.login_token import save_pixel_token
from twconv_gui.cli.prompts import Prompts
from twconv_gui.core.account.access_check import ConnectionReport, Verdict, check_connection
from twconv_gui.core.account.ad_accounts import (
    AdAccount,
    ConversionEvent,
    list_accounts,
    list_events,
)
from twconv_gui.core.account.credential_store import register_credentials
from twconv_gui.core.account.profiles import ProfileSettings, ProfileStore, check_profile_name
from twconv_gui.core.account.signin import finish_pin_signin, start_pin_signin
from twconv_gui.core.api.client import ApiClient
from twconv_gui.core.api.credentials import Credentials
from twconv_gui.core.errors import TwconvError
from twconv_gui.core.logs import setup_logging
from twconv_gui.terminal import format_table

DEFAULT_PROFILE_NAME = "default"
_Choice = TypeVar("_Choice", AdAccount, ConversionEvent)


def add_login_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    login = commands.add_parser(
        "login",
        help="save a pixel token, or sign in to X (PIN), as a profile in the keyring",
        description="The simple way: --pixel-token saves the Conversions API access token of "
        "one pixel (Events Manager → Install pixel → Manual → Conversion API → Generate "
        "access token) with its pixel id; no developer app is needed. The full way (needed "
        "for `twconv accounts` and `events`): sign in with a developer app's consumer key and "
        "secret and a PIN from X (as twurl does), or paste an existing access token and secret "
        "with --paste. Secrets are read with a hidden prompt, or one per line from standard "
        "input when it is not a terminal (the token; or consumer key, consumer secret, then the "
        "PIN; with --paste: the four keys).",
    )
    login.add_argument(
        "--profile",
        metavar="NAME",
        help="profile name (default: the default "
        f"profile, or “{DEFAULT_PROFILE_NAME}” for the first one)",
    )
    login.add_argument(
        "--pixel-token",
        action="store_true",
        help="save a pixel's Conversions API token (needs --pixel-id, or asks for it)",
    )
    login.add_argument("--paste", action="store_true", help="paste an access token and secret")
    login.add_argument("--sign-in-host", metavar="URL", help="default: https://api.x.com")
    login.add_argument("--api-base", metavar="URL", help="default: https://ads-api.x.com")
    login.add_argument("--api-version", metavar="N")
    login.add_argument("--account-id", metavar="ID", help="the ad account to use and test")
    login.add_argument("--pixel-id", metavar="P", help="the pixel (found from the events if not)")
    login.add_argument("--event-id", metavar="E", help="the default conversion event")
    login.add_argument("--default", action="store_true", help="make this the default profile")
    login.add_argument("--no-browser", action="store_true", help="only print the sign-in link")
    login.set_defaults(run=run_login)


def run_login(args: argparse.Namespace, out: TextIO) -> int:
    setup_logging()
    store = ProfileStore()
    store.vault.check_usable()  # before anything is typed
    existing = store.find(args.profile) if args.profile else store.default()
    if existing is not None:
        name = existing.name
        out.write(f"Signing in again for profile “{name}”: its keys will be replaced.\n")
    else:
        name = check_profile_name(args.profile or DEFAULT_PROFILE_NAME)
    prompts = Prompts(sys.stdin, sys.stderr)
    if args.pixel_token:
        if args.paste:
            raise TwconvError("Choose --pixel-token or --paste, not both.")
        return save_pixel_token(store, name, existing, args, prompts, out)
    settings = existing.settings if existing else ProfileSettings()
    if settings.uses_pixel_token:  # becomes an OAuth profile: its pixel and event stay
        settings = replace(settings, kind="oauth")
    settings = _with_options(settings, args)
    credentials = _paste(prompts) if args.paste else _pin_sign_in(prompts, settings, args, out)
    register_credentials(credentials)

    with ApiClient(credentials, settings.api_settings()) as client:
        first = check_connection(client, settings.account_id or None)
        if first.verdict is Verdict.WRONG_KEYS:
            raise TwconvError(f"{first.message} Nothing was saved.")
        report = first
        if first.ok and not settings.account_id:
            account = _choose_account(client, prompts, out)
            if account is not None:
                settings = replace(settings, account_id=account.id)
                report = check_connection(client, account.id)
        if settings.account_id and report.verdict is not Verdict.NETWORK:
            settings = _choose_event(client, settings, prompts, out, explicit=args.event_id)

    saved = store.save(name, credentials, settings, make_default=args.default)
    out.write(
        f"Saved profile “{saved.name}”{' (default)' if saved.is_default else ''}: keys in "
        f"the system keyring ({store.vault.backend_name()}), settings in "
        f"{store.settings_path}.\n"
    )
    return _print_outcome(report, saved.name, settings, out)


def _with_options(settings: ProfileSettings, args: argparse.Namespace) -> ProfileSettings:
    if args.account_id and args.account_id.strip() != settings.account_id:
        # The pixel and the events belong to the previous account.
        settings = replace(settings, pixel_id="", event_id="")
    options = {
        "sign_in_host": args.sign_in_host,
        "api_base": args.api_base,
        "api_version": args.api_version,
        "account_id": args.account_id,
        "pixel_id": args.pixel_id,
        "event_id": args.event_id,
    }
    return replace(settings, **{key: value for key, value in options.items() if value})


def _paste(prompts: Prompts) -> Credentials:
    labels = (
        "Consumer key (API key)",
        "Consumer secret (API key secret)",
        "Access token",
        "Access token secret",
    )
    return Credentials(*(prompts.secret(label) for label in labels))


def _pin_sign_in(
    prompts: Prompts, settings: ProfileSettings, args: argparse.Namespace, out: TextIO
) -> Credentials:
    key = prompts.secret("Consumer key (API key)")
    secret = prompts.secret("Consumer secret (API key secret)")
    pending = start_pin_signin(key, secret, settings.sign_in_host)
    out.write(
        "Open this page, sign in to X as the user with access to the ad account, authorize "
        f"the app, and type the PIN it shows:\n\n  {pending.authorize_url}\n\n"
    )
    out.flush()
    if not args.no_browser and _can_open_browser():
        with contextlib.suppress(webbrowser.Error, OSError):
            webbrowser.open(pending.authorize_url)
    credentials = finish_pin_signin(pending, prompts.text("PIN"))
    out.write("Signed in.\n")
    return credentials


def _can_open_browser() -> bool:
    """False in a Linux session without a display: webbrowser would start a text browser."""
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _choose_account(client: ApiClient, prompts: Prompts, out: TextIO) -> AdAccount | None:
    accounts = [a for a in list_accounts(client) if not a.deleted]
    if len(accounts) == 1:
        out.write(f"Ad account: {accounts[0].id}  {accounts[0].name}\n")
        return accounts[0]
    if not accounts:
        out.write("This user reaches no ad account yet.\n")
        return None
    rows = [(n, a.id, a.name, a.business_name) for n, a in enumerate(accounts, 1)]
    out.write("Ad accounts this user can reach:\n")
    out.write(format_table(("#", "Account id", "Name", "Business"), rows) + "\n")
    if not prompts.interactive:
        out.write("Choose one with --account-id (or later: twconv credentials set --account-id).\n")
        return None
    return _pick(accounts, prompts, "Choose the ad account by number (Enter to skip)")


def _choose_event(
    client: ApiClient,
    settings: ProfileSettings,
    prompts: Prompts,
    out: TextIO,
    *,
    explicit: str | None,
) -> ProfileSettings:
    try:
        events = [e for e in list_events(client, settings.account_id) if not e.deleted]
    except TwconvError as exc:
        out.write(f"Events not listed: {exc}\n")
        return settings
    pixels = sorted({e.pixel_id for e in events if e.pixel_id})
    if not settings.pixel_id and len(pixels) == 1:
        settings = replace(settings, pixel_id=pixels[0])
    if explicit:
        if events and explicit not in {e.id for e in events}:
            out.write(f"Note: event {explicit} is not among the account's events.\n")
        return settings
    if not events:
        out.write("The ad account has no conversion events yet (create one in Events Manager).\n")
        return settings
    if settings.event_id and settings.event_id in {e.id for e in events}:
        return settings
    if not prompts.interactive:
        out.write(
            "Choose the default event later with `twconv events` and "
            "`twconv credentials set --event-id`.\n"
        )
        return settings
    rows = [(n, e.id, e.name, e.type, e.status) for n, e in enumerate(events, 1)]
    out.write(format_table(("#", "Event id", "Name", "Type", "Status"), rows) + "\n")
    event = _pick(events, prompts, "Choose the default event by number (Enter to skip)")
    return replace(settings, event_id=event.id) if event is not None else settings


def _pick(items: list[_Choice], prompts: Prompts, label: str) -> _Choice | None:
    while True:
        answer = prompts.text(label)
        if not answer:
            return None
        if answer.isdigit() and 1 <= int(answer) <= len(items):
            return items[int(answer) - 1]
        prompts.stderr.write(f"Type a number from 1 to {len(items)}, or press Enter.\n")


def _print_outcome(
    report: ConnectionReport, name: str, settings: ProfileSettings, out: TextIO
) -> int:
    out.write(f"Connection test: {report.verdict.value}.\n{report.message}\n")
    if report.detail:
        out.write(f"X answered: {report.detail}\n")
    for label, value in (
        ("Ad account", settings.account_id),
        ("Pixel id", settings.pixel_id),
        ("Default event", settings.event_id),
    ):
        out.write(f"{label + ':':15}{value or '(not chosen)'}\n")
    if not settings.account_id:
        out.write(
            f'Next: twconv accounts --profile "{name}", then '
            f'twconv credentials set --profile "{name}" --account-id ID.\n'
        )
    return 0 if report.ok else 1
