"""Other ad networks' click ids, by column header and by value shape, kept apart from twclid.

What X's click id looks like (inferred; X documents only that `twclid` is "a unique
identifier automatically appended in the URL"): landing URLs found in public code carry
`twclid=2-2l8qmm7zeonfnwc75vqh7sx6r`, `twclid=2-cb4uxhu0bwnw6rm30vpnx048` (today's form:
"2-" and 25 lower-case base-36 characters), `twclid=29x4diopvnws1i0grrjr6hc8r` and
`twclid=23tbih2utu3gcc2p3il08wsjga` (older, no prefix) and `twclid=11468056396621139976`
(2021, digits only). A twclid therefore never holds capitals, '_' or '.', which is what keeps
the shapes below from matching one.

The other networks, and where their shapes come from:

- Google Ads `gclid`, `wbraid`, `gbraid`, and Campaign Manager's `dclid`: the parameter names
  are documented (https://developers.google.com/google-ads/api/reference/rpc/v21/
  ClickConversionResult). The values are opaque base64url; their prefixes are inferred from
  real landing URLs: `Cj0KCQjw…`, `CjwKCAjw…` (the current gclid, often ending `_BwE`),
  `EAIaIQobChMI…` (gclid of Shopping and Display clicks). A gbraid starting `0AAAAA` is
  inferred too. Old-style gclids and dclids (`CKjr5JPm6NwCFQ…`, `CN-4seKYvY0DFVvi_QUdsiAycw`)
  have no stable prefix: only their header is recognized.
- Meta `fbclid`: documented example `IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk`
  (https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/fbp-and-fbc/);
  `IwY2…` and `IwZXh0bgNhZW0…` are newer prefixes seen in landing URLs (inferred). The `_fbc`
  cookie is documented as `fb.<subdomainIndex>.<creationTime in ms>.<fbclid>`, `_fbp` as
  `fb.<subdomainIndex>.<creationTime>.<random number>` (same page).
- Microsoft Advertising `msclkid` (https://help.ads.microsoft.com/apex/index/3/en/60125 names
  the parameter; its example `Example-123` is not a real value). Real values in landing URLs
  are 32 lower-case hex digits (`8d6d5e520650141a15fe39c0c3ecd885`): inferred.
- TikTok `ttclid` (https://ads.tiktok.com/help/article/tiktok-click-id names it); real values
  start `E.C.P.` followed by base64url (`E.C.P.CsQBQ3fsJHedzWpv…`): inferred.
- LinkedIn `li_fat_id` and Snapchat `ScCid`: UUIDs in the landing URLs seen (inferred); the
  shape alone cannot tell the two apart.
- Pinterest `epik`: base64 of "v=2&u=…", so it starts `dj0yJnU9` (inferred from real URLs and
  the `_derived_epik` cookie).
- Reddit `rdt_cid`: values seen are long digit strings, like X's own oldest twclids, so only
  the header is recognized.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

__all__ = [
    "FOREIGN_CLICK_ID_HEADERS",
    "ForeignClickId",
    "foreign_header",
    "foreign_header_network",
    "foreign_value",
    "foreign_value_network",
]


class ForeignClickId(NamedTuple):
    """Another network's click id: who issues it and the URL parameter that carries it."""

    network: str
    parameter: str

    def describe(self) -> str:
        """For messages: "a Google Ads click id (gclid)"."""
        return f"a {self.network} click id ({self.parameter})"


_GCLID = ForeignClickId("Google Ads", "gclid")
_WBRAID = ForeignClickId("Google Ads", "wbraid")
_GBRAID = ForeignClickId("Google Ads", "gbraid")
_DCLID = ForeignClickId("Google Campaign Manager", "dclid")
_FBCLID = ForeignClickId("Meta (Facebook/Instagram)", "fbclid")
_FBC = ForeignClickId("Meta (Facebook/Instagram)", "fbc")
_FBP = ForeignClickId("Meta (Facebook/Instagram)", "fbp")
_MSCLKID = ForeignClickId("Microsoft Advertising", "msclkid")
_TTCLID = ForeignClickId("TikTok", "ttclid")
_LI_FAT_ID = ForeignClickId("LinkedIn", "li_fat_id")
_SCCID = ForeignClickId("Snapchat", "ScCid")
_UUID_ID = ForeignClickId("LinkedIn or Snapchat", "li_fat_id or ScCid")
_EPIK = ForeignClickId("Pinterest", "epik")
_RDT_CID = ForeignClickId("Reddit", "rdt_cid")
_YCLID = ForeignClickId("Yandex Direct", "yclid")

# Header (or URL parameter) in the compact form of _compact() -> the click id it holds.
FOREIGN_CLICK_ID_HEADERS: dict[str, ForeignClickId] = {
    "gclid": _GCLID, "googleclickid": _GCLID, "googleadsclickid": _GCLID,
    "adwordsclickid": _GCLID, "gclsrc": _GCLID,
    "wbraid": _WBRAID, "gbraid": _GBRAID, "dclid": _DCLID,
    "fbclid": _FBCLID, "facebookclickid": _FBCLID, "metaclickid": _FBCLID,
    "instagramclickid": _FBCLID, "fbc": _FBC, "fbp": _FBP,
    "msclkid": _MSCLKID, "microsoftclickid": _MSCLKID, "microsoftadsclickid": _MSCLKID,
    "bingclickid": _MSCLKID, "bingadsclickid": _MSCLKID, "uetmsclkid": _MSCLKID,
    "ttclid": _TTCLID, "tiktokclickid": _TTCLID,
    "lifatid": _LI_FAT_ID, "linkedinclickid": _LI_FAT_ID,
    "sccid": _SCCID, "snapchatclickid": _SCCID, "snapclickid": _SCCID,
    "epik": _EPIK, "pinterestclickid": _EPIK,
    "rdtcid": _RDT_CID, "redditclickid": _RDT_CID,
    "yclid": _YCLID, "yandexclickid": _YCLID,
}  # fmt: skip

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_WORD_BREAKS = re.compile(r"[\s()\[\]{}/,;:|]+")


def _compact(text: str) -> str:
    """Lower case letters and digits only: "Google Click ID" -> "googleclickid"."""
    text = unicodedata.normalize("NFKD", text).casefold()
    return _NOT_ALNUM.sub("", text)


def foreign_header(header: str) -> ForeignClickId | None:
    """The other network's click id a column header (or URL parameter name) names.

    The whole header is tried, then each of its words, so "GCLID (Google)" and
    "Order gclid" are recognized too.

    Args:
        header: a column header such as "gclid", "Facebook Click ID" or "_fbc".

    Returns:
        The click id it names, or None (also for "twclid" and unrelated headers).
    """
    found = FOREIGN_CLICK_ID_HEADERS.get(_compact(header))
    if found is None:
        for word in _WORD_BREAKS.split(header):
            found = FOREIGN_CLICK_ID_HEADERS.get(_compact(word))
            if found is not None:
                break
    return found


def foreign_header_network(header: str) -> str | None:
    """The network whose click id a column header names ("gclid" -> "Google Ads").

    Args:
        header: a column header.

    Returns:
        The network's name, or None.
    """
    found = foreign_header(header)
    return found.network if found else None


# Only shapes no twclid has (see the module docstring): capitals, '_', '.', a fixed prefix.
_B64 = r"[A-Za-z0-9_\-]"
_SHAPES: tuple[tuple[re.Pattern[str], ForeignClickId], ...] = (
    (re.compile(rf"(?:Cj0K|CjwK|Cj8K)[A-Z]{_B64}{{20,}}"), _GCLID),
    (re.compile(rf"EAIaIQobChMI{_B64}{{10,}}"), _GCLID),
    (re.compile(rf"{_B64}{{30,}}_BwE"), _GCLID),
    (re.compile(rf"0AAAAA{_B64}{{14,}}"), _GBRAID),
    (re.compile(rf"Iw(?:AR|Y2|ZX){_B64}{{16,}}"), _FBCLID),
    (re.compile(r"fb\.\d\.\d{13}\.\d+(?:\.[A-Za-z0-9_\-]+)?"), _FBP),
    (re.compile(r"fb\.\d\.\d{13}\.\S+"), _FBC),
    (re.compile(r"[0-9a-f]{32}"), _MSCLKID),
    (re.compile(rf"E[._]C[._]P[._]{_B64}{{8,}}"), _TTCLID),
    (
        re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"),
        _UUID_ID,
    ),
    (re.compile(r"dj0yJnU9[A-Za-z0-9_\-+/=]{8,}"), _EPIK),
)


def foreign_value(text: str) -> ForeignClickId | None:
    """The other network's click id a value has the distinctive shape of.

    Conservative: shapes a twclid might share (digits only, lower-case letters and digits)
    are never claimed.

    Args:
        text: a trimmed cell value or URL parameter value.

    Returns:
        The click id whose shape it has, or None.
    """
    if len(text) < 20:
        return None
    for pattern, found in _SHAPES:
        if pattern.fullmatch(text) is not None:
            return found
    return None


def foreign_value_network(text: str) -> str | None:
    """The network whose click id a value looks like ("Cj0KCQjw…" -> "Google Ads").

    Args:
        text: a trimmed cell value.

    Returns:
        The network's name, or None.
    """
    found = foreign_value(text)
    return found.network if found else None
