"""The Map step's sources as a user sees them: several columns per field, helper rows, the
phone region and time zone lines, and the notes of the file's inspection."""

import csv
import dataclasses
import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from twconv_gui.core.mapping.inspection import inspect_file
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.gui.mapping.page import CONSTANT_TEXT, NONE_TEXT, READY_TEXT, MapPage
from twconv_gui.gui.mapping.pickers import NO_REGION_TEXT, local_zone_name
from twconv_gui.gui.mapping.reading import PHONE_WARNING
from twconv_gui.gui.session import Session

COLUMNS = ["Order", "Status", "Email", "Phone", "Shipping Phone", "Billing Phone", "Country"]
COLUMNS += ["Date", "Time", "TimeZone", "Total"]
TIME_AND_TOTAL = ["2026-03-02", "10:15", "Europe/Berlin", "12.50"]


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "orders.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for i in range(12):
            status = ["Paid", "Paid", "Failed", "Refunded"][i % 4]
            phones = ["", f"030 123{i:02d}", ""]
            writer.writerow([f"A-{i}", status, f"u{i}@example.com", *phones, "DE", *TIME_AND_TOTAL])
    return path


@pytest.fixture
def session():
    return Session()


@pytest.fixture
def page(qtbot, session, export, monkeypatch):
    monkeypatch.setattr(QMessageBox, "warning", lambda *_args: None)
    widget = MapPage(session)
    qtbot.addWidget(widget)
    session.set_inspection(inspect_file(str(export)))
    widget.set_constant("event_id", "o87ne")
    # Start from no phone or helper columns, whatever the suggestion picked.
    for name in ("phone", "phone_country", "time_zone", "time_of_day"):
        widget.set_source(name, None)
    widget.apply_now()
    return widget


def field(page, name):
    return page._fields[name]


def test_another_column_is_read_when_the_first_is_empty(page, session, qtbot):
    phone = field(page, "phone")
    page.set_source("phone", "Phone")
    assert phone.fallbacks.add_button.isVisibleTo(page)
    assert "another column" in phone.fallbacks.add_button.toolTip()
    qtbot.mouseClick(phone.fallbacks.add_button, Qt.MouseButton.LeftButton)
    (first,) = phone.fallbacks.combos()
    assert first.currentText() == "Shipping Phone"  # a column sharing a word with "Phone"
    qtbot.mouseClick(phone.fallbacks.add_button, Qt.MouseButton.LeftButton)
    second = phone.fallbacks.combos()[1]
    assert second.currentText() == "Billing Phone"
    assert phone.chain.text() == "Phone ← Phone, then Shipping Phone, then Billing Phone"
    with qtbot.waitSignal(session.profile_changed, timeout=2000) as blocker:
        second.setCurrentIndex(second.findData("Country"))
    profile = blocker.args[0]
    assert profile.sources("phone") == ["Phone", "Shipping Phone", "Country"]
    assert profile.to_dict()["columns"]["phone"] == ["Phone", "Shipping Phone", "Country"]


def test_removing_a_further_column_and_leaving_columns_drops_them(page, qtbot):
    phone = field(page, "phone")
    page.set_source("phone", "Phone")
    qtbot.mouseClick(phone.fallbacks.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(phone.fallbacks.add_button, Qt.MouseButton.LeftButton)
    line = phone.fallbacks.box.layout().itemAt(0).widget()
    remove = line.findChildren(type(phone.fallbacks.add_button))[0]
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert page.current_profile().sources("phone") == ["Phone", "Billing Phone"]
    assert phone.chain.text() == "Phone ← Phone, then Billing Phone"
    page.set_source("phone", None)  # no column: nothing to fall back from
    assert phone.fallbacks.columns() == []
    assert not phone.fallbacks.add_button.isVisibleTo(page)
    assert phone.chain.isHidden()


def test_a_loaded_mapping_shows_its_further_columns(page, session, tmp_path):
    path = tmp_path / "mapping.json"
    data = {
        "columns": {
            "conversion_time": "Date",
            "phone": ["Phone", "Shipping Phone", "Billing Phone"],
            "phone_country": "Country",
        },
        "constants": {"event_id": "o87ne"},
    }
    path.write_text(json.dumps(data))
    loaded = page.load_mapping(path)
    phone = field(page, "phone")
    assert page.source_combo("phone").currentText() == "Phone"
    assert [c.currentText() for c in phone.fallbacks.combos()] == [
        "Shipping Phone",
        "Billing Phone",
    ]
    assert phone.chain.text() == "Phone ← Phone, then Shipping Phone, then Billing Phone"
    assert page.validation_label.text() == READY_TEXT
    assert session.profile == loaded
    saved = page.save_mapping(tmp_path / "again.json")
    assert saved.fallbacks == {"phone": ["Shipping Phone", "Billing Phone"]}


def test_a_further_column_missing_from_the_file_is_named(page, tmp_path):
    path = tmp_path / "mapping.json"
    path.write_text(
        json.dumps({"columns": {"conversion_time": "Date", "phone": ["Phone", "Cell"]}})
    )
    page.load_mapping(path)
    (combo,) = field(page, "phone").fallbacks.combos()
    assert combo.currentText() == "Cell (not in this file)"
    assert 'phone: column "Cell" is not in orders.csv' in page.validation_label.text()


def test_helpers_sit_under_the_field_they_help_and_take_no_constant(page):
    labels = [f.label.text().replace("&", "") for f in page._fields.values()]
    assert labels[labels.index("Phone") + 1] == "↳ Phone country"
    time_at = labels.index("Conversion time *")
    assert labels[time_at + 1 : time_at + 3] == ["↳ Time of day", "↳ Time zone"]
    assert labels[labels.index("Value") + 1] == "↳ Refunded amount"
    combo = page.source_combo("phone_country")
    items = [combo.itemText(i) for i in range(combo.count())]
    assert items[0] == NONE_TEXT
    assert CONSTANT_TEXT not in items
    assert "Country" in items


def test_phones_without_a_country_source_are_warned_about(page, qtbot):
    page.set_source("phone", "Phone")
    assert page.region_combo.currentText() == NO_REGION_TEXT
    assert page.region_combo.currentData() is None
    label = page.reading.phone_label
    assert label.text() == PHONE_WARNING
    assert not label.isHidden()
    assert page.current_profile().phone_region is None

    page.set_source("phone_country", "Country")  # the helper row picks the column
    assert "row's Country column" in label.text()
    assert PHONE_WARNING not in label.text()
    assert page.current_profile().columns["phone_country"] == "Country"

    page.set_source("phone_country", None)
    page.region_combo.setCurrentIndex(page.region_combo.findData("DE"))
    assert label.text() == "Phones without +country code are read as DE numbers."
    assert page.current_profile().phone_region == "DE"

    page.region_combo.setCurrentIndex(0)
    page.set_source("phone", None)
    assert label.isHidden()  # no phones, nothing to say


def test_times_are_read_in_this_computers_zone_by_default(page):
    zone = local_zone_name()
    combo = page.timezone_combo
    assert combo.currentText() == f"This computer's zone ({zone})"
    assert page.current_profile().timezone is None
    line = page.reading.zone_label
    assert line.text() == f"Times without a zone are read as {zone} (this computer)."

    page.set_source("time_zone", "TimeZone")
    assert line.text() == (
        f"Times without a zone are read as {zone} (this computer), unless the row's "
        "TimeZone column says otherwise."
    )
    combo.setEditText("America/Chicago")
    assert line.text().startswith("Times without a zone are read as America/Chicago, unless")
    assert page.current_profile().timezone == "America/Chicago"
    combo.setCurrentIndex(0)  # back to this computer's zone
    assert page.current_profile().timezone is None


def test_a_loaded_zone_and_region_are_shown_and_none_returns_to_the_defaults(page, tmp_path):
    path = tmp_path / "mapping.json"
    data = {"columns": {"conversion_time": "Date", "phone": "Phone"}, "timezone": "Asia/Tokyo"}
    path.write_text(json.dumps(data | {"phone_region": "JP"}))
    page.load_mapping(path)
    assert page.timezone_combo.currentText() == "Asia/Tokyo"
    assert page.region_combo.currentData() == "JP"
    assert "read as Asia/Tokyo" in page.reading.zone_label.text()
    path.write_text(json.dumps(data | {"timezone": None}))
    page.load_mapping(path)
    assert page.timezone_combo.currentText().startswith("This computer's zone (")
    assert page.region_combo.currentText() == NO_REGION_TEXT
    assert page.reading.phone_label.text() == PHONE_WARNING


def test_inspection_notes_are_shown(qtbot, export):
    session = Session()
    page = MapPage(session)
    qtbot.addWidget(page)
    inspection = inspect_file(str(export))
    assert page.notes_label.isHidden()

    @dataclasses.dataclass(frozen=True)
    class NotedInspection:  # the core's Inspection with the notes another change adds
        table: object
        columns: object
        suggestion: object
        profile: MappingProfile
        sample_rows: object
        notes: tuple[str, ...]

    noted = NotedInspection(
        inspection.table,
        inspection.columns,
        inspection.suggestion,
        inspection.profile,
        inspection.sample_rows,
        ("Dates look day-first (31/01/2026).", "Column Time holds the time of day."),
    )
    session.set_inspection(noted)
    assert not page.notes_label.isHidden()
    assert page.notes_label.text() == (
        "• Dates look day-first (31/01/2026).\n• Column Time holds the time of day."
    )
    session.set_inspection(dataclasses.replace(noted, notes=()))
    assert page.notes_label.isHidden()
