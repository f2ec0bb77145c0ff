"""inspect_file: the first look at an export and the mapping it proposes."""

import csv

from twconv_gui.core.mapping.inspection import inspect_file

HEADER = ["Name", "Email", "Created at", "Total", "Lineitem quantity", "Lineitem sku", "Phone"]


def write(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return path


def test_line_item_export_gets_grouping_and_masked_samples(tmp_path):
    path = write(
        tmp_path / "orders_export.csv",
        [
            [
                "#1001",
                "ann@example.com",
                "2026-11-01 09:58:00 -0500",
                "32.50",
                "1",
                "MUG",
                "+1 212 555 0101",
            ],
            ["#1001", "ann@example.com", "2026-11-01 09:58:00 -0500", "", "2", "TEE", ""],
            ["#1002", "bob@example.com", "2026-11-02 09:00:00 -0500", "5.00", "1", "PIN", ""],
        ],
    )
    report = inspect_file(path)
    assert report.profile.group_by_conversion_id is True
    assert report.profile.columns["conversion_id"] == "Name"
    by_name = {c.name: c for c in report.columns}
    assert by_name["Email"].samples == ("a•••@example.com", "b•••@example.com")
    assert by_name["Phone"].samples == ("•••••••••01",)
    assert by_name["Lineitem sku"].samples == ("MUG", "TEE", "PIN")
    assert by_name["Email"].letter == "B"
    assert report.to_dict()["mapping"]["group_by_conversion_id"] is True


def test_one_row_per_order_is_not_grouped(tmp_path):
    path = write(
        tmp_path / "orders.csv",
        [
            ["#1001", "ann@example.com", "2026-11-01 09:58", "32.50", "1", "MUG", ""],
            ["#1002", "bob@example.com", "2026-11-02 09:00", "5.00", "1", "PIN", ""],
        ],
    )
    assert inspect_file(path).profile.group_by_conversion_id is False
