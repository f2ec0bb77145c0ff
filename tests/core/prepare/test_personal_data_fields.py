"""A row whose free-text field holds an email or phone number is not sent, and says why."""

from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.prepare.preparation import Preparation
from twconv_gui.core.reading.opening import open_table


def test_a_row_with_an_email_as_description_is_not_sent(export):
    path = export(
        ["Order", "Date", "Email", "Note"],
        [
            ["1001", "2024-01-02T10:00:00Z", "ann@example.com", "ann@example.com"],
            ["1002", "2024-01-02T11:00:00Z", "bob@example.com", "Blue, size M"],
            ["1003", "2024-01-02T12:00:00Z", "cy@example.com", "+44 20 7946 0958"],
        ],
    )
    profile = MappingProfile.from_dict(
        {
            "columns": {
                "conversion_id": "Order",
                "conversion_time": "Date",
                "email": "Email",
                "description": "Note",
            },
            "constants": {"event_id": "o87ne"},
        }
    )
    preparation = Preparation(open_table(path), profile)
    results = list(preparation)
    sent = [r.event for r in results if r.event is not None]
    assert [e["conversion_id"] for e in sent] == ["1002"]
    assert sent[0]["description"] == "Blue, size M"
    problems = [p for r in results for p in r.problems]
    assert [(p.row, p.field, p.column, p.is_error) for p in problems] == [
        (2, "description", "Note", True),
        (4, "description", "Note", True),
    ]
    assert all("example" not in p.message and "7946" not in p.message for p in problems)
    assert preparation.summary.rejected_rows == [2, 4]
