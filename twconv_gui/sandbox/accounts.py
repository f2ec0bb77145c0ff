"""The sandbox's read-only account routes: accounts, the user's access, web event tags."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from twconv_gui.sandbox.demo import DemoAccount, EventTag, SandboxAccount
from twconv_gui.sandbox.replies import ApiError, Reply, invalid, json_reply

DEFAULT_COUNT = 200
MAX_COUNT = 1000
_CREATED = "2024-05-02T09:30:00Z"


def list_accounts(demo: DemoAccount) -> Reply:
    data = [_account_json(a) for a in demo.accounts]
    return json_reply(
        200,
        {
            "request": {"params": {}},
            "data": data,
            "data_type": "account",
            "total_count": len(data),
            "next_cursor": None,
        },
    )


def one_account(demo: DemoAccount, account_id: str) -> Reply:
    account = find_account(demo, account_id)
    return json_reply(
        200,
        {
            "request": {"params": {"account_id": account.id}},
            "data": _account_json(account),
            "data_type": "account",
        },
    )


def user_access(demo: DemoAccount, account_id: str) -> Reply:
    account = find_account(demo, account_id)
    return json_reply(
        200,
        {
            "request": {"params": {"account_id": account.id}},
            "data": {"user_id": demo.user_id, "permissions": list(account.permissions)},
            "data_type": "user_access",
        },
    )


def web_event_tags(demo: DemoAccount, account_id: str, query: Mapping[str, list[str]]) -> Reply:
    """One page of the account's event tags; `next_cursor` leads to the next (None at the end)."""
    account = find_account(demo, account_id)
    count = _count(query)
    start = _cursor_offset(query, len(account.events))
    page = account.events[start : start + count]
    end = start + len(page)
    params: dict[str, Any] = {"account_id": account.id, "count": count}
    if "cursor" in query:
        params["cursor"] = query["cursor"][0]
    return json_reply(
        200,
        {
            "request": {"params": params},
            "data": [_event_json(account, e) for e in page],
            "data_type": "web_event_tag",
            "total_count": len(account.events),
            "next_cursor": _cursor(end) if end < len(account.events) else None,
        },
    )


def find_account(demo: DemoAccount, account_id: str) -> SandboxAccount:
    for account in demo.accounts:
        if account.id == account_id:
            return account
    raise ApiError(404, "NOT_FOUND", "The account could not be found", "account_id")


def _account_json(account: SandboxAccount) -> dict[str, Any]:
    return {
        "id": account.id,
        "name": account.name,
        "business_name": account.business_name,
        "business_id": None,
        "approval_status": "ACCEPTED",
        "timezone": "America/New_York",
        "timezone_switch_at": _CREATED,
        "industry_type": "RETAIL",
        "deleted": False,
        "created_at": _CREATED,
        "updated_at": _CREATED,
    }


def _event_json(account: SandboxAccount, event: EventTag) -> dict[str, Any]:
    return {
        "id": event.id,
        "name": event.name,
        "type": event.type,
        "status": "ACTIVE",
        "click_window": 14,
        "view_through_window": 1,
        "retargeting_enabled": True,
        "website_tag_id": account.pixel_id,
        "deleted": False,
        "created_at": _CREATED,
        "updated_at": _CREATED,
    }


def _count(query: Mapping[str, list[str]]) -> int:
    if "count" not in query:
        return DEFAULT_COUNT
    text = query["count"][0]
    if not text.isdigit() or not 1 <= int(text) <= MAX_COUNT:
        raise invalid(f"count must be a whole number from 1 to {MAX_COUNT}", "count")
    return int(text)


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"wet:{offset}".encode()).decode().rstrip("=")


def _cursor_offset(query: Mapping[str, list[str]], total: int) -> int:
    if "cursor" not in query:
        return 0
    text = query["cursor"][0]
    try:
        decoded = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        decoded = ""
    kind, _, number = decoded.partition(":")
    if kind != "wet" or not number.isdigit() or int(number) > total:
        raise invalid("cursor is not a cursor this endpoint returned", "cursor")
    return int(number)
