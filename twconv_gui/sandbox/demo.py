"""The fixed, public demo user, ad accounts, pixel and events that the sandbox serves."""

from __future__ import annotations

import functools
from dataclasses import dataclass

# The permissions X lists for a user on an ad account; uploading needs AD_MANAGER or ACCOUNT_ADMIN.
FULL_ACCESS = ("ACCOUNT_ADMIN", "AD_MANAGER", "CREATIVE_MANAGER", "CAMPAIGN_ANALYST", "ANALYST")
UPLOAD_PERMISSIONS = frozenset({"ACCOUNT_ADMIN", "AD_MANAGER"})


@dataclass(frozen=True)
class EventTag:
    """A web event tag (conversion event) of an ad account, as Events Manager lists it."""

    id: str
    name: str
    type: str


@dataclass(frozen=True)
class SandboxAccount:
    """An ad account the demo user can see, with its pixel, events and the user's permissions."""

    id: str
    name: str
    business_name: str
    pixel_id: str
    events: tuple[EventTag, ...]
    permissions: tuple[str, ...]

    @property
    def can_upload(self) -> bool:
        return bool(UPLOAD_PERMISSIONS.intersection(self.permissions))

    @functools.cached_property
    def event_ids(self) -> frozenset[str]:
        return frozenset(e.id for e in self.events)


@dataclass(frozen=True)
class DemoAccount:
    """Everything a client needs to talk to the sandbox; public by design, useless elsewhere."""

    consumer_key: str
    consumer_secret: str
    access_token: str
    access_token_secret: str
    pixel_token: str  # the Conversions API token of pixel_id, sent as X-Pixel-Token
    user_id: str
    screen_name: str
    account_id: str
    account_name: str
    business_name: str
    pixel_id: str
    events: tuple[EventTag, ...]
    permissions: tuple[str, ...]
    other_account: SandboxAccount

    @property
    def account(self) -> SandboxAccount:
        """The main ad account, where uploads succeed."""
        return SandboxAccount(
            id=self.account_id,
            name=self.account_name,
            business_name=self.business_name,
            pixel_id=self.pixel_id,
            events=self.events,
            permissions=self.permissions,
        )

    @property
    def accounts(self) -> tuple[SandboxAccount, ...]:
        """Every ad account `GET /accounts` lists, the main one first."""
        return (self.account, self.other_account)


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while number:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
    return text or "0"


def _custom_events(first_id: str, count: int) -> tuple[EventTag, ...]:
    start = int(first_id, 36)
    return tuple(
        EventTag(_base36(start + n), f"Custom event {n + 1}", "CUSTOM") for n in range(count)
    )


DEMO_EVENTS = (
    EventTag("o87ne", "Purchase", "PURCHASE"),
    EventTag("o87nf", "Sign up", "SIGN_UP"),
    EventTag("o87ng", "Add to cart", "ADD_TO_CART"),
    *_custom_events("o87nh", 22),  # 25 in all: more than one page at count=10, to test paging
)

DEMO = DemoAccount(
    consumer_key="sandbox-consumer-key",
    consumer_secret="sandbox-consumer-secret-not-real",  # noqa: S106 - public demo value
    access_token="1500000000000000001-sandbox-access-token",  # noqa: S106
    access_token_secret="sandbox-access-token-secret-not-real",  # noqa: S106
    pixel_token="sandbox-pixel-token-o8z6j-not-real",  # noqa: S106 - public demo value
    user_id="1500000000000000001",
    screen_name="sandbox_user",
    account_id="18ce54d4x5t",
    account_name="Sandbox Coffee Co.",
    business_name="Sandbox Coffee Company",
    pixel_id="o8z6j",
    events=DEMO_EVENTS,
    permissions=FULL_ACCESS,
    other_account=SandboxAccount(
        id="18ce55k3q9w",
        name="Sandbox Agency Client",
        business_name="Sandbox Agency",
        pixel_id="p2m4q",
        events=(EventTag("p2m4r", "Purchase", "PURCHASE"),),
        permissions=("CAMPAIGN_ANALYST",),  # may look, may not upload
    ),
)
