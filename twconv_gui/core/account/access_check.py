"""Connection test: do these credentials reach this ad account, and may they upload to it?"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any
from urllib.parse import urlsplit

from twconv_gui.core.account.ad_accounts import UPLOAD_PERMISSIONS, AdAccount
from twconv_gui.core.api.client import ApiClient, ApiResponse, ApiSettings, TransportError
from twconv_gui.core.api.pixel_token import ApiCredentials

NO_ADS_API_CODES = frozenset({"UNAUTHORIZED_CLIENT_APPLICATION"})
_ACCOUNT_CODES = frozenset({"NOT_FOUND", "UNAUTHORIZED_ACCESS", "ACCOUNT_LOCKED_OUT"})


class Verdict(Enum):
    """What the connection test found, from the user's side of things."""

    WORKS = "works"
    WRONG_KEYS = "wrong keys"
    NO_ACCESS_TO_ACCOUNT = "no access to this account"
    NO_ADS_API_ACCESS = "app lacks Ads API access"
    NETWORK = "network problem"
    API_PROBLEM = "X's API answered an error"
    CHECKED_WITH_FIRST_BATCH = "pixel token: checked with the first batch"


@dataclass(frozen=True)
class ConnectionReport:
    """The outcome of a connection test, in words.

    Attributes:
        verdict: What was found.
        message: One or two sentences for users: what was found and what to do.
        account: The ad account, when X returned it.
        permissions: The user's permissions on the account (e.g. `AD_MANAGER`).
        detail: X's answer to the failing request, e.g. `401 UNAUTHORIZED_ACCESS: ...`
            ("" when it worked or nothing was answered).
        accounts_reachable: How many ad accounts the credentials reach, when no account was
            given to check.
    """

    verdict: Verdict
    message: str
    account: AdAccount | None = None
    permissions: tuple[str, ...] = ()
    detail: str = ""
    accounts_reachable: int | None = None

    @property
    def ok(self) -> bool:
        """Nothing was found wrong: the credentials work (for this account, when one was
        checked), or they are a pixel token, which only the first batch can check."""
        return self.verdict in (Verdict.WORKS, Verdict.CHECKED_WITH_FIRST_BATCH)


# X offers no request that tells a refused pixel token from a valid one without recording a
# conversion: integrations that send X-Pixel-Token publish none, and X's reference documents
# the token not at all. That an empty or invalid list is answered with 400 only after the
# token is accepted is an inference, not a documented behaviour: relying on it could call a
# refused token valid. So the first batch of an upload checks the token, and it holds a single
# conversion (core.upload), so a refused token stops the job before the rest is sent.
FIRST_BATCH_CHECKS = (
    "A pixel token can only be checked by sending sales: X offers no request that tests it "
    "without recording one. The first batch of your next upload checks it, and it holds a "
    "single sale: if X refuses the token, the upload stops there and says what to do."
)


def test_connection(
    credentials: ApiCredentials, settings: ApiSettings | None, account_id: str | None
) -> ConnectionReport:
    """Check that the credentials work, and that they may upload to `account_id`.

    Reads `GET accounts/{id}` and `GET accounts/{id}/authenticated_user_access` (or only
    `GET accounts` when no account is given). Never raises for an answer of X or for a
    network failure: those are verdicts.

    Args:
        credentials: The four OAuth 1.0a credentials, or a pixel token (which cannot be
            checked without sending a sale: the report says so).
        settings: API host and version; the defaults when None.
        account_id: The ad account to check, or None to check the credentials alone.

    Returns:
        The report, with a sentence for users.
    """
    with ApiClient(credentials, settings) as client:
        return check_connection(client, account_id)


test_connection.__test__ = False  # type: ignore[attr-defined] # pytest: not a test function


def check_connection(client: ApiClient, account_id: str | None = None) -> ConnectionReport:
    """`test_connection` with a client of the caller's (e.g. one built in a GUI worker).

    Args:
        client: The API client, with the credentials to check.
        account_id: The ad account to check, or None to check the credentials alone.

    Returns:
        The report, with a sentence for users.
    """
    if client.uses_pixel_token:
        return ConnectionReport(Verdict.CHECKED_WITH_FIRST_BATCH, FIRST_BATCH_CHECKS)
    host = urlsplit(client.settings.base_url).netloc
    account = (account_id or "").strip()
    if account and not (account.isascii() and account.isalnum()):
        return ConnectionReport(
            Verdict.NO_ACCESS_TO_ACCOUNT,
            f"The ad account id {account[:24]!r} is not valid: give the id X Ads shows "
            "(lowercase letters and digits, e.g. 18ce54d4x5t); `twconv accounts` lists yours.",
        )
    try:
        if not account:
            return _check_listing(client)
        response = client.get(f"accounts/{account}")
        if not response.ok:
            return _refused(response, account)
        found = (
            AdAccount.from_json(response.data)
            if isinstance(response.data, dict)
            else AdAccount(account, "")
        )
        response = client.get(f"accounts/{account}/authenticated_user_access")
        if not response.ok:
            return _refused(response, account, found)
    except TransportError as exc:
        return ConnectionReport(
            Verdict.NETWORK,
            f"Could not reach X's Ads API at {host}: {exc}",
        )
    permissions = _permissions(response.data)
    named = _named(found)
    if not UPLOAD_PERMISSIONS.intersection(permissions):
        roles = ", ".join(permissions) if permissions else "none"
        return ConnectionReport(
            Verdict.NO_ACCESS_TO_ACCOUNT,
            f"The credentials work, but this user may only look at ad account {named} "
            f"(permissions: {roles}); uploading conversions needs the Ad manager or Account "
            "admin role. "
            "Ask an admin of the account to grant it (ads.x.com → account settings → "
            "Access), or choose another account.",
            account=found,
            permissions=permissions,
        )
    return ConnectionReport(
        Verdict.WORKS,
        f"The credentials work: this user can upload conversions to ad account {named} as "
        f"{' and '.join(p for p in permissions if p in UPLOAD_PERMISSIONS)}.",
        account=found,
        permissions=permissions,
    )


def verdict_for(response: ApiResponse, account_id: str | None = None) -> tuple[Verdict, str]:
    """The verdict and the sentence for users of a refused request.

    Args:
        response: X's answer (not 2xx).
        account_id: The ad account the request was about, if any.

    Returns:
        The verdict and what to do, in words.
    """
    codes = {error.code for error in response.errors}
    if response.status == 401:
        return Verdict.WRONG_KEYS, (
            "X refused the credentials (401): a key or token is mistyped, was regenerated in "
            "the developer portal, or the user revoked the app's access. Sign in again "
            "(`twconv login`) or paste the current keys."
        )
    if response.status == 403 and (codes & NO_ADS_API_CODES or not account_id):
        return Verdict.NO_ADS_API_ACCESS, (
            "The credentials are right, but X does not let this app use the Ads API (403). "
            "Apply for Ads API access for this app in the X developer portal (it is granted "
            "per app), or use the keys of an app that has it."
        )
    if account_id and (
        response.status == 403 or (response.status == 404 and codes & _ACCOUNT_CODES)
    ):
        return Verdict.NO_ACCESS_TO_ACCOUNT, (
            f"This user has no access to ad account {account_id} ({response.status}): check "
            "the account id (`twconv accounts` lists the ones the user can reach), or ask an "
            "admin of the account to add the user."
        )
    if response.is_rate_limited:
        return Verdict.API_PROBLEM, (
            "X's rate limit is reached (429): wait a few minutes and test again."
        )
    if response.status == 404:
        return Verdict.API_PROBLEM, (
            "X's API did not know the address (404): check the API base URL (e.g. "
            "https://ads-api.x.com) and the API version."
        )
    return Verdict.API_PROBLEM, (
        f"X's API answered with an error ({response.status}): try again later; if it "
        "persists, check the API base URL and version."
    )


def _check_listing(client: ApiClient) -> ConnectionReport:
    response = client.get("accounts", {"count": 1000})
    if not response.ok:
        return _refused(response, None)
    count = len(response.data) if isinstance(response.data, list) else 0
    more = "+" if response.next_cursor else ""
    return ConnectionReport(
        Verdict.WORKS,
        f"The credentials work: they reach {count}{more} ad account"
        f"{'' if count == 1 and not more else 's'}. Choose one to check upload access.",
        accounts_reachable=count,
    )


def _refused(
    response: ApiResponse, account_id: str | None, account: AdAccount | None = None
) -> ConnectionReport:
    verdict, message = verdict_for(response, account_id)
    return ConnectionReport(verdict, message, account=account, detail=response.describe())


def _permissions(data: Any) -> tuple[str, ...]:
    raw = data.get("permissions") if isinstance(data, dict) else None
    if not isinstance(raw, list):
        return ()
    return tuple(str(p).strip().upper() for p in raw if isinstance(p, str) and p.strip())


def _named(account: AdAccount) -> str:
    return f"“{account.name}” ({account.id})" if account.name else account.id
