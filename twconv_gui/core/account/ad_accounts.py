"""Pickers: the ad accounts the credentials reach and each account's conversion events."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from twconv_gui.core.api.client import ApiClient, ApiResponse, TransportError
from twconv_gui.core.errors import TwconvError

MAX_PAGE_SIZE = 1000  # the largest `count` X accepts on these listings
MAX_PAGES = 200  # a safety stop for a cursor that never ends
UPLOAD_PERMISSIONS = frozenset({"ACCOUNT_ADMIN", "AD_MANAGER"})


@dataclass(frozen=True)
class AdAccount:
    """An ad account as `GET accounts` lists it.

    Attributes:
        id: The account id, e.g. `18ce54d4x5t`.
        name: The account's name.
        business_name: The business it belongs to, "" when X gives none.
        approval_status: e.g. `ACCEPTED`, "" when X gives none.
        timezone: The account's time zone, e.g. `America/New_York`, "" when X gives none.
        deleted: Whether the account is deleted.
    """

    id: str
    name: str
    business_name: str = ""
    approval_status: str = ""
    timezone: str = ""
    deleted: bool = False

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AdAccount:
        """Read one entry of the `data` list (unknown members are ignored)."""
        return cls(
            id=_text(data.get("id")),
            name=_text(data.get("name")),
            business_name=_text(data.get("business_name")),
            approval_status=_text(data.get("approval_status")),
            timezone=_text(data.get("timezone")),
            deleted=data.get("deleted") is True,
        )


@dataclass(frozen=True)
class ConversionEvent:
    """A conversion event (web event tag) of an ad account.

    Attributes:
        id: The id to send as `event_id`, e.g. `o87ne`.
        name: The name shown in Events Manager, e.g. `Purchase`.
        type: The event type, e.g. `PURCHASE`, `SIGN_UP`, `CUSTOM`.
        status: e.g. `ACTIVE`; "" when X gives none.
        pixel_id: The pixel (event source) the event belongs to, "" when X gives none.
        deleted: Whether the event is deleted.
    """

    id: str
    name: str
    type: str = ""
    status: str = ""
    pixel_id: str = ""
    deleted: bool = False

    @property
    def event_id(self) -> str:
        """The value for the conversions' `event_id` field."""
        return self.id

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ConversionEvent:
        """Read one entry of the `data` list (unknown members are ignored)."""
        return cls(
            id=_text(data.get("id")),
            name=_text(data.get("name")),
            type=_text(data.get("type")),
            status=_text(data.get("status")),
            pixel_id=_text(data.get("website_tag_id")),
            deleted=data.get("deleted") is True,
        )


def list_accounts(client: ApiClient, *, page_size: int = MAX_PAGE_SIZE) -> list[AdAccount]:
    """Every ad account the credentials can reach (`GET accounts`, all pages).

    Args:
        client: The API client, with the user's credentials.
        page_size: Accounts per request (`count`, 1 to 1000).

    Returns:
        The accounts in X's order, each once.

    Raises:
        TwconvError: When X refuses the request or cannot be reached; the message says what
            to check.
    """
    entries = _all_pages(client, "accounts", page_size, "list your ad accounts")
    return _unique(AdAccount.from_json(entry) for entry in entries)


def list_events(
    client: ApiClient, account_id: str, *, page_size: int = MAX_PAGE_SIZE
) -> list[ConversionEvent]:
    """Every conversion event of an ad account (`GET accounts/{id}/web_event_tags`, all pages).

    Args:
        client: The API client, with the user's credentials.
        account_id: The ad account, e.g. `18ce54d4x5t`.
        page_size: Events per request (`count`, 1 to 1000).

    Returns:
        The events in X's order, each once.

    Raises:
        TwconvError: When the account is unknown or out of reach, X refuses the request or
            cannot be reached.
    """
    account = account_id.strip()
    if not account.isascii() or not account.isalnum():
        raise TwconvError(
            f"The ad account id {account[:24]!r} is not valid: give the id X Ads shows (lowercase "
            "letters and digits, e.g. 18ce54d4x5t); `twconv accounts` lists yours."
        )
    path = f"accounts/{account}/web_event_tags"
    entries = _all_pages(client, path, page_size, f"list the events of ad account {account}")
    return _unique(ConversionEvent.from_json(entry) for entry in entries)


def unknown_event_ids(client: ApiClient, account_id: str, event_ids: Iterable[str]) -> list[str]:
    """The event ids (base-36 event parts) that are no live event of the ad account, in the
    order given: checked before the first batch, so a wrong one is named before anything is
    sent rather than stopping the job with a 404 half-way.

    Raises:
        TwconvError: as list_events() raises it.
    """
    known = {event.id for event in list_events(client, account_id) if not event.deleted}
    return [event_id for event_id in event_ids if event_id not in known]


def unknown_events_message(
    column: str,
    account_id: str,
    first_rows: Mapping[str, int],
    unknown: Sequence[str],
    *,
    where_listed: str,
) -> str:
    """Why an upload whose event id column names events the account lacks does not start.

    Args:
        column: the event id column; first_rows: event id -> first row naming it;
        unknown: the ids the account lacks; where_listed: where the user sees the account's
            events ("`twconv events`", "the Upload step").
    """
    listed = ", ".join(f"{event_id} (row {first_rows[event_id]})" for event_id in unknown[:10])
    return (
        f'Column "{column}" names events that ad account {account_id} does not have: '
        f"{listed}. Nothing was sent. Fix those rows ({where_listed} lists the account's "
        "events) or leave them out with a filter."
    )


_Listed = TypeVar("_Listed", AdAccount, ConversionEvent)


def listing_error(response: ApiResponse, action: str) -> TwconvError:
    """The TwconvError for a listing X refused, with what to do for each kind of refusal."""
    said = response.describe()
    if response.status == 401:
        advice = "X refused the credentials: check them with `twconv credentials test`."
    elif response.status == 403:
        advice = (
            "The credentials lack access: the app needs Ads API access and the user access to "
            "the ad account."
        )
    elif response.status == 404:
        advice = "Check the ad account id (`twconv accounts` lists yours) and the API settings."
    elif response.is_rate_limited:
        advice = "X's rate limit is reached: try again in a few minutes."
    else:
        advice = "Try again later; if it persists, check the API base URL and version."
    return TwconvError(f"Could not {action}: X answered {said}. {advice}")


def _all_pages(client: ApiClient, path: str, page_size: int, action: str) -> list[dict[str, Any]]:
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValueError(f"page_size must be 1 to {MAX_PAGE_SIZE}, not {page_size}")
    entries: list[dict[str, Any]] = []
    cursor: str | None = None
    seen_cursors: set[str] = set()
    for _page in range(MAX_PAGES):
        params: dict[str, str | int] = {"count": page_size}
        if cursor is not None:
            params["cursor"] = cursor
        try:
            response = client.get(path, params)
        except TransportError as exc:
            raise TwconvError(f"Could not {action}: {exc}") from None
        if not response.ok:
            raise listing_error(response, action)
        data = response.data
        if not isinstance(data, list):
            raise TwconvError(
                f"Could not {action}: X's answer holds no list ({response.describe()}). "
                "Check the API base URL and version."
            )
        entries.extend(item for item in data if isinstance(item, dict))
        cursor = response.next_cursor
        if cursor is None or cursor in seen_cursors:
            break
        seen_cursors.add(cursor)
    return entries


def _unique(items: Iterable[_Listed]) -> list[_Listed]:
    """Items with an id, each id once, in order (a page may repeat at a boundary)."""
    seen: set[str] = set()
    unique: list[_Listed] = []
    for item in items:
        if item.id and item.id not in seen:
            seen.add(item.id)
            unique.append(item)
    return unique


def _text(value: Any) -> str:
    if value is None or isinstance(value, dict | list | bool):
        return ""
    return str(value).strip()
