"""The credentials dialog's background jobs: plain functions a FunctionWorker runs.

Each takes `cancel` (a threading.Event) as FunctionWorker passes it; none can be stopped halfway
(one short request each), so they ignore it.
"""

from __future__ import annotations

import threading

from twconv_gui.core.account.access_check import ConnectionReport, test_connection
from twconv_gui.core.account.ad_accounts import (
    AdAccount,
    ConversionEvent,
    list_accounts,
    list_events,
)
from twconv_gui.core.account.profile_settings import ProfileSettings
from twconv_gui.core.account.profiles import ProfileStore, SignInProfile
from twconv_gui.core.account.signin import PendingSignIn, finish_pin_signin, start_pin_signin
from twconv_gui.core.api.client import ApiClient, ApiSettings
from twconv_gui.core.api.credentials import Credentials
from twconv_gui.core.api.pixel_token import ApiCredentials


def read_credentials(
    store: ProfileStore, name: str, *, cancel: threading.Event
) -> tuple[str, ApiCredentials]:
    return name, store.credentials(name)


def delete_profile(store: ProfileStore, name: str, *, cancel: threading.Event) -> SignInProfile:
    return store.delete(name)


def save_profile(
    store: ProfileStore,
    old_name: str | None,
    name: str,
    credentials: ApiCredentials,
    settings: ProfileSettings,
    *,
    cancel: threading.Event,
) -> SignInProfile:
    if old_name is not None and name.strip() and old_name.casefold() != name.strip().casefold():
        store.rename(old_name, name)
    return store.save(name, credentials, settings)


def start_signin(key: str, secret: str, host: str, *, cancel: threading.Event) -> PendingSignIn:
    return start_pin_signin(key, secret, host)


def finish_signin(pending: PendingSignIn, pin: str, *, cancel: threading.Event) -> Credentials:
    return finish_pin_signin(pending, pin)


def check_connection(
    credentials: ApiCredentials,
    settings: ApiSettings,
    account_id: str | None,
    *,
    cancel: threading.Event,
) -> ConnectionReport:
    return test_connection(credentials, settings, account_id)


def load_accounts(
    credentials: ApiCredentials, settings: ApiSettings, *, cancel: threading.Event
) -> list[AdAccount]:
    with ApiClient(credentials, settings) as client:
        return list_accounts(client)


def load_events(
    credentials: ApiCredentials, settings: ApiSettings, account_id: str, *, cancel: threading.Event
) -> list[ConversionEvent]:
    with ApiClient(credentials, settings) as client:
        return list_events(client, account_id)
