"""Known exports (Shopify, WooCommerce, Stripe, PayPal…) by their headers, and the row filters
that leave out what is no sale: failed, pending, refunded, cancelled, lost deals.

Status vocabularies, from the vendors' documentation:
- Shopify financial status: pending, authorized, partially_paid, paid, partially_refunded,
  refunded, voided, expired (shopify.dev, Admin GraphQL enum OrderDisplayFinancialStatus).
  Only money actually received is a sale: paid, partially_paid, partially_refunded.
- WooCommerce order status: pending, processing, on-hold, completed, cancelled, refunded,
  failed, checkout-draft, stored with a "wc-" prefix (woocommerce.github.io code reference,
  Automattic\\WooCommerce\\Enums\\OrderStatus and OrderInternalStatus). "processing" means
  "payment has been received"; "on-hold" is "awaiting payment confirmation".
- Stripe charge status: succeeded, pending, failed (docs.stripe.com API reference; "paid"
  before API version 2015-02-18); the dashboard's payments export writes Paid, Refunded,
  Failed, Uncaptured, and a Captured column.
- PayPal activity download: Type (Express Checkout Payment, Website Payment, Mobile Payment,
  Subscription Payment, PreApproved Payment Bill User Payment, General Payment, Payment Refund,
  Shopping Cart Item…), Status (Completed, Pending, Denied, Reversed…), Balance Impact
  (Credit, Debit, Memo) (developer.paypal.com, "Download Account History" field list).
- HubSpot default deal stages: appointmentscheduled, qualifiedtobuy, presentationscheduled,
  decisionmakerboughtin, contractsent, closedwon, closedlost (labels "Closed Won", …).
- Salesforce opportunity stages: Prospecting … Closed Won, Closed Lost; reports add Won/Closed.
- Magento 2 order status: pending, pending_payment, processing, complete, closed (refunded),
  canceled, holded, payment_review, fraud.
- Square transactions export: Event Type Payment or Refund; Transaction Status Complete.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from twconv_gui.core.mapping import header_synonyms as syn
from twconv_gui.core.mapping.filters import ABOVE_ZERO, DROP, KEEP, NON_EMPTY, ONE_OF, RowFilter
from twconv_gui.core.mapping.headers import header
from twconv_gui.core.mapping.values import strip_accents
from twconv_gui.core.reading.table import Cell


@dataclass(frozen=True)
class SuggestedFilter:
    """A row filter proposed for a file, and why (shown to users, who may change it)."""

    row_filter: RowFilter
    reason: str


@dataclass(frozen=True)
class _Rule:
    """A filter of a known export: the first of `columns` present is tested."""

    columns: tuple[str, ...]
    action: str
    test: str
    values: tuple[str, ...]
    reason: str
    known: tuple[str, ...] = ()  # other values of the vocabulary (that the filter leaves out)


@dataclass(frozen=True)
class KnownExport:
    """An export recognized by its headers.

    Attributes:
        name: shown to users ("Shopify orders export").
        line_items: rows sharing the conversion id are the items of one order.
        prefer: field -> the export's columns for it, best first.
    """

    name: str
    signature: tuple[frozenset[str], ...]  # any one of these compact header sets, all present
    line_items: bool = False
    prefer: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rules: tuple[_Rule, ...] = ()


def _sig(*sets: str) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(header(h).compact for h in s.split("|")) for s in sets)


_PAYPAL_RECEIVED = (
    "Express Checkout Payment", "Website Payment", "Mobile Payment", "Subscription Payment",
    "PreApproved Payment Bill User Payment", "PreApproved Payment", "Recurring Payment",
    "General Payment", "Payment Received", "Web Accept Payment Received",
    "Shopping Cart Payment Received", "Subscription Payment Received", "Invoice Payment",
    "Virtual Terminal Payment", "Direct Credit Card Payment", "Point of Sale Payment",
    "eBay Auction Payment", "Donation Payment", "Website Payments Pro API Solution",
    "Mobile Express Checkout Payment", "Pay Later Payment", "Venmo Payment",
)  # fmt: skip

KNOWN_EXPORTS: tuple[KnownExport, ...] = (
    KnownExport(
        "Shopify orders export",
        _sig("Name|Financial Status|Lineitem name", "Name|Financial Status|Created at"),
        line_items=True,
        prefer={"conversion_id": ("Name",), "value": ("Total",),
                "conversion_time": ("Created at",)},
        rules=(
            _Rule(("Financial Status",), KEEP, ONE_OF,
                  ("paid", "partially_paid", "partially_refunded"),
                  "only paid and partially refunded orders took money; pending, authorized, "
                  "refunded, voided and expired ones did not",
                  ("pending", "authorized", "refunded", "voided", "expired")),
            _Rule(("Cancelled at",), DROP, NON_EMPTY, (), "cancelled orders are no sale"),
        ),
    ),
    KnownExport(
        "WooCommerce orders export",
        _sig("Order ID|Status|Billing Email", "Order Number|Order Status|Billing Email",
             "Order ID|Order Status|Billing Email", "Order Number|Status|Billing Email",
             "Order ID|Order Status|Order Total", "Order Number|Order Status|Order Total Amount"),
        line_items=True,
        prefer={"conversion_id": ("Order Number", "Order ID"),
                "value": ("Order Total", "Order Total Amount")},
        rules=(
            _Rule(("Order Status", "Status"), KEEP, ONE_OF,
                  ("completed", "processing", "wc-completed", "wc-processing", "Abgeschlossen",
                   "In Bearbeitung", "Terminée", "En cours", "Completado", "Procesando",
                   "Completato", "In lavorazione"),
                  "only completed and processing orders are paid; pending, on-hold, failed, "
                  "cancelled and refunded ones are not",
                  ("pending", "on-hold", "failed", "cancelled", "refunded", "checkout-draft",
                   "wc-pending", "wc-on-hold", "wc-failed", "wc-cancelled", "wc-refunded",
                   "Pending payment", "On hold", "Failed", "Cancelled", "Refunded", "Draft")),
        ),
    ),
    KnownExport(
        "Stripe payments export",
        _sig("id|Amount Refunded|Status", "id|Amount Refunded|Captured"),
        prefer={"conversion_id": ("id",), "value": ("Amount",), "email": ("Customer Email",)},
        rules=(
            _Rule(("Status",), KEEP, ONE_OF, ("Paid", "succeeded", "Partially refunded"),
                  "only paid charges took money; failed, uncaptured, refunded and disputed "
                  "ones did not",
                  ("Failed", "Refunded", "Uncaptured", "Canceled", "pending", "failed",
                   "Disputed", "Incomplete", "Blocked")),
            _Rule(("Captured",), KEEP, ONE_OF, ("true",),
                  "an uncaptured charge is an authorization, not money received", ("false",)),
            _Rule(("Mode",), DROP, ONE_OF, ("Test",), "test-mode payments are no sale",
                  ("Live",)),
        ),
    ),
    KnownExport(
        "PayPal activity download",
        _sig("Transaction ID|Type|Status|Gross|Net", "Transaction ID|Balance Impact|Gross"),
        prefer={"conversion_id": ("Transaction ID",), "value": ("Gross",),
                "email": ("From Email Address",), "conversion_time": ("Date",),
                "phone": ("Contact Phone Number",)},
        rules=(
            _Rule(("Type",), KEEP, ONE_OF, _PAYPAL_RECEIVED,
                  "only payments received are sales; refunds, transfers, holds, fees, "
                  "currency conversions and cart item lines are not",
                  ("Payment Refund", "Payment Reversal", "General Withdrawal",
                   "General Currency Conversion", "Shopping Cart Item", "Account Hold for Open "
                   "Authorization", "Reversal of General Account Hold", "Chargeback",
                   "General Authorization", "Void of Authorization", "Bank Deposit to PP Account",
                   "Hold on Balance for Dispute Investigation", "Cancellation of Hold for "
                   "Dispute Resolution", "Payment Sent", "Mass Pay Payment")),
            _Rule(("Status",), KEEP, ONE_OF, ("Completed",),
                  "pending, denied, reversed and refunded payments are no sale",
                  ("Pending", "Denied", "Reversed", "Refunded", "Partially Refunded",
                   "Canceled", "Cleared", "Held", "Removed", "Unclaimed")),
            _Rule(("Balance Impact",), KEEP, ONE_OF, ("Credit",),
                  "only money coming in (Credit) is a sale", ("Debit", "Memo")),
            _Rule(("Gross",), KEEP, ABOVE_ZERO, (), "a sale brings a positive gross amount"),
        ),
    ),
    KnownExport(
        "Square transactions export",
        _sig("Transaction ID|Event Type|Gross Sales", "Payment ID|Event Type|Net Sales"),
        line_items=True,
        prefer={"conversion_id": ("Transaction ID", "Payment ID"),
                "value": ("Total Collected", "Gross Sales"), "conversion_time": ("Date",)},
        rules=(
            _Rule(("Event Type",), KEEP, ONE_OF, ("Payment",), "refund rows are no sale",
                  ("Refund",)),
            _Rule(("Transaction Status",), KEEP, ONE_OF, ("Complete", "Completed"),
                  "only complete transactions took money", ("Pending", "Failed", "Canceled")),
        ),
    ),
    KnownExport(
        "Magento orders grid export",
        _sig("Purchase Date|Bill-to Name|Status", "Purchase Date|Grand Total (Purchased)|Status"),
        prefer={"conversion_id": ("ID", "Increment ID"),
                "value": ("Grand Total (Purchased)", "Grand Total (Base)")},
        rules=(
            _Rule(("Status",), KEEP, ONE_OF, ("complete", "processing"),
                  "only complete and processing orders are paid; pending, canceled, closed "
                  "(refunded), on hold, payment review and fraud ones are not",
                  ("pending", "pending_payment", "canceled", "closed", "holded", "on hold",
                   "payment_review", "payment review", "fraud", "suspected fraud",
                   "pending payment")),
        ),
    ),
    KnownExport(
        "Salesforce opportunities report",
        _sig("Opportunity Name|Stage", "Opportunity ID|Stage", "Opportunity Name|Won",
             "ID|StageName|IsWon", "Id|StageName|AccountId"),
        prefer={"conversion_id": ("Opportunity ID", "ID", "Id"),
                "conversion_time": ("Close Date", "CloseDate")},
        rules=(
            _Rule(("Stage", "Stage Name", "StageName"), KEEP, ONE_OF, ("Closed Won",),
                  "only won opportunities are sales",
                  ("Prospecting", "Qualification", "Needs Analysis", "Value Proposition",
                   "Id. Decision Makers", "Perception Analysis", "Proposal/Price Quote",
                   "Negotiation/Review", "Closed Lost")),
            _Rule(("Won", "IsWon"), KEEP, ONE_OF, ("true", "1", "yes"),
                  "only won opportunities are sales", ("false", "0", "no")),
        ),
    ),
    KnownExport(
        "HubSpot deals export",
        _sig("Deal Name|Deal Stage", "Record ID|Deal Stage"),
        prefer={"conversion_id": ("Record ID", "Deal ID"), "conversion_time": ("Close Date",),
                "value": ("Amount",)},
        rules=(
            _Rule(("Deal Stage",), KEEP, ONE_OF, ("closedwon", "Closed Won"),
                  "only won deals are sales",
                  ("appointmentscheduled", "qualifiedtobuy", "presentationscheduled",
                   "decisionmakerboughtin", "contractsent", "closedlost",
                   "Appointment Scheduled", "Qualified To Buy", "Presentation Scheduled",
                   "Decision Maker Bought-In", "Contract Sent", "Closed Lost")),
        ),
    ),
    KnownExport(
        # Contacts with their most recent deal (HubSpot's "Recent Deal Amount/Close Date"):
        # the sale is the deal, so its close date is the time; contacts without one are no
        # sale. Lifecycle stages: subscriber, lead, marketingqualifiedlead,
        # salesqualifiedlead, opportunity, customer, evangelist, other (HubSpot knowledge
        # base, "Use lifecycle stages").
        "HubSpot contacts export",
        _sig("Record ID|Lifecycle Stage|Email", "Record ID|Recent Deal Amount"),
        prefer={"conversion_id": ("Record ID",),
                "conversion_time": ("Recent Deal Close Date", "Close Date"),
                "value": ("Recent Deal Amount", "Total Revenue")},
        rules=(
            _Rule(("Recent Deal Close Date",), KEEP, NON_EMPTY, (),
                  "a contact without a closed deal is no sale"),
        ),
    ),
    KnownExport(
        "Meta offline events file",
        _sig("event_name|event_time|email", "event_name|event_time|phone",
             "event_name|event_time|fn"),
        prefer={"conversion_time": ("event_time",), "conversion_id": ("order_id",),
                "phone_country": ("country",)},
        rules=(
            _Rule(("event_name",), KEEP, ONE_OF, ("Purchase",),
                  "only Purchase events are sales", ("Lead", "CompleteRegistration", "Other")),
        ),
    ),
    KnownExport(
        "Google Ads offline conversions template",
        _sig("Google Click ID|Conversion Name|Conversion Time",
             "Email|Conversion Name|Conversion Time",
             "Phone Number|Conversion Name|Conversion Time"),
        prefer={"conversion_time": ("Conversion Time",), "value": ("Conversion Value",),
                "price_currency": ("Conversion Currency",), "conversion_id": ("Order ID",)},
    ),
)  # fmt: skip


def recognize(columns: Sequence[str]) -> KnownExport | None:
    """The known export whose headers these are, or None."""
    present = {header(c).compact for c in columns}
    for export in KNOWN_EXPORTS:
        if any(sig <= present for sig in export.signature):
            return export
    return None


def _fold(value: Cell) -> str:
    text = strip_accents(str(value)).casefold().strip()
    return " ".join(text.replace("_", " ").replace("-", " ").split())


def _distinct(cells: Sequence[Cell]) -> list[str]:
    """Distinct non-empty values as written (first spelling of each folded form)."""
    seen: dict[str, str] = {}
    for cell in cells:
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            continue
        text = ("true" if cell else "false") if isinstance(cell, bool) else str(cell).strip()
        seen.setdefault(_fold(text), text)
    return list(seen.values())


def not_a_sale(value: str) -> bool:
    """Whether a status value says the row is no sale ("Failed", "wc-refunded", "Storniert")."""
    folded = _fold(value)
    if folded.startswith("wc "):
        folded = folded[3:]
    words = folded.split()
    if any(w in syn.PARTIAL_WORDS for w in words):
        return False
    if folded in syn.NOT_A_SALE or folded.replace(" ", "") in syn.NOT_A_SALE:
        return True
    pairs = {" ".join(words[i : i + 2]) for i in range(len(words) - 1)}
    return any(w in syn.NOT_A_SALE for w in (*words, *pairs))


def _known_filters(
    export: KnownExport, columns: Sequence[str], values: Sequence[Sequence[Cell]]
) -> list[SuggestedFilter]:
    by_compact = {header(c).compact: i for i, c in enumerate(columns)}
    out: list[SuggestedFilter] = []
    for rule in export.rules:
        index = next(
            (by_compact[k] for c in rule.columns if (k := header(c).compact) in by_compact), None
        )
        if index is None:
            continue
        column = columns[index]
        if rule.test == ONE_OF:
            seen = _distinct(values[index])
            vocabulary = {_fold(v) for v in (*rule.values, *rule.known)}
            if seen and not any(_fold(v) in vocabulary for v in seen):
                continue  # another language or a custom vocabulary: the generic pass decides
        row_filter = RowFilter(column, rule.action, rule.test, rule.values)
        why = f"{export.name}: {rule.reason}"
        out.append(SuggestedFilter(row_filter, why))
    return out


def _is_status_header(column: str) -> bool:
    h = header(column)
    return (
        h.compact in syn.STATUS_HEADERS or h.bare in syn.STATUS_HEADERS or _is_event_header(column)
    )


def _is_event_header(column: str) -> bool:
    h = header(column)
    return h.compact in syn.EVENT_NAME_HEADERS or h.bare in syn.EVENT_NAME_HEADERS


def not_a_purchase(value: str) -> bool:
    """Whether a conversion action's name is no purchase ("Qualified Lead", "Sign Up")."""
    folded = _fold(value)
    words = folded.split()
    pairs = {" ".join(words[i : i + 2]) for i in range(len(words) - 1)}
    return folded in syn.NOT_A_PURCHASE or any(w in syn.NOT_A_PURCHASE for w in (*words, *pairs))


def suggest_filters(
    columns: Sequence[str], values: Sequence[Sequence[Cell]], export: KnownExport | None
) -> list[SuggestedFilter]:
    """Filters for a file: its known export's, then a drop filter on any other status column."""
    out = _known_filters(export, columns, values) if export is not None else []
    filtered = {f.row_filter.column for f in out}
    for column, cells in zip(columns, values, strict=True):
        if column in filtered or not _is_status_header(column):
            continue
        bad = [v for v in _distinct(cells) if not_a_sale(v)]
        if not bad and _is_event_header(column):
            distinct = _distinct(cells)
            bad = [v for v in distinct if not_a_purchase(v)]
            if bad and len(bad) == len(distinct):
                continue  # every row is such an action: the user decides what they send
        if not bad:
            continue
        shown = ", ".join(f'"{v}"' for v in bad[:6]) + (", …" if len(bad) > 6 else "")
        why = f'"{column}" says some rows are no sale ({shown}): they are left out'
        out.append(SuggestedFilter(RowFilter(column, DROP, ONE_OF, tuple(bad)), why))
    return out
