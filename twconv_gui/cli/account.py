"""`twconv login`, `credentials`, `accounts` and `events`: sign-in profiles and pickers."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import TextIO

from twconv_gui.cli.connection import add_connection_arguments, api_settings, chosen_profile
from twconv_gui.cli.login import add_login_parser
from twconv_gui.core.account.access_check import check_connection
from twconv_gui.core.account.ad_accounts import list_accounts, list_events
from twconv_gui.core.account.profiles import (
    ProfileStore,
    SignInProfile,
    environment_credentials_set,
    resolve_credentials,
)
from twconv_gui.core.api.client import ApiClient
from twconv_gui.core.api.pixel_token import ApiCredentials, PixelToken
from twconv_gui.core.errors import TwconvError
from twconv_gui.core.logs import setup_logging
from twconv_gui.terminal import format_table, is_tty

EXIT_OK, EXIT_FAILED = 0, 1
_SECRET_LABELS = ("Consumer key", "Consumer secret", "Access token", "Access token secret")
_KIND_LABELS = {"pixel_token": "pixel token", "oauth": "OAuth keys"}
_HIDDEN = "set (kept in the system keyring, never shown)"


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    add_login_parser(commands)

    credentials = commands.add_parser(
        "credentials", help="list, show, test, change or delete sign-in profiles"
    )
    actions = credentials.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="the profiles, their settings and the default")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=run_list)
    show = actions.add_parser("show", help="one profile's settings (its secrets never shown)")
    add_connection_arguments(show, api=False)
    show.set_defaults(run=run_show)
    test = actions.add_parser(
        "test", help="check the keys and the access to the ad account (a token: its form)"
    )
    add_connection_arguments(test)
    test.add_argument("--account-id", metavar="ID", help="default: the profile's ad account")
    test.set_defaults(run=run_test)
    change = actions.add_parser("set", help="change a profile's ad account, pixel, event, API")
    change.add_argument("--profile", metavar="NAME", help="default: the default profile")
    for option in ("account-id", "pixel-id", "event-id", "api-base", "api-version"):
        change.add_argument(f"--{option}", metavar="VALUE")
    change.add_argument("--sign-in-host", metavar="URL")
    change.set_defaults(run=run_set)
    rename = actions.add_parser("rename", help="rename a profile")
    rename.add_argument("old", metavar="NAME")
    rename.add_argument("new", metavar="NEW_NAME")
    rename.set_defaults(run=run_rename)
    default = actions.add_parser("default", help="make a profile the default")
    default.add_argument("name", metavar="NAME")
    default.set_defaults(run=run_default)
    delete = actions.add_parser("delete", help="remove a profile and its keys from the keyring")
    delete.add_argument("--profile", metavar="NAME", required=True)
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    delete.set_defaults(run=run_delete)

    accounts = commands.add_parser("accounts", help="the ad accounts the keys can reach")
    add_connection_arguments(accounts)
    accounts.add_argument("--json", action="store_true")
    accounts.set_defaults(run=run_accounts)

    events = commands.add_parser("events", help="an ad account's conversion events (event ids)")
    events.add_argument("--account-id", metavar="ID", help="default: the profile's ad account")
    add_connection_arguments(events)
    events.add_argument("--json", action="store_true")
    events.set_defaults(run=run_events)


def run_list(args: argparse.Namespace, out: TextIO) -> int:
    store = ProfileStore()
    profiles = store.profiles()
    if args.json:
        rows = [{"name": p.name, "default": p.is_default, **asdict(p.settings)} for p in profiles]
        json.dump(rows, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return EXIT_OK
    if not profiles:
        out.write("No sign-in profiles yet: create one with `twconv login`.\n")
    else:
        table = [
            (
                "*" if p.is_default else "",
                p.name,
                _KIND_LABELS[p.settings.kind],
                p.settings.account_id,
                p.settings.pixel_id,
                p.settings.event_id,
                f"{p.settings.api_base} v{p.settings.api_version}",
            )
            for p in profiles
        ]
        headers = ("", "Profile", "Signs in with", "Ad account", "Pixel", "Event", "API")
        out.write(format_table(headers, table) + "\n")
        out.write(
            f"Settings: {store.settings_path}; keys: system keyring "
            f"({store.vault.backend_name()}).\n"
        )
    if environment_credentials_set():
        out.write(
            "Note: credentials are set in the environment (TWCONV_*); they are used instead "
            "of a profile's.\n"
        )
    return EXIT_OK


def run_show(args: argparse.Namespace, out: TextIO) -> int:
    store = ProfileStore()
    profile = chosen_profile(args, store)
    if profile is None:
        if not environment_credentials_set():
            raise TwconvError("No sign-in profiles yet: create one with `twconv login`.")
        from_env, source = resolve_credentials(None)
        out.write(f"{'Keys from:':22}{source} (no profile)\n")
        _write_hidden(from_env, out, "set in the environment, never shown")
        return EXIT_OK
    credentials = store.credentials(profile.name)  # the entry exists and is readable
    out.write(f"{'Profile:':22}{profile.name}{' (default)' if profile.is_default else ''}\n")
    out.write(f"{'Signs in with:':22}{_KIND_LABELS[profile.settings.kind]}\n")
    out.write(f"{'Keys from:':22}system keyring ({store.vault.backend_name()})\n")
    _write_hidden(credentials, out, _HIDDEN)
    settings = profile.settings
    for label, value in (
        ("Ad account", "" if settings.uses_pixel_token else settings.account_id),
        ("Pixel id", settings.pixel_id),
        ("Default event", settings.event_id),
        ("API", f"{settings.api_base}, version {settings.api_version}"),
        ("Sign-in host", settings.sign_in_host),
    ):
        out.write(f"{label + ':':22}{value or '(not set)'}\n")
    if environment_credentials_set():
        out.write("Note: credentials set in the environment (TWCONV_*) override these keys.\n")
    return EXIT_OK


def _write_hidden(credentials: ApiCredentials, out: TextIO, shown: str) -> None:
    """Which secrets there are, never any character of them (not even masked)."""
    labels = ("Pixel token",) if isinstance(credentials, PixelToken) else _SECRET_LABELS
    for label in labels:
        out.write(f"{label + ':':22}{shown}\n")


def run_test(args: argparse.Namespace, out: TextIO) -> int:
    setup_logging()
    store = ProfileStore()
    profile = chosen_profile(args, store)
    credentials, source = resolve_credentials(args.profile, store=store)
    settings = api_settings(args, profile)
    account_id = args.account_id or (profile.settings.account_id if profile else "")
    out.write(f"Keys from {source}; API {settings.base_url} version {settings.version}.\n")
    if isinstance(credentials, PixelToken) and profile is not None:
        pixel, event = profile.settings.pixel_id, profile.settings.event_id
        out.write(f"Pixel id {pixel} and event id {event or '(none)'} are well formed.\n")
    with ApiClient(credentials, settings) as client:
        report = check_connection(client, account_id or None)
    out.write(f"Connection test: {report.verdict.value}.\n{report.message}\n")
    if report.detail:
        out.write(f"X answered: {report.detail}\n")
    return EXIT_OK if report.ok else EXIT_FAILED


def run_set(args: argparse.Namespace, out: TextIO) -> int:
    store = ProfileStore()
    changes = {
        name: value
        for name in ("account_id", "pixel_id", "event_id", "api_base", "api_version")
        if (value := getattr(args, name)) is not None
    }
    if args.sign_in_host is not None:
        changes["sign_in_host"] = args.sign_in_host
    if not changes:
        raise TwconvError(
            "Nothing to change: give --account-id, --pixel-id, --event-id, "
            "--api-base, --api-version or --sign-in-host."
        )
    profile = store.get(args.profile) if args.profile else store.default()
    if profile is None:
        raise TwconvError("No sign-in profiles yet: create one with `twconv login`.")
    new_account = changes.get("account_id", profile.settings.account_id).strip()
    cleared = []
    if new_account != profile.settings.account_id:
        # The pixel and the events belong to the previous account.
        for name, label in (("pixel_id", "pixel"), ("event_id", "default event")):
            if name not in changes and getattr(profile.settings, name):
                changes[name] = ""
                cleared.append(label)
    updated = store.update_settings(profile.name, **changes)
    out.write(f"Profile “{updated.name}” updated.\n")
    if cleared:
        out.write(
            f"Its {' and '.join(cleared)} belonged to the previous ad account and were "
            "cleared: `twconv events` lists the new account's events and pixel.\n"
        )
    return EXIT_OK


def run_rename(args: argparse.Namespace, out: TextIO) -> int:
    store = ProfileStore()
    old = store.get(args.old).name
    renamed = store.rename(old, args.new)
    out.write(f"Profile “{old}” is now “{renamed.name}”.\n")
    return EXIT_OK


def run_default(args: argparse.Namespace, out: TextIO) -> int:
    profile = ProfileStore().set_default(args.name)
    out.write(f"“{profile.name}” is the default profile.\n")
    return EXIT_OK


def run_delete(args: argparse.Namespace, out: TextIO) -> int:
    store = ProfileStore()
    profile = store.get(args.profile)
    if not args.yes and is_tty(sys.stdin):
        sys.stderr.write(
            f"Delete profile “{profile.name}” and its keys in the system keyring? [y/N] "
        )
        sys.stderr.flush()
        if sys.stdin.readline().strip().lower() not in ("y", "yes"):
            out.write("Nothing deleted.\n")
            return EXIT_FAILED
    removed = store.delete(profile.name)
    out.write(f"Deleted profile “{removed.name}” (keys and settings).\n")
    new_default = store.default()
    if removed.is_default and new_default is not None:
        out.write(f"“{new_default.name}” is the default profile now.\n")
    return EXIT_OK


def run_accounts(args: argparse.Namespace, out: TextIO) -> int:
    setup_logging()
    client, profile = _client(args)
    with client:
        accounts = list_accounts(client)
    if args.json:
        json.dump([asdict(a) for a in accounts], out, indent=2, ensure_ascii=False)
        out.write("\n")
        return EXIT_OK
    if not accounts:
        out.write("These keys reach no ad account.\n")
        return EXIT_OK
    current = profile.settings.account_id if profile else ""
    rows = [
        (
            "*" if a.id == current else "",
            a.id,
            a.name,
            a.business_name,
            "deleted" if a.deleted else a.approval_status,
        )
        for a in accounts
    ]
    out.write(format_table(("", "Account id", "Name", "Business", "Status"), rows) + "\n")
    return EXIT_OK


def run_events(args: argparse.Namespace, out: TextIO) -> int:
    setup_logging()
    client, profile = _client(args)
    account_id = args.account_id or (profile.settings.account_id if profile else "")
    if not account_id:
        raise TwconvError(
            "Give the ad account with --account-id ID (`twconv accounts` lists "
            "yours), or save it in the profile with `twconv credentials set "
            "--account-id ID`."
        )
    with client:
        events = list_events(client, account_id)
    if args.json:
        rows = [{"event_id": e.event_id, **asdict(e)} for e in events]
        json.dump(rows, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return EXIT_OK
    if not events:
        out.write(
            f"Ad account {account_id} has no conversion events (create one in Events Manager).\n"
        )
        return EXIT_OK
    current = profile.settings.event_id if profile else ""
    rows = [
        (
            "*" if e.id == current else "",
            e.event_id,
            e.name,
            e.type,
            "deleted" if e.deleted else e.status,
            e.pixel_id,
        )
        for e in events
    ]
    headers = ("", "Event id", "Name", "Type", "Status", "Pixel")
    out.write(format_table(headers, rows) + "\n")
    return EXIT_OK


def _client(args: argparse.Namespace) -> tuple[ApiClient, SignInProfile | None]:
    store = ProfileStore()
    profile = chosen_profile(args, store)
    credentials, source = resolve_credentials(args.profile, store=store)
    if isinstance(credentials, PixelToken):
        raise TwconvError(
            f"The keys from {source} are a pixel token, which can only send conversions: "
            "listing ad accounts and events needs the OAuth keys of an X developer app "
            "(`twconv login`). Events Manager shows your pixel id and event ids; give them with "
            "`twconv credentials set --pixel-id P --event-id E`."
        )
    return ApiClient(credentials, api_settings(args, profile)), profile
