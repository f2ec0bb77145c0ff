"""Repeated conversion ids: the line items of one order (grouped) or separate rows (a note)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from twconv_gui.core.mapping.fields import CONTENT_FIELDS
from twconv_gui.core.mapping.headers import header
from twconv_gui.core.reading.table import Cell

# Header words of an order id (its rows may be line items) and of a payment id (each row is a
# payment of its own).
_ORDER_WORDS = frozenset((
    "order", "name", "number", "increment", "bestellung", "bestellnummer", "commande",
    "pedido", "ordine", "bestelling", "auftrag", "auftragsnummer", "ordernummer", "deal",
    "opportunity", "record", "booking", "reservation", "purchase", "sale",
))  # fmt: skip
_PAYMENT_WORDS = frozenset((
    "transaction", "charge", "payment", "txn", "receipt", "invoice", "transaktion",
    "zahlung", "paiement", "pago", "pagamento", "id",
))  # fmt: skip
_PRODUCT_WORDS = ("lineitem", "item", "product", "sku", "artikel", "produit", "producto",
                  "prodotto", "produkt", "variant", "qty", "quantity")  # fmt: skip


@dataclass(frozen=True)
class Repeats:
    """What the repeated ids of the sample say."""

    group: bool  # suggest group_by_conversion_id
    repeated_rows: int  # rows whose id another row has too
    note: str | None


def _product_columns(columns: Sequence[str], mapped: Mapping[str, str]) -> list[int]:
    chosen = [columns.index(mapped[f]) for f in CONTENT_FIELDS if f in mapped]
    if chosen:
        return chosen
    return [i for i, c in enumerate(columns) if any(w in header(c).compact for w in _PRODUCT_WORDS)]


def _text(cell: Cell) -> str:
    return "" if cell is None else str(cell).strip()


def repeated_ids(
    columns: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    mapped: Mapping[str, str],
    *,
    line_item_export: bool,
) -> Repeats:
    """Whether to group rows by conversion id, and a note when ids repeat on other rows."""
    id_column = mapped.get("conversion_id")
    if id_column is None:
        return Repeats(False, 0, None)
    index = columns.index(id_column)
    groups: dict[str, list[Sequence[Cell]]] = defaultdict(list)
    for row in rows:
        if index < len(row) and (key := _text(row[index])):
            groups[key].append(row)
    repeated = [g for g in groups.values() if len(g) > 1]
    if not repeated:
        return Repeats(False, 0, None)
    count = sum(len(g) for g in repeated)
    products = _product_columns(columns, mapped)
    differ = sum(
        1
        for g in repeated
        if any(len({_text(r[p]) for r in g if p < len(r)}) > 1 for p in products)
    )
    tokens = header(id_column).tokens
    order_like = bool(tokens & _ORDER_WORDS) or line_item_export
    payment_like = bool(tokens & _PAYMENT_WORDS) and not tokens & _ORDER_WORDS
    line_items = products and differ * 2 >= len(repeated)
    if line_items and order_like and (line_item_export or not payment_like):
        return Repeats(True, count, None)
    note = (
        f'The conversion id column "{id_column}" repeats on {count} of {len(rows)} sample rows '
        "that are not the line items of one order: each row becomes a conversion of its own "
        "with the same conversion id, and X may count them as one. Check that this is the "
        "right id column."
    )
    return Repeats(False, count, note)
