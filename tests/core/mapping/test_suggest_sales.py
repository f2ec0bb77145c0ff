"""suggest_mapping: only real sales, the right ids, phones in their country, no foreign clicks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from twconv_gui.core.mapping.filters import first_leaving_out
from twconv_gui.core.mapping.suggest import MappingSuggestion, suggest_mapping
from twconv_gui.core.normalize.zones import local_zone_name
from twconv_gui.core.reading.table import Cell


def table(columns: Sequence[str], *records: Mapping[str, Cell]) -> list[list[Cell]]:
    return [[r.get(c) for c in columns] for r in records]


def left_out(result: MappingSuggestion, columns: Sequence[str], row: Sequence[Cell]) -> bool:
    filters = [f.row_filter for f in result.filters]
    cells = [[row[columns.index(f.column)] for f in filters]]
    return first_leaving_out(filters, cells) is not None


SHOP = [
    "Name", "Email", "Financial Status", "Created at", "Total", "Billing Phone",
    "Billing Country", "Shipping Phone", "Shipping Country", "Refunded Amount", "Notes",
]  # fmt: skip


def shop_rows() -> list[list[Cell]]:
    rows = []
    for i in range(61):
        rows.append({
            "Name": f"#{1001 + i}", "Email": f"c{i}@example.com", "Financial Status": "paid",
            "Created at": "2024-03-05 14:22:10 -0500", "Total": "54.50",
            "Shipping Phone": "(212) 555-0101" if i % 2 else "07911 123456",
            "Shipping Country": "US" if i % 2 else "GB", "Billing Country": "US",
            "Refunded Amount": "0.00", "Notes": "Please leave it at the door, thanks a lot!",
        })  # fmt: skip
    rows[0]["Billing Phone"] = "(212) 555-0199"
    rows[1]["Shipping Phone"] = None
    rows[2]["Financial Status"] = "refunded"
    rows[3]["Financial Status"] = "pending"
    return table(SHOP, *rows)


def test_the_phone_column_filled_most_often_with_valid_numbers_wins() -> None:
    result = suggest_mapping(SHOP, shop_rows())

    assert result.columns["phone"] == "Shipping Phone"  # 60 of 61 beat Billing Phone's 1
    assert result.fallbacks["phone"] == ["Billing Phone"]
    # The country of the same address as the phone: a GB number is read in GB.
    assert result.columns["phone_country"] == "Shipping Country"


def test_mobile_phone_rarely_filled_loses_to_phone_number() -> None:
    columns = ["Record ID", "Phone Number", "Mobile Phone Number", "Close Date"]
    rows = [[str(100 + i), f"+1 212 555 01{i % 90:02d}", None, "2024-03-05"] for i in range(80)]
    for i in range(4):
        rows[i][2] = "+1 646 555 0199"
    result = suggest_mapping(columns, rows)

    assert result.columns["phone"] == "Phone Number"
    assert result.fallbacks["phone"] == ["Mobile Phone Number"]


def test_national_phones_without_a_country_column_get_a_note_and_no_region() -> None:
    columns = ["Order ID", "Phone", "Order Date"]
    rows = [["A1", "030 1234567", "2024-03-05 10:00"], ["A2", "0151 23456789", "2024-03-06 10:00"]]
    result = suggest_mapping(columns, rows)

    assert "phone_country" not in result.columns
    assert any("phones without +country code cannot be used" in n for n in result.notes)


def test_free_text_is_never_a_description_and_notes_say_the_time_zone() -> None:
    result = suggest_mapping(SHOP, shop_rows())

    assert "Notes" not in result.columns.values()
    assert "description" not in result.columns
    assert result.timezone is None  # the times carry their offset
    assert not any("computer's zone" in n for n in result.notes)


def test_a_description_column_is_sent_only_when_the_user_maps_it() -> None:
    columns = ["id", "Description", "Created (UTC)", "Amount", "Customer Email"]
    rows = table(
        columns,
        *(
            {"id": f"ch_{i}", "Description": f"Order for Jane Doe, 555-01{i:02d}",
             "Created (UTC)": "2024-03-05 14:22:10", "Amount": "12.50",
             "Customer Email": f"c{i}@example.com"}
            for i in range(20)
        ),
    )  # fmt: skip
    assert "description" not in suggest_mapping(columns, rows).columns


def test_shopify_filters_leave_out_refunded_and_pending_orders() -> None:
    rows = shop_rows()
    result = suggest_mapping(SHOP, rows)

    assert [left_out(result, SHOP, r) for r in rows[:5]] == [False, False, True, True, False]
    assert result.columns["refunded_value"] == "Refunded Amount"
    assert any("Financial Status" in n and "left out" in n for n in result.notes)


def test_any_status_column_drops_exactly_the_no_sale_values_seen() -> None:
    columns = ["Auftragsnummer", "Datum", "E-Mail", "Summe", "Zahlungsstatus"]
    statuses = ["Bezahlt", "Storniert", "Fehlgeschlagen", "Bezahlt", "Teilweise erstattet"]
    rows = [
        [f"B-{i}", "05.03.2024 14:22", f"k{i}@beispiel.de", "10,00", s]
        for i, s in enumerate(statuses)
    ]
    result = suggest_mapping(columns, rows)

    (only,) = result.filters
    assert only.row_filter.to_dict() == {
        "column": "Zahlungsstatus",
        "drop": ["Storniert", "Fehlgeschlagen"],
    }
    assert [left_out(result, columns, r) for r in rows] == [False, True, True, False, False]


PAYPAL = ["Date", "Time", "TimeZone", "Name", "Type", "Status", "Currency", "Gross", "Fee",
          "Net", "From Email Address", "To Email Address", "Transaction ID",
          "Contact Phone Number", "Balance Impact", "Balance"]  # fmt: skip


def paypal_rows() -> list[list[Cell]]:
    base = {
        "Date": "03/05/2024", "Time": "14:22:10", "TimeZone": "PST", "Name": "Ana Souza",
        "Type": "Express Checkout Payment", "Status": "Completed", "Currency": "USD",
        "Gross": "54.50", "Fee": "-1.88", "Net": "52.62", "From Email Address": "ana@example.com",
        "To Email Address": "shop@example.com", "Transaction ID": "5TY05013RG002845M",
        "Balance Impact": "Credit", "Balance": "1,200.00",
    }  # fmt: skip
    refund = base | {"Type": "Payment Refund", "Gross": "-54.50", "Balance Impact": "Debit",
                     "Transaction ID": "8AB12345CD678901E", "Name": "Ana Souza"}  # fmt: skip
    pending = base | {"Status": "Pending", "Transaction ID": "9XY12345CD678901F", "Name": "Bo"}
    other = base | {"Transaction ID": "1QW12345CD678901G", "Name": "Cy Doe", "Gross": "12.00"}
    return table(PAYPAL, base, refund, pending, other)


def test_paypal_activity_download() -> None:
    rows = paypal_rows()
    result = suggest_mapping(PAYPAL, rows)

    assert result.export == "PayPal activity download"
    assert result.columns["conversion_id"] == "Transaction ID"  # never the payer's Name
    assert result.columns["value"] == "Gross"  # not Net, Fee or Balance
    assert result.columns["email"] == "From Email Address"  # never the shop's own address
    assert result.columns["conversion_time"] == "Date"
    assert result.columns["time_of_day"] == "Time"
    assert result.columns["time_zone"] == "TimeZone"
    assert [left_out(result, PAYPAL, r) for r in rows] == [False, True, True, False]
    assert result.group_by_conversion_id is False


def test_foreign_click_ids_are_never_the_twclid() -> None:
    columns = ["Order ID", "Created", "Google Click ID", "Click ID", "Landing Site", "fbclid"]
    gclid = "Cj0KCQiA2eKtBhDcARIsAEGTG42xExAmPlEclick4aBcDeFgHiJkLmNoPq_BwE"
    rows = [
        [f"O-{i}", "2024-03-05T19:22:10Z", gclid, gclid, "/products/mug?utm_source=x",
         "IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk"]
        for i in range(3)
    ]  # fmt: skip
    result = suggest_mapping(columns, rows)

    assert "twclid" not in result.columns
    assert any('"Google Click ID" holds a Google Ads click id' in n for n in result.notes)

    rows[0][4] = "/products/mug?twclid=2-7dk4g0d8nsxkl3q0x1cz9m2pa"
    assert suggest_mapping(columns, rows).columns["twclid"] == "Landing Site"


def test_stripe_zone_from_header_and_meta_unix_times() -> None:
    columns = ["id", "Created date (UTC)", "Amount", "Status", "Customer Email"]
    rows = [["ch_3Oq1", "2024-03-05 19:22", "54.50", "Paid", "a@example.com"]] * 2
    assert suggest_mapping(columns, rows).timezone == "UTC"

    meta = ["email", "phone", "country", "event_name", "event_time", "value", "currency"]
    rows = [["a@example.com", "2125550101", "US", "Purchase", "1709666530", "54.50", "USD"],
            ["b@example.com", "07911123456", "GB", "Lead", "1709670000", "0", "USD"]]  # fmt: skip
    result = suggest_mapping(meta, rows)
    assert result.columns["conversion_time"] == "event_time"
    assert result.columns["phone_country"] == "country"
    assert [left_out(result, meta, r) for r in rows] == [False, True]


def test_times_without_zone_say_the_computers_zone() -> None:
    result = suggest_mapping(
        ["Order ID", "Order Date", "Email"], [["1", "2024-03-05 10:00", "a@b.co"]] * 2
    )

    assert result.timezone is None
    assert any(local_zone_name() in n and "carry no time zone" in n for n in result.notes)


def test_crm_revenue_and_balance_are_never_the_sale_value() -> None:
    columns = ["Opportunity ID", "Annual Revenue", "Lifetime Value", "Balance", "Close Date"]
    rows = [["0065g00000Zq1Aa", "5000000", "1200.00", "300.00", "2024-03-05"]] * 2

    assert "value" not in suggest_mapping(columns, rows).columns


def test_repeated_transaction_ids_are_noted_and_not_grouped() -> None:
    columns = ["Transaction ID", "Date", "Email", "Amount"]
    rows = [["T-1", "2024-03-05 10:00", "a@example.com", "5.00"]] * 3
    result = suggest_mapping(columns, rows)

    assert result.group_by_conversion_id is False
    assert any('"Transaction ID" repeats on 3 of 3' in n for n in result.notes)
