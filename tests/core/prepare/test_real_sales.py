"""Only real sales leave, each with the right identifiers: filters, refunds, several source
columns, a phone's own country, the ip + user agent pair, currencies and rounding."""

import csv
import hashlib
import os

import pytest

from twconv_gui.core.errors import MappingError
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.prepare.preparation import Preparation
from twconv_gui.core.prepare.reports import write_rejected_rows
from twconv_gui.core.prepare.row_filters import count_left_out
from twconv_gui.core.reading.opening import open_table


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def prepare(path, workers=1, **profile):
    profile.setdefault("constants", {"event_id": "o87ne"})
    preparation = Preparation(open_table(path), MappingProfile.from_dict(profile), workers=workers)
    return list(preparation), preparation.summary


def sent(results):
    return [r.event for r in results if r.event is not None]


STRIPE = (
    ["id", "Created (UTC)", "Amount", "Amount Refunded", "Currency", "Status", "Customer Email"],
    [
        ["ch_1", "2024-03-05 14:22:10", "50.00", "0.00", "usd", "Paid", "a@example.com"],
        ["ch_2", "2024-03-05 15:00:00", "20.00", "0.00", "usd", "Failed", "b@example.com"],
        ["ch_3", "2024-03-06 09:10:00", "80.00", "30.00", "usd", "Paid", "c@example.com"],
        ["ch_4", "2024-03-06 10:00:00", "12.00", "12.00", "usd", "Refunded", "d@example.com"],
        ["ch_5", "2024-03-06 11:00:00", "40.00", "40.00", "usd", "Paid", "e@example.com"],
    ],
)
STRIPE_MAPPING = {
    "columns": {
        "conversion_id": "id",
        "conversion_time": "Created (UTC)",
        "value": "Amount",
        "refunded_value": "Amount Refunded",
        "price_currency": "Currency",
        "email": "Customer Email",
    },
    "timezone": "UTC",
    "filters": [{"column": "Status", "drop": ["Failed", "Refunded"]}],
}


@pytest.mark.parametrize("workers", [1, 2])
def test_failed_and_refunded_payments_are_left_out_and_partial_refunds_send_the_net(
    export, workers
):
    results, summary = prepare(export(*STRIPE), workers=workers, **STRIPE_MAPPING)
    events = sent(results)
    assert [e["conversion_id"] for e in events] == ["ch_1", "ch_3"]
    assert [e["value"] for e in events] == [50.0, 50.0]  # 80 paid, 30 refunded
    assert summary.rows_left_out == 3
    assert summary.rows_rejected == 0
    assert summary.left_out == {
        "Status is Failed or Refunded": 2,
        "the sale was refunded in full": 1,
    }


def test_encoded_chunks_count_left_out_rows_apart_from_rejected_ones(export):
    path = export(*STRIPE)
    preparation = Preparation(
        open_table(path),
        MappingProfile.from_dict({**STRIPE_MAPPING, "constants": {"event_id": "o87ne"}}),
        workers=1,
    )
    payloads = [e.payload for e in preparation.encoded() if e.payload is not None]
    assert len(payloads) == 2
    assert preparation.summary.rows_left_out == 3
    assert preparation.summary.rows_rejected == 0
    assert preparation.summary.rows_ready == 2


def test_keep_filters_and_the_counts_the_map_step_shows(export):
    path = export(
        ["Order", "Date", "Email", "Captured", "Gross"],
        [
            ["1", "2024-03-05 10:00", "a@example.com", "true", "10"],
            ["2", "2024-03-05 10:00", "b@example.com", "false", "10"],
            ["3", "2024-03-05 10:00", "c@example.com", "TRUE", "-5"],
            ["4", "2024-03-05 10:00", "d@example.com", "", "7"],
        ],
    )
    mapping = {
        "columns": {"conversion_id": "Order", "conversion_time": "Date", "email": "Email"},
        "timezone": "UTC",
        "filters": [
            {"column": "Captured", "keep": ["true"]},
            {"column": "Gross", "keep": "above-zero"},
        ],
    }
    results, summary = prepare(path, **mapping)
    assert [e["conversion_id"] for e in sent(results)] == ["1"]
    assert summary.left_out == {"Captured is not true": 2, "Gross is not above zero": 1}
    profile = MappingProfile.from_dict({**mapping, "constants": {"event_id": "o87ne"}})
    assert count_left_out(open_table(path), profile) == [2, 1]


def test_a_grouped_order_is_left_out_when_its_first_line_says_refunded(export):
    # Shopify writes order-level columns (Financial Status, Total) on the first line item only.
    path = export(
        ["Name", "Email", "Financial Status", "Created at", "Total", "Lineitem name"],
        [
            ["#1001", "a@example.com", "paid", "2024-03-05 14:22:10 -0500", "30.00", "Mug"],
            ["#1001", "a@example.com", "", "", "", "Cup"],
            ["#1002", "b@example.com", "refunded", "2024-03-06 10:00:00 -0500", "9.00", "Mug"],
            ["#1002", "b@example.com", "", "", "", "Tea"],
        ],
    )
    results, summary = prepare(
        path,
        columns={
            "conversion_id": "Name",
            "email": "Email",
            "conversion_time": "Created at",
            "value": "Total",
            "content_name": "Lineitem name",
        },
        group_by_conversion_id=True,
        filters=[{"column": "Financial Status", "keep": ["paid", "partially_refunded"]}],
    )
    [event] = sent(results)
    assert event["conversion_id"] == "#1001"
    assert event["conversion_time"] == "2024-03-05T19:22:10.000Z"
    assert summary.rows_left_out == 2
    assert summary.left_out == {'"Financial Status" is not paid or partially_refunded': 2}
    # The Map step counts as the preparation judges: the items of a paid order stay.
    profile = MappingProfile.from_dict(
        {
            "columns": {"conversion_id": "Name", "email": "Email"},
            "group_by_conversion_id": True,
            "filters": [{"column": "Financial Status", "keep": ["paid", "partially_refunded"]}],
        }
    )
    assert count_left_out(open_table(path), profile) == [2]


def test_the_map_steps_count_reads_order_ids_as_the_preparation_does(export):
    # An order id that went through Excel on some lines: 1001 and 1001.0 are one order.
    path = export(
        ["Order", "Email", "Status", "Created at", "Total"],
        [
            ["1001", "a@example.com", "paid", "2024-03-05 14:22:10", "30.00"],
            ["1001.0", "a@example.com", "", "", ""],
            ["1002", "b@example.com", "refunded", "2024-03-06 10:00:00", "9.00"],
        ],
    )
    mapping = {
        "columns": {"conversion_id": "Order", "email": "Email", "conversion_time": "Created at"},
        "group_by_conversion_id": True,
        "filters": [{"column": "Status", "keep": ["paid"]}],
    }
    results, summary = prepare(path, **mapping)
    assert [r.rows for r in results] == [(2, 3), (4,)]
    assert summary.rows_left_out == 1
    assert count_left_out(open_table(path), MappingProfile.from_dict(mapping)) == [1]


def test_the_first_filled_column_of_several_feeds_the_field(export):
    path = export(
        ["Id", "Date", "Billing Phone", "Shipping Phone", "Email"],
        [
            ["1", "2024-03-05 10:00", "", "+1 202 555 0143", ""],
            ["2", "2024-03-05 10:00", "+44 20 7946 0958", "+1 202 555 0143", ""],
            ["3", "2024-03-05 10:00", "", "", "c@example.com"],
        ],
    )
    results, _ = prepare(
        path,
        columns={
            "conversion_id": "Id",
            "conversion_time": "Date",
            "phone": ["Billing Phone", "Shipping Phone"],
            "email": "Email",
        },
        timezone="UTC",
    )
    events = sent(results)
    assert events[0]["identifiers"] == [{"hashed_phone_number": sha("+12025550143")}]
    assert events[1]["identifiers"] == [{"hashed_phone_number": sha("+442079460958")}]
    assert events[2]["identifiers"] == [{"hashed_email": sha("c@example.com")}]
    saved = MappingProfile.from_dict(
        {"columns": {"phone": ["Billing Phone", "Shipping Phone"]}}
    ).to_dict()
    assert saved["columns"] == {"phone": ["Billing Phone", "Shipping Phone"]}


def test_each_phone_is_read_in_its_own_rows_country(export):
    path = export(
        ["Order", "Date", "Phone", "Billing Country"],
        [
            ["1", "2024-03-05 10:00", "0300 1234567", "PK"],
            ["2", "2024-03-05 10:00", "030 1234567", "Deutschland"],
            ["3", "2024-03-05 10:00", "(202) 555-0143", "United States"],
            ["4", "2024-03-05 10:00", "3001234567", ""],
        ],
    )
    results, summary = prepare(
        path,
        columns={
            "conversion_id": "Order",
            "conversion_time": "Date",
            "phone": "Phone",
            "phone_country": "Billing Country",
        },
        timezone="UTC",
    )
    hashes = [r.event["identifiers"][0]["hashed_phone_number"] for r in results[:3]]
    assert hashes == [sha("+923001234567"), sha("+49301234567"), sha("+12025550143")]
    # No country for the row and no fixed region: the number is not guessed into a country.
    assert results[3].event is None
    [problem] = [p for p in summary.problems if p.row == 5]
    assert "country" in problem.message


def test_ip_address_with_user_agent_alone_is_sent_and_a_lone_ip_travels_beside_an_email(export):
    path = export(
        ["Id", "Date", "Email", "IP", "UA"],
        [
            ["1", "2024-03-05 10:00", "", "203.0.113.7", "Mozilla/5.0"],
            ["2", "2024-03-05 10:00", "b@example.com", "203.0.113.8", ""],
            ["3", "2024-03-05 10:00", "", "203.0.113.9", ""],
        ],
    )
    results, _ = prepare(
        path,
        columns={
            "conversion_id": "Id",
            "conversion_time": "Date",
            "email": "Email",
            "ip_address": "IP",
            "user_agent": "UA",
        },
        timezone="UTC",
    )
    assert results[0].event["identifiers"] == [
        {"ip_address": "203.0.113.7", "user_agent": "Mozilla/5.0"}
    ]
    assert results[1].event["identifiers"] == [
        {"hashed_email": sha("b@example.com")},
        {"ip_address": "203.0.113.8"},
    ]
    assert results[2].event is None
    assert "only identifier" in results[2].problems[0].message


def test_a_mapping_of_ip_and_user_agent_only_is_complete():
    profile = MappingProfile.from_dict(
        {
            "columns": {"conversion_time": "Date", "ip_address": "IP", "user_agent": "UA"},
            "constants": {"event_id": "o87ne"},
        }
    )
    profile.check_complete()
    lone = MappingProfile.from_dict(
        {"columns": {"conversion_time": "Date", "ip_address": "IP"}, "constants": {"event_id": "o"}}
    )
    with pytest.raises(MappingError, match="ip_address alone"):
        lone.check_complete()


def test_a_value_without_currency_is_warned_as_dollars_and_sums_are_rounded(export):
    path = export(
        ["Order", "Date", "Email", "Price", "Currency"],
        [
            ["A", "2024-03-05 10:00", "a@example.com", "0.1", ""],
            ["A", "2024-03-05 10:00", "a@example.com", "0.2", ""],
            ["B", "2024-03-05 10:00", "b@example.com", "1000", "JPY"],
            ["B", "2024-03-05 10:00", "b@example.com", "0.4", "JPY"],
        ],
    )
    results, _ = prepare(
        path,
        columns={
            "conversion_id": "Order",
            "conversion_time": "Date",
            "email": "Email",
            "value": "Price",
            "price_currency": "Currency",
        },
        group_by_conversion_id=True,
        timezone="UTC",
    )
    assert results[0].event["value"] == 0.3
    assert any("US dollars" in p.message for p in results[0].problems)
    assert results[1].event["value"] == 1000  # yen have no minor unit
    assert not any("US dollars" in p.message for p in results[1].problems)


def test_a_file_without_currency_column_gets_one_note_not_a_warning_a_row(export):
    path = export(
        ["Order", "Date", "Email", "Total"],
        [
            ["A", "2024-03-05 10:00", "a@example.com", "10"],
            ["B", "2024-03-05 10:00", "b@x.org", "5"],
        ],
    )
    results, summary = prepare(
        path,
        columns={
            "conversion_id": "Order",
            "conversion_time": "Date",
            "email": "Email",
            "value": "Total",
        },
        timezone="UTC",
    )
    assert all(not r.problems for r in results)
    [note] = [n for n in summary.column_notes if "US dollars" in n]
    assert note.startswith('Column "Total" has values but no currency column is mapped')


def test_rejected_rows_report_names_each_rows_conversion_id(export, tmp_path):
    path = export(
        ["Order", "Date", "Email"],
        [["A-1", "2024-03-05 10:00", "not an email"], ["A-2", "2024-03-05 10:00", "a@x.org"]],
    )
    _, summary = prepare(
        path,
        columns={"conversion_id": "Order", "conversion_time": "Date", "email": "Email"},
        timezone="UTC",
    )
    csv_path, _ = write_rejected_rows(summary.problems, tmp_path / "reports")
    with csv_path.open(encoding="utf-8-sig") as handle:
        lines = list(csv.reader(handle))
    assert lines[0][:2] == ["Source row", "Conversion id"]
    assert lines[1][:2] == ["2", "A-1"]


def test_repeated_payment_ids_do_not_advise_grouping(export):
    path = export(
        ["Transaction ID", "Date", "Email"],
        [["T1", "2024-03-05 10:00", "a@x.org"], ["T1", "2024-03-05 11:00", "b@x.org"]],
    )
    _, summary = prepare(
        path,
        columns={"conversion_id": "Transaction ID", "conversion_time": "Date", "email": "Email"},
        timezone="UTC",
    )
    [warning] = summary.problems
    assert "grouping" not in warning.message
    assert "separate payments must not share an id" in warning.message


def test_times_without_a_zone_are_read_in_the_computers_zone_and_it_is_said(export, monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    path = export(["Id", "Date", "Email"], [["1", "2024-03-05 10:00", "a@x.org"]])
    results, summary = prepare(
        path, columns={"conversion_id": "Id", "conversion_time": "Date", "email": "Email"}
    )
    assert results[0].event["conversion_time"] == "2024-03-05T15:00:00.000Z"
    assert any("America/New_York" in note for note in summary.column_notes)
    assert os.environ["TZ"] == "America/New_York"


def test_date_time_and_zone_columns_make_one_utc_time(export):
    # PayPal's activity download: Date, Time and TimeZone in three columns.
    path = export(
        ["Date", "Time", "TimeZone", "Name", "Transaction ID", "From Email Address"],
        [
            ["2/1/2020", "11:05:56", "Europe/Berlin", "Ana Lopez", "9AB1", "ana@example.com"],
            ["2/13/2020", "23:10:00", "PST", "Bo Chen", "9AB2", "bo@example.com"],
            ["7/13/2020", "08:00:00", "Mars/Olympus", "Cy Dunn", "9AB3", "cy@example.com"],
        ],
    )
    results, summary = prepare(
        path,
        columns={
            "conversion_time": "Date",
            "time_of_day": "Time",
            "time_zone": "TimeZone",
            "conversion_id": "Transaction ID",
            "email": "From Email Address",
        },
    )
    assert results[0].event["conversion_time"] == "2020-02-01T10:05:56.000Z"
    assert results[1].event["conversion_time"] == "2020-02-14T07:10:00.000Z"
    assert results[2].event is None
    assert "time zone is not one we know" in results[2].problems[0].message
    # The zone comes from the rows: no note about the computer's zone.
    assert not any("this computer" in note for note in summary.column_notes)


def test_a_national_phone_is_read_in_the_first_of_the_rows_countries_where_it_is_valid(export):
    # Shopify: the phone from Shipping Phone, the shipping country first, then the billing one.
    path = export(
        ["Name", "Created at", "Shipping Phone", "Shipping Country", "Billing Country"],
        [
            ["#1", "2024-03-05 10:00 +0000", "07911 123456", "GB", "US"],
            ["#2", "2024-03-05 10:00 +0000", "07911 123456", "", "GB"],
            ["#3", "2024-03-05 10:00 +0000", "(415) 555-0132", "GB", "US"],
        ],
    )
    results, _ = prepare(
        path,
        columns={
            "conversion_id": "Name",
            "conversion_time": "Created at",
            "phone": "Shipping Phone",
            "phone_country": ["Shipping Country", "Billing Country"],
        },
    )
    hashes = [r.event["identifiers"][0]["hashed_phone_number"] for r in results]
    assert hashes == [sha("+447911123456"), sha("+447911123456"), sha("+14155550132")]


def test_an_order_total_repeated_on_each_line_item_is_counted_once(export):
    # WooCommerce's order exports repeat the order columns on every item row.
    path = export(
        ["Order Number", "Order Date", "Email", "Order Total Amount", "Order Refund Amount",
         "Item Name", "Item Cost", "Quantity"],
        [
            ["2402", "2024-03-05 10:00", "a@example.com", "7250", "0", "Shawl", "4500", "1"],
            ["2402", "2024-03-05 10:00", "a@example.com", "7250", "0", "Cap", "1250", "2"],
            ["2406", "2024-03-06 10:00", "b@example.com", "5600", "600", "Jacket", "4800", "1"],
            ["2406", "2024-03-06 10:00", "b@example.com", "5600", "600", "Belt", "600", "1"],
            ["77", "2024-03-07 10:00", "c@example.com", "10", "", "Mug", "10", "1"],
            ["77", "2024-03-07 10:00", "c@example.com", "10", "", "Mug", "10", "1"],
        ],
    )  # fmt: skip
    results, _ = prepare(
        path,
        columns={
            "conversion_id": "Order Number",
            "conversion_time": "Order Date",
            "email": "Email",
            "value": "Order Total Amount",
            "refunded_value": "Order Refund Amount",
            "content_name": "Item Name",
            "content_price": "Item Cost",
            "content_num_items": "Quantity",
        },
        group_by_conversion_id=True,
        timezone="UTC",
    )
    # 7250 once, not 14500; 5600 less 600 once; two equal mugs at 10 are 10 + 10 line values
    # only when the items' prices add up to more than the repeated amount.
    assert [r.event["value"] for r in results] == [7250, 5000, 20]


def test_an_event_id_of_another_pixel_is_refused_for_its_row_only(export):
    path = export(
        ["Order", "Date", "Email", "Event"],
        [
            ["1", "2024-03-05 10:00", "a@example.com", "tw-o8z6j-o87ne"],
            ["2", "2024-03-05 10:00", "b@example.com", "tw-zzzzz-o87ne"],
            ["3", "2024-03-05 10:00", "c@example.com", "o87nf"],
        ],
    )
    profile = MappingProfile.from_dict(
        {
            "columns": {
                "conversion_id": "Order",
                "conversion_time": "Date",
                "email": "Email",
                "event_id": "Event",
            },
            "timezone": "UTC",
        }
    )
    results = list(Preparation(open_table(path), profile, workers=1, pixel_id="o8z6j"))
    assert [r.event is not None for r in results] == [True, False, True]
    assert "belongs to pixel zzzzz, not to pixel o8z6j" in results[1].problems[0].message
