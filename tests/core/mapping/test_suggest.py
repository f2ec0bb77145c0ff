"""suggest_mapping on the header rows and values of real export styles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time

import pytest

from twconv_gui.core.mapping.fields import FIELD_NAMES
from twconv_gui.core.mapping.suggest import MappingSuggestion, suggest_mapping
from twconv_gui.core.reading.table import Cell


def table(columns: Sequence[str], *records: Mapping[str, Cell]) -> list[list[Cell]]:
    """Rows aligned with columns; a record names only its non-empty cells."""
    unknown = {k for r in records for k in r} - set(columns)
    assert not unknown, unknown
    return [[r.get(c) for c in columns] for r in records]


def reason(result: MappingSuggestion, field: str) -> str:
    return next(d.reason for d in result.details if d.field == field)


def check_invariants(result: MappingSuggestion, columns: Sequence[str]) -> None:
    assert set(result.columns) <= set(FIELD_NAMES)
    assert len(set(result.columns.values())) == len(result.columns)
    assert set(result.columns.values()) <= set(columns)
    assert [(d.field, d.column) for d in result.details] == list(result.columns.items())
    assert all(0.0 < d.score <= 1.0 for d in result.details)


SHOPIFY = [
    "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at",
    "Accepts Marketing", "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code",
    "Discount Amount", "Shipping Method", "Created at", "Lineitem quantity", "Lineitem name",
    "Lineitem price", "Lineitem compare at price", "Lineitem sku", "Lineitem requires shipping",
    "Lineitem taxable", "Lineitem fulfillment status", "Billing Name", "Billing Street",
    "Billing Address1", "Billing Address2", "Billing Company", "Billing City", "Billing Zip",
    "Billing Province", "Billing Country", "Billing Phone", "Shipping Name", "Shipping Street",
    "Shipping Address1", "Shipping Address2", "Shipping Company", "Shipping City",
    "Shipping Zip", "Shipping Province", "Shipping Country", "Shipping Phone", "Notes",
    "Note Attributes", "Cancelled at", "Payment Method", "Payment Reference", "Refunded Amount",
    "Vendor", "Outstanding Balance", "Employee", "Location", "Device ID", "Id", "Tags",
    "Risk Level", "Source", "Lineitem discount", "Tax 1 Name", "Tax 1 Value", "Tax 2 Name",
    "Tax 2 Value", "Phone", "Receipt Number", "Duties", "Billing Province Name",
    "Shipping Province Name", "Payment ID", "Payment Terms Name", "Next Payment Due At",
    "Payment References",
]  # fmt: skip

SHOPIFY_ORDER = {
    "Name": "#1001", "Email": "jane.doe@example.com", "Financial Status": "paid",
    "Paid at": "2024-03-01 10:15:02 +0100", "Fulfillment Status": "fulfilled",
    "Fulfilled at": "2024-03-02 09:00:00 +0100", "Accepts Marketing": "no", "Currency": "EUR",
    "Subtotal": "39.90", "Shipping": "4.90", "Taxes": "6.37", "Total": "44.80",
    "Discount Amount": "0.00", "Shipping Method": "Standard",
    "Created at": "2024-03-01 10:14:55 +0100", "Lineitem quantity": "2",
    "Lineitem name": "Mug - Blue", "Lineitem price": "19.95",
    "Lineitem compare at price": "24.95", "Lineitem sku": "MUG-BLU",
    "Lineitem requires shipping": "true", "Lineitem taxable": "true",
    "Lineitem fulfillment status": "fulfilled", "Billing Name": "Jane Doe",
    "Billing Street": "Hauptstr. 1", "Billing City": "Berlin", "Billing Zip": "10115",
    "Billing Country": "DE", "Billing Phone": "+49 30 1234567", "Shipping Name": "Jane Doe",
    "Shipping Zip": "10115", "Shipping Country": "DE", "Shipping Phone": "+49 30 1234567",
    "Notes": "Gift wrap, please", "Payment Method": "Shopify Payments",
    "Payment Reference": "c23456789.1", "Refunded Amount": "0.00", "Vendor": "Acme Mugs",
    "Outstanding Balance": "0.00", "Id": "5612345678901", "Risk Level": "Low", "Source": "web",
    "Lineitem discount": "0.00", "Tax 1 Name": "DE VAT 19%", "Tax 1 Value": "6.37",
    "Payment ID": "c23456789.1", "Billing Province Name": "Berlin",
}  # fmt: skip


def shopify_rows() -> list[list[Cell]]:
    second_order = SHOPIFY_ORDER | {
        "Name": "#1002", "Email": "max@example.org", "Total": "119.00", "Subtotal": "100.00",
        "Created at": "2024-03-03 18:02:11 +0100", "Lineitem quantity": "1",
        "Lineitem name": "Teapot", "Lineitem price": "100.00", "Lineitem sku": "TEA-01",
        "Billing Phone": "0151 23456789", "Notes": None, "Id": "5612345678902",
    }  # fmt: skip
    # Shopify repeats only a few order cells on the second line item of an order.
    second_item = {
        "Name": "#1002", "Email": "max@example.org", "Lineitem quantity": "3",
        "Lineitem name": "Cup", "Lineitem price": "6.00", "Lineitem sku": "CUP-02",
        "Created at": "2024-03-03 18:02:11 +0100",
    }  # fmt: skip
    return table(SHOPIFY, SHOPIFY_ORDER, second_order, second_item)


def test_shopify_orders_export() -> None:
    result = suggest_mapping(SHOPIFY, shopify_rows())

    assert result.columns == {
        "conversion_time": "Created at",
        "email": "Email",
        "phone": "Billing Phone",  # "Phone" is empty in the sample
        "price_currency": "Currency",
        "value": "Total",
        "conversion_id": "Name",
        "content_id": "Lineitem sku",
        "content_name": "Lineitem name",
        "content_price": "Lineitem price",
        "content_num_items": "Lineitem quantity",
        "phone_country": "Billing Country",  # the country of the billing address
        "refunded_value": "Refunded Amount",
    }  # never "Notes": free text a customer wrote is not sent
    check_invariants(result, SHOPIFY)
    assert reason(result, "email").startswith(
        'header "Email" is a usual name for email; values look like email addresses (3 of 3)'
    )
    assert result.fallbacks["phone"] == ["Shipping Phone"]
    assert result.export == "Shopify orders export"
    assert 'header "Name"' in reason(result, "conversion_id")


def test_shopify_headers_without_any_rows_still_map_by_name() -> None:
    result = suggest_mapping(SHOPIFY, [])

    assert result.columns["phone"] == "Phone"
    assert result.columns["value"] == "Total"
    assert result.columns["conversion_time"] == "Created at"
    assert result.columns["content_num_items"] == "Lineitem quantity"
    assert "event_id" not in result.columns


def test_plain_phone_wins_over_billing_phone_when_both_have_values() -> None:
    rows = shopify_rows()
    phone = SHOPIFY.index("Phone")
    for row in rows:
        row[phone] = "+1 212 555 0134"

    assert suggest_mapping(SHOPIFY, rows).columns["phone"] == "Phone"


WOOCOMMERCE = [
    "Order ID", "Order Number", "Order Date", "Status", "Shipping Total", "Shipping Tax Total",
    "Fee Total", "Tax Total", "Cart Discount", "Discount Total", "Order Total",
    "Refunded Total", "Order Currency", "Payment Method", "Shipping Method", "Customer ID",
    "Billing First Name", "Billing Last Name", "Billing Email", "Billing Phone",
    "Billing Address 1", "Billing Postcode", "Billing City", "Billing Country",
    "Customer Note", "Item #", "Item Name", "SKU", "Quantity", "Item Cost", "Coupon Code",
    "Customer IP Address", "Customer User Agent", "Transaction ID",
]  # fmt: skip

UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/122.0.0.0 Safari/537.36"
)


def test_woocommerce_orders_export() -> None:
    base = {
        "Order ID": "4711", "Order Number": "4711", "Order Date": "2024-03-01 10:14:55",
        "Status": "completed", "Shipping Total": "4.90", "Tax Total": "7.60",
        "Discount Total": "0.00", "Order Total": "47.50", "Refunded Total": "0.00",
        "Order Currency": "EUR", "Payment Method": "stripe", "Customer ID": "12",
        "Billing First Name": "Jane", "Billing Last Name": "Doe",
        "Billing Email": "jane@example.com", "Billing Phone": "+49 151 23456789",
        "Billing Postcode": "10115", "Billing City": "Berlin", "Billing Country": "DE",
        "Item #": "1", "Item Name": "Hoodie", "SKU": "HD-GRY-M", "Quantity": "1",
        "Item Cost": "42.60", "Customer IP Address": "203.0.113.7", "Customer User Agent": UA,
        "Transaction ID": "pi_3OqXYZ2eZvKYlo2C1",
    }  # fmt: skip
    second = base | {
        "Order ID": "4712", "Order Number": "4712", "Order Date": "2024-03-02 08:00:01",
        "Billing Email": "bob@example.net", "Item Name": "Cap", "SKU": "CAP-BLK",
        "Quantity": "2", "Item Cost": "9.95", "Customer IP Address": "2001:db8::1",
    }  # fmt: skip
    result = suggest_mapping(WOOCOMMERCE, table(WOOCOMMERCE, base, second))

    assert result.columns == {
        "conversion_time": "Order Date",
        "email": "Billing Email",
        "phone": "Billing Phone",
        "ip_address": "Customer IP Address",
        "user_agent": "Customer User Agent",
        "price_currency": "Order Currency",
        "value": "Order Total",
        "conversion_id": "Order Number",  # what the shop shows; here equal to Order ID
        "content_id": "SKU",
        "content_name": "Item Name",
        "content_price": "Item Cost",
        "content_num_items": "Quantity",
        "phone_country": "Billing Country",
        "refunded_value": "Refunded Total",
    }  # never "Customer Note"
    check_invariants(result, WOOCOMMERCE)
    assert "IP addresses (2 of 2)" in reason(result, "ip_address")


HUBSPOT = [
    "Record ID", "Deal Name", "Deal Stage", "Pipeline", "Amount", "Close Date", "Create Date",
    "Deal owner", "Last Activity Date", "Currency", "Amount in company currency", "Email",
    "Phone Number", "Mobile Phone Number",
]  # fmt: skip


def test_hubspot_deals_export() -> None:
    deal = {
        "Record ID": "15243365321", "Deal Name": "Acme - 50 seats", "Deal Stage": "Closed won",
        "Pipeline": "Sales Pipeline", "Amount": "12000", "Close Date": "2024-03-05 14:22",
        "Create Date": "2024-02-01 09:10", "Deal owner": "Kim Lee",
        "Last Activity Date": "2024-03-06 11:00", "Currency": "USD",
        "Amount in company currency": "12000", "Email": "buyer@acme.example",
        "Phone Number": "+1 (212) 555-0134", "Mobile Phone Number": "+1 646 555 0199",
    }  # fmt: skip
    other = deal | {"Record ID": "15243365322", "Amount": "800.50", "Email": "cfo@b.example"}
    result = suggest_mapping(HUBSPOT, table(HUBSPOT, deal, other))

    assert result.columns == {
        "conversion_time": "Close Date",
        "email": "Email",
        "phone": "Phone Number",
        "price_currency": "Currency",
        "value": "Amount",
        "conversion_id": "Record ID",
    }
    check_invariants(result, HUBSPOT)


def test_salesforce_opportunities_export() -> None:
    columns = [
        "Opportunity Name", "Account Name", "Stage", "Created Date", "Close Date",
        "Opportunity ID", "Amount", "Contact: Email", "Contact: Mobile Phone",
    ]  # fmt: skip
    row = {
        "Opportunity Name": "Renewal 2024", "Account Name": "Globex", "Stage": "Closed Won",
        "Created Date": "1/15/2024", "Close Date": "3/1/2024", "Opportunity ID": "0065g00000AbCdE",
        "Amount": "$5,400.00", "Contact: Email": "pat@globex.example",
        "Contact: Mobile Phone": "(415) 555-0101",
    }  # fmt: skip
    result = suggest_mapping(columns, table(columns, row, row | {"Amount": "$980.00"}))

    assert result.columns == {
        "conversion_time": "Close Date",
        "email": "Contact: Email",
        "phone": "Contact: Mobile Phone",
        "value": "Amount",
        "conversion_id": "Opportunity ID",
    }


def test_magento_orders_export() -> None:
    columns = [
        "Increment ID", "Purchase Date", "Bill-to Name", "Grand Total (Base)",
        "Grand Total (Purchased)", "Subtotal", "Shipping and Handling", "Total Refunded",
        "Customer Email", "Telephone", "Order Currency Code", "SKU", "Qty Ordered",
    ]  # fmt: skip
    row = [
        "000000123", "Mar 1, 2024 10:14:55 AM", "Jane Doe", "$44.80", "$44.80", "$39.90",
        "$4.90", "$0.00", "jane@example.com", "555-123-4567", "USD", "MUG-BLU", "2",
    ]  # fmt: skip
    result = suggest_mapping(columns, [row, row])

    assert result.columns == {
        "conversion_time": "Purchase Date",
        "email": "Customer Email",
        "phone": "Telephone",
        "price_currency": "Order Currency Code",
        "value": "Grand Total (Purchased)",
        "conversion_id": "Increment ID",
        "content_id": "SKU",
        "content_num_items": "Qty Ordered",
        "refunded_value": "Total Refunded",
    }


STRIPE = [
    "id", "Description", "Seller Message", "Created (UTC)", "Amount", "Amount Refunded",
    "Currency", "Converted Amount", "Converted Amount Refunded", "Fee", "Tax",
    "Converted Currency", "Status", "Statement Descriptor", "Customer ID",
    "Customer Description", "Customer Email", "Captured", "Card ID", "Card Last4",
    "Card Brand", "Card Funding", "Card Exp Month", "Card Exp Year", "Card Name",
    "Card Address Zip", "Card Issue Country", "Card Fingerprint", "Invoice ID",
    "Invoice Number", "PaymentIntent ID",
]  # fmt: skip


def test_stripe_payments_export() -> None:
    charge = {
        "id": "ch_3OqXYZ2eZvKYlo2C1a2b3c4d", "Description": "Pro plan", "Seller Message":
        "Payment complete.", "Created (UTC)": "2024-03-01 10:14:55", "Amount": "49.00",
        "Amount Refunded": "0.00", "Currency": "usd", "Converted Amount": "45.10",
        "Converted Amount Refunded": "0.00", "Fee": "1.72", "Tax": "0.00",
        "Converted Currency": "eur", "Status": "Paid", "Customer ID": "cus_PfA1b2C3d4E5f6",
        "Customer Description": "Jane Doe", "Customer Email": "jane@example.com",
        "Captured": "true", "Card ID": "card_1OqXYZ2eZvKYlo2C", "Card Last4": "4242",
        "Card Brand": "Visa", "Card Funding": "credit", "Card Exp Month": "12",
        "Card Exp Year": "2026", "Card Name": "Jane Doe", "Card Address Zip": "94107",
        "Card Issue Country": "US", "Card Fingerprint": "Xt5EWLLDS7FJjR1c",
        "PaymentIntent ID": "pi_3OqXYZ2eZvKYlo2C1",
    }  # fmt: skip
    other = charge | {"id": "ch_3OqXZZ2eZvKYlo2C0f9e8d7c", "Amount": "129.00"}
    result = suggest_mapping(STRIPE, table(STRIPE, charge, other))

    assert result.columns == {
        "conversion_time": "Created (UTC)",
        "email": "Customer Email",
        "price_currency": "Currency",
        "value": "Amount",
        "conversion_id": "id",
        "refunded_value": "Amount Refunded",
    }
    assert result.timezone == "UTC"  # from the header "Created (UTC)"
    assert "currency codes (2 of 2)" in reason(result, "price_currency")


GERMAN = [
    "Bestellnummer", "Bestelldatum", "Kunde", "E-Mail-Adresse", "Telefon", "Artikelnummer",
    "Produktname", "Menge", "Einzelpreis", "Versandkosten", "MwSt.", "Gesamtbetrag", "Währung",
    "Zahlungsart", "Lieferdatum", "Geburtsdatum",
]  # fmt: skip


def test_german_shop_export() -> None:
    row = {
        "Bestellnummer": "B-2024-0815", "Bestelldatum": "01.03.2024 14:05", "Kunde": "Erika Muster",
        "E-Mail-Adresse": "erika@beispiel.de", "Telefon": "030 1234567",
        "Artikelnummer": "4711-BL", "Produktname": "Kaffeebecher blau", "Menge": "2",
        "Einzelpreis": "19,95", "Versandkosten": "4,90", "MwSt.": "7,16",
        "Gesamtbetrag": "1.234,50", "Währung": "EUR", "Zahlungsart": "PayPal",
        "Lieferdatum": "04.03.2024", "Geburtsdatum": "12.07.1980",
    }  # fmt: skip
    other = row | {"Bestellnummer": "B-2024-0816", "Telefon": "+49 151 23456789"}
    result = suggest_mapping(GERMAN, table(GERMAN, row, other))

    assert result.columns == {
        "conversion_time": "Bestelldatum",
        "email": "E-Mail-Adresse",
        "phone": "Telefon",
        "price_currency": "Währung",
        "value": "Gesamtbetrag",
        "conversion_id": "Bestellnummer",
        "content_id": "Artikelnummer",
        "content_name": "Produktname",
        "content_price": "Einzelpreis",
        "content_num_items": "Menge",
    }


FRENCH = [
    "Numéro de commande", "Date de commande", "Nom", "Prénom", "Adresse e-mail", "Téléphone",
    "Nom du produit", "Quantité", "Prix unitaire", "Total HT", "Total TTC", "Devise",
    "Mode de livraison", "Date de livraison",
]  # fmt: skip


def test_french_shop_export() -> None:
    row = {
        "Numéro de commande": "FR100234", "Date de commande": "04/03/2024 09:30",
        "Nom": "Martin", "Prénom": "Claire", "Adresse e-mail": "claire.martin@exemple.fr",
        "Téléphone": "06 12 34 56 78", "Nom du produit": "Théière en fonte", "Quantité": "1",
        "Prix unitaire": "1 029,00", "Total HT": "857,50", "Total TTC": "1 029,00",
        "Devise": "EUR", "Mode de livraison": "Colissimo", "Date de livraison": "07/03/2024",
    }  # fmt: skip
    other = row | {"Numéro de commande": "FR100235", "Téléphone": "+33 6 98 76 54 32"}
    result = suggest_mapping(FRENCH, table(FRENCH, row, other))

    assert result.columns == {
        "conversion_time": "Date de commande",
        "email": "Adresse e-mail",
        "phone": "Téléphone",
        "price_currency": "Devise",
        "value": "Total TTC",
        "conversion_id": "Numéro de commande",
        "content_name": "Nom du produit",
        "content_price": "Prix unitaire",
        "content_num_items": "Quantité",
    }
    assert reason(result, "email").startswith('header "Adresse e-mail" is a usual name for email')


@pytest.mark.parametrize(
    ("columns", "row", "expected"),
    [
        pytest.param(
            ["Número de pedido", "Fecha", "Correo electrónico", "Teléfono", "Importe",
             "Moneda", "Cantidad"],
            ["ES-7781", "15/03/2024", "ana@ejemplo.es", "+34 612 345 678", "89,90", "EUR", "3"],
            {"conversion_id": "Número de pedido", "conversion_time": "Fecha",
             "email": "Correo electrónico", "phone": "Teléfono", "value": "Importe",
             "price_currency": "Moneda", "number_items": "Cantidad"},
            id="spanish",
        ),
        pytest.param(
            ["Numero ordine", "Data ordine", "Email", "Telefono", "Importo", "Valuta",
             "Quantità"],
            ["IT-55", "2024-03-15 11:20", "luca@esempio.it", "+39 333 123 4567", "45,00",
             "EUR", "2"],
            {"conversion_id": "Numero ordine", "conversion_time": "Data ordine",
             "email": "Email", "phone": "Telefono", "value": "Importo",
             "price_currency": "Valuta", "number_items": "Quantità"},
            id="italian",
        ),
        pytest.param(
            ["Ordernummer", "Besteldatum", "E-mailadres", "Telefoonnummer", "Bedrag",
             "Valuta", "Aantal"],
            ["NL-1203", "15-03-2024 16:45", "sanne@voorbeeld.nl", "06-12345678", "€ 74,95",
             "EUR", "4"],
            {"conversion_id": "Ordernummer", "conversion_time": "Besteldatum",
             "email": "E-mailadres", "phone": "Telefoonnummer", "value": "Bedrag",
             "price_currency": "Valuta", "number_items": "Aantal"},
            id="dutch",
        ),
        pytest.param(
            ["Número do pedido", "Data do pedido", "E-mail", "Telefone", "Valor", "Moeda",
             "Quantidade"],
            ["BR-90210", "15/03/2024 08:05", "joao@exemplo.com.br", "+55 11 91234-5678",
             "R$ 199,90", "BRL", "1"],
            {"conversion_id": "Número do pedido", "conversion_time": "Data do pedido",
             "email": "E-mail", "phone": "Telefone", "value": "Valor",
             "price_currency": "Moeda", "number_items": "Quantidade"},
            id="portuguese",
        ),
    ],
)  # fmt: skip
def test_other_languages(columns: list[str], row: list[Cell], expected: dict[str, str]) -> None:
    result = suggest_mapping(columns, [row, row])

    assert result.columns == expected


CALL_CENTRE = [
    "Call ID", "Call Date", "Duration", "Call Time", "Caller Number", "Called Number", "Agent",
    "Disposition", "Campaign", "Sale Value", "Currency",
]  # fmt: skip


def test_call_centre_export_with_separate_date_and_time() -> None:
    call = {
        "Call ID": "C-88231", "Call Date": "2024-03-04", "Duration": "00:04:12",
        "Call Time": "14:32:10", "Caller Number": "+1 (415) 555-0134",
        "Called Number": "+1 800 555 0199", "Agent": "Sam", "Disposition": "Sale",
        "Campaign": "Spring TV", "Sale Value": "129.00", "Currency": "USD",
    }  # fmt: skip
    other = call | {"Call ID": "C-88232", "Caller Number": "+1 646 555 0100"}
    result = suggest_mapping(CALL_CENTRE, table(CALL_CENTRE, call, other))

    assert result.columns == {
        "conversion_time": "Call Date",
        "phone": "Caller Number",
        "price_currency": "Currency",
        "value": "Sale Value",
        "conversion_id": "Call ID",
        "time_of_day": "Call Time",
    }
    assert 'separate column "Call Time"' in reason(result, "conversion_time")


def test_no_time_note_when_the_date_column_has_times() -> None:
    columns = ["Call Date", "Call Time", "Caller Number"]
    rows = [["2024-03-04 14:32", "14:32", "+1 415 555 0134"]] * 2
    result = suggest_mapping(columns, rows)

    assert result.columns["conversion_time"] == "Call Date"
    assert "separate" not in reason(result, "conversion_time")


def test_unhelpful_headers_are_mapped_by_their_values() -> None:
    columns = ["Column A", "Column B", "Column C", "Column D", "Column E"]
    rows = [
        ["ann@example.com", "+44 20 7946 0958", "2024-03-01T10:00:00Z", "19.99", 4155550123],
        ["bo@example.org", "(212) 555-0134", "2024-03-02T11:30:00Z", "5.00", 4155550124],
        ["cy@example.net", "+1-202-555-0143", "2024-03-02T12:45:10Z", "120.50", 4155550125],
        [None, "030 1234567", "2024-03-03T08:00:00Z", "7.25", 4155550126],
    ]
    result = suggest_mapping(columns, rows)

    assert result.columns == {
        "conversion_time": "Column C",
        "email": "Column A",
        "phone": "Column B",
        "value": "Column D",
    }
    assert reason(result, "email").startswith("values look like email addresses (3 of 3)")
    assert reason(result, "phone").startswith("values look like phone numbers (4 of 4)")


def test_a_column_of_integers_is_not_a_phone_number() -> None:
    columns = ["Customer number", "Ref"]
    rows = [[4155550123 + i, str(9_001_234_567 + i)] for i in range(5)]

    assert suggest_mapping(columns, rows).columns == {}


SHA_A = "e586883b2b4faf78d48300a79e0e15138d664cdf796ffb86e533170a9893eda8"
SHA_B = "5806dc6b2f04fb728708a8f7b81c14edcd4fba36f77914cf0c9368d9a3a25f76"
SHA_P = "1fa6b8d986d9b9cd01bf36951815158bbde9f520c0567c835dfe34783d0a4231"


def test_sha256_columns_named_hashed_email_and_hashed_phone_number() -> None:
    columns = ["conversion_time", "hashed_email", "hashed_phone_number", "event_id"]
    rows = [
        ["2024-03-01T10:00:00.000Z", SHA_A, SHA_P, "o87ne"],
        ["2024-03-01T11:00:00.000Z", SHA_B.upper(), SHA_P, "o87ne"],
    ]
    result = suggest_mapping(columns, rows)

    assert result.columns == {
        "conversion_time": "conversion_time",
        "event_id": "event_id",
        "email": "hashed_email",
        "phone": "hashed_phone_number",
    }
    assert "SHA-256 hashes (2 of 2)" in reason(result, "email")
    assert "SHA-256 hashes (2 of 2)" in reason(result, "phone")


def test_sha256_column_without_a_hint_in_its_header_is_taken_for_email() -> None:
    columns = ["Order Date", "customer_key"]
    rows = [["2024-03-01", SHA_A], ["2024-03-02", SHA_B]]
    result = suggest_mapping(columns, rows)

    assert result.columns == {"conversion_time": "Order Date", "email": "customer_key"}
    assert reason(result, "email").startswith("values look like SHA-256 hashes (2 of 2)")


def test_a_column_named_email_holding_dates_is_not_the_email() -> None:
    columns = ["Order ID", "Email", "Contact", "Order Date"]
    rows = [
        ["1001", "2024-03-01", "ann@example.com", "2024-03-01 10:00"],
        ["1002", "2024-03-02", "bo@example.org", "2024-03-02 11:00"],
        ["1003", "2024-03-05", "cy@example.net", "2024-03-05 09:30"],
    ]
    result = suggest_mapping(columns, rows)

    assert result.columns == {
        "conversion_time": "Order Date",
        "email": "Contact",
        "conversion_id": "Order ID",
    }
    assert reason(result, "email").startswith("values look like email addresses (3 of 3)")


def test_plain_email_wins_over_billing_email_whatever_the_column_order() -> None:
    columns = ["Billing Email", "Email"]
    rows = [["a@example.com", "b@example.com"]] * 2

    assert suggest_mapping(columns, rows).columns == {"email": "Email"}


def test_total_wins_over_subtotal_and_order_id_over_order_date() -> None:
    columns = ["Order Date", "Order ID", "Subtotal", "Shipping", "Total", "Updated at"]
    rows = [["2024-03-01", "A-1", "10.00", "4.90", "14.90", "2024-03-09"]] * 2
    result = suggest_mapping(columns, rows)

    assert result.columns == {
        "conversion_time": "Order Date",
        "value": "Total",
        "conversion_id": "Order ID",
    }


def test_created_date_is_preferred_over_updated_shipped_and_birthday() -> None:
    columns = ["Updated at", "Shipped at", "Birthday", "Date of birth", "Purchase Date"]
    rows = [["2024-03-09", "2024-03-03", "1980-07-12", "1980-07-12", "2024-03-01"]] * 2

    assert suggest_mapping(columns, rows).columns == {"conversion_time": "Purchase Date"}
    assert suggest_mapping(columns[:4], rows).columns == {}


def test_quantity_is_number_items_without_product_columns() -> None:
    for name in ("Quantity", "Qty", "Lineitem quantity"):
        columns = ["Transaction ID", "Timestamp", name, "Revenue"]
        rows = [["T-1", "2024-03-01 10:00:00", "3", "30.00"]] * 2
        result = suggest_mapping(columns, rows)

        assert result.columns == {
            "conversion_time": "Timestamp",
            "number_items": name,
            "value": "Revenue",
            "conversion_id": "Transaction ID",
        }, name


def test_plain_quantity_stays_number_items_beside_a_line_item_quantity() -> None:
    columns = ["Order ID", "Quantity", "Product Name", "Product ID", "Item Quantity", "Price"]
    rows = [["1", "3", "Mug", "MUG-1", "2", "9.90"]] * 2

    assert suggest_mapping(columns, rows).columns == {
        "number_items": "Quantity",
        "value": "Price",
        "conversion_id": "Order ID",
        "content_id": "Product ID",
        "content_name": "Product Name",
        "content_num_items": "Item Quantity",
    }


def test_landing_page_url_is_twclid_only_when_it_holds_twclid() -> None:
    columns = ["Landing page URL", "Email", "Created at"]
    with_click = "https://shop.example/spring?utm_source=x&twclid=2-7bq6p1ff8k1gd0opz1jcm0kss"
    without = "https://shop.example/spring?utm_source=newsletter"
    rows = [[with_click, "a@example.com", "2024-03-01 10:00"]] * 3

    result = suggest_mapping(columns, rows)
    assert result.columns["twclid"] == "Landing page URL"
    assert "twclid=" in reason(result, "twclid")

    rows = [[without, "a@example.com", "2024-03-01 10:00"]] * 3
    assert "twclid" not in suggest_mapping(columns, rows).columns


def test_unnamed_columns_with_ip_user_agent_and_click_urls_are_found() -> None:
    columns = ["Field 1", "Field 2", "Field 3", "Field 4"]
    url = "https://shop.example/?twclid=2-7bq6p1ff8k1gd0opz1jcm0kss"
    rows = [["198.51.100.4", UA, url, "ann@example.com"], ["2001:db8::2", UA, url, None]]
    result = suggest_mapping(columns, rows)

    assert result.columns == {
        "twclid": "Field 3",
        "ip_address": "Field 1",
        "user_agent": "Field 2",
    }  # one email value is too few to go on
    assert reason(result, "user_agent") == "values look like browser user agents (2 of 2)"


def test_event_id_only_from_a_column_named_like_event_id() -> None:
    rows = [["o87ne", "2024-03-01 10:00"]] * 2

    assert suggest_mapping(["Event ID", "Date"], rows).columns == {
        "event_id": "Event ID",
        "conversion_time": "Date",
    }
    for name in ("Event", "Event Name", "ID", "Code"):
        assert "event_id" not in suggest_mapping([name, "Date"], rows).columns, name


@pytest.mark.parametrize(
    "header",
    ["E-Mail-Adresse", "email_address", "EmailAddress", "E-MAIL", "Work Email", "shipping_email",
     "Courriel", "mail"],
)  # fmt: skip
def test_email_header_spellings(header: str) -> None:
    result = suggest_mapping([header], [["ann@example.com"], ["bo@example.org"]])

    assert result.columns == {"email": header}
    assert f'header "{header}"' in reason(result, "email")


def test_workbook_cells_are_judged_by_their_type() -> None:
    columns = ["Datum", "Uhrzeit", "Telefon", "Kundennummer", "Betrag", "Anzahl"]
    rows: list[list[Cell]] = [
        [date(2024, 3, 1), time(14, 5), 4915112345678, 1234567, 19.9, 2],
        [datetime(2024, 3, 2), time(9, 30), 493012345678, 1234568, 120.0, 1],
    ]
    result = suggest_mapping(columns, rows)

    assert result.columns == {
        "conversion_time": "Datum",
        "phone": "Telefon",
        "number_items": "Anzahl",
        "value": "Betrag",
        "time_of_day": "Uhrzeit",
    }
    assert 'separate column "Uhrzeit"' in reason(result, "conversion_time")


def test_header_reasons_and_value_reasons_agree_with_the_sample() -> None:
    columns = ["Order Number", "Order Date", "Grand Total", "Currency Code", "Mobile"]
    rows = [
        ["100000123", "2024-03-01 10:00:00", "$1,234.50", "USD", "+1 415 555 0134"],
        ["100000124", "2024-03-01 12:00:00", "$99.00", "usd", None],
        ["100000125", "not a date", "$10.00", "XYZ", None],
    ]
    result = suggest_mapping(columns, rows)

    assert result.columns == {
        "conversion_time": "Order Date",
        "phone": "Mobile",
        "price_currency": "Currency Code",
        "value": "Grand Total",
        "conversion_id": "Order Number",
    }
    assert "dates and times (2 of 3)" in reason(result, "conversion_time")
    assert "currency codes (2 of 3)" in reason(result, "price_currency")
    assert "phone numbers (1 of 1)" in reason(result, "phone")
