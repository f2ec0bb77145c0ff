"""The Map step as a user sees it: suggested sources, constants, pickers, messages, files."""

import json
from importlib import resources

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QMessageBox

from twconv_gui.core.errors import MappingError
from twconv_gui.core.mapping.inspection import inspect_file
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.gui.mapping.page import CONSTANT_TEXT, NONE_TEXT, READY_TEXT, MapPage
from twconv_gui.gui.session import Session

RESOURCES = resources.files("twconv_gui.resources")
SAMPLE = RESOURCES / "sample_export.csv"
SAMPLE_MAPPING = RESOURCES / "sample_mapping.json"


@pytest.fixture
def session():
    return Session()


@pytest.fixture
def page(qtbot, session, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    widget = MapPage(session)
    widget.shown_messages = shown
    qtbot.addWidget(widget)
    session.set_inspection(inspect_file(str(SAMPLE)))
    return widget


def choose(combo: QComboBox, text: str) -> None:
    """What a user does: pick the item showing `text`."""
    index = combo.findText(text)
    assert index >= 0, f"{text!r} is not offered"
    combo.setCurrentIndex(index)


def test_suggested_columns_are_preselected_with_their_reason(page):
    assert page.source_combo("email").currentText() == "Customer Email"
    assert page.source_combo("conversion_time").currentText() == "Order Date"
    assert page.source_combo("description").currentText() == NONE_TEXT
    assert 'header "Customer Email"' in page.source_combo("email").toolTip()
    assert "•••@" in page.samples_label("email").text()  # masked beside the choice
    assert "2026-10-01 21:09" in page.samples_label("conversion_time").text()
    assert page.field_label("conversion_time").text().endswith("*")
    assert not page.field_label("description").text().endswith("*")


def test_every_column_and_constant_is_offered(page):
    combo = page.source_combo("value")
    items = [combo.itemText(i) for i in range(combo.count())]
    assert items[0] == NONE_TEXT
    assert items[-1] == CONSTANT_TEXT
    assert items[1:-1] == list(page.session.table.columns)


def test_incomplete_suggestion_shows_the_core_message(page, session):
    # The sample has no event id column: the suggestion cannot be sent as is.
    with pytest.raises(MappingError) as core:
        session.inspection.profile.check_complete()
    assert page.validation_label.text() == str(core.value)
    assert "event_id has no source" in page.validation_label.text()
    assert session.profile is None
    assert page.current_profile() is None


def test_event_constant_completes_the_mapping(page, session, qtbot):
    combo = page.source_combo("event_id")
    choose(combo, CONSTANT_TEXT)
    editor = page.constant_editor("event_id")
    assert not editor.isHidden()
    assert page.constant_editor("value").isHidden()
    with qtbot.waitSignal(session.profile_changed, timeout=2000) as blocker:
        qtbot.keyClicks(editor, "o87ne")
    profile = blocker.args[0]
    assert profile is not None
    assert profile.constants == {"event_id": "o87ne"}
    assert profile.columns["email"] == "Customer Email"
    assert page.validation_label.text() == READY_TEXT
    assert session.profile == profile


def test_changing_a_source_emits_one_valid_profile_after_the_pause(page, session, qtbot):
    page.set_constant("event_id", "o87ne")
    page.apply_now()
    emitted = []
    session.profile_changed.connect(emitted.append)
    choose(page.source_combo("description"), "Order ID")
    choose(page.source_combo("twclid"), NONE_TEXT)
    assert emitted == []  # debounced: nothing rebuilt per keystroke
    with qtbot.waitSignal(session.profile_changed, timeout=2000):
        pass
    assert len(emitted) == 1
    profile = emitted[0]
    assert profile.columns["description"] == "Order ID"
    assert "twclid" not in profile.columns
    assert page.samples_label("description").text().startswith("SO-10400")


def test_removing_every_identifier_names_the_problem(page):
    page.set_constant("event_id", "o87ne")
    for field in ("email", "phone", "twclid"):
        page.set_source(field, None)
    page.apply_now()
    assert "no identifier is mapped" in page.validation_label.text()
    assert page.session.profile is None


def test_empty_constant_is_refused_with_the_core_message(page):
    choose(page.source_combo("event_id"), CONSTANT_TEXT)
    page.apply_now()
    assert "constant 'event_id' is empty" in page.validation_label.text()


def test_pickers_feed_the_profile(page, qtbot):
    page.set_constant("event_id", "o87ne")
    region = page.region_combo
    assert region.itemText(region.findData("US")) == "US — United States"
    region.setCurrentIndex(region.findData("DE"))
    page.timezone_combo.setEditText("Europe/Berlin")
    page.time_format_edit.setText("%Y-%m-%d %H:%M")
    page.group_check.setChecked(True)
    profile = page.current_profile()
    assert profile.phone_region == "DE"
    assert profile.timezone == "Europe/Berlin"
    assert profile.time_format == "%Y-%m-%d %H:%M"
    assert profile.group_by_conversion_id is True
    assert page.time_format_edit.placeholderText() == "detect automatically"
    assert "%d/%m/%Y" in page.time_format_edit.toolTip()


def test_bad_timezone_and_time_format_show_the_core_messages(page):
    page.set_constant("event_id", "o87ne")
    page.timezone_combo.setEditText("Mars/Olympus")
    page.time_format_edit.setText("day month year")
    page.apply_now()
    text = page.validation_label.text()
    assert "'Mars/Olympus' is not a time zone name" in text
    assert "has no strptime directive" in text


def test_timezone_completer_finds_zones_by_any_part(page):
    completer = page.timezone_combo.completer()
    assert completer.filterMode() == Qt.MatchFlag.MatchContains
    completer.setCompletionPrefix("berlin")
    assert completer.currentCompletion() == "Europe/Berlin"


def test_save_then_load_round_trip(page, session, qtbot, tmp_path):
    page.set_constant("event_id", "o87ne")
    page.set_source("description", "Order ID")
    page.timezone_combo.setEditText("America/Chicago")
    saved = page.save_mapping(tmp_path / "mapping.json")
    data = json.loads((tmp_path / "mapping.json").read_text())
    assert data["constants"] == {"event_id": "o87ne"}
    assert data["columns"]["description"] == "Order ID"

    other_session = Session()
    other = MapPage(other_session)
    qtbot.addWidget(other)
    other_session.set_inspection(inspect_file(str(SAMPLE)))
    assert other.source_combo("description").currentText() == NONE_TEXT
    other.load_mapping(tmp_path / "mapping.json")
    assert other.current_profile() == saved
    assert other_session.profile == saved
    assert other.source_combo("description").currentText() == "Order ID"
    assert other.timezone_combo.currentText() == "America/Chicago"
    assert other.constant_editor("event_id").text() == "o87ne"


def test_loaded_mapping_for_other_columns_shows_the_core_message(page, session, tmp_path):
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"columns": {"conversion_time": "Date", "email": "Customer Email"}}))
    page.load_mapping(path)
    text = page.validation_label.text()
    assert 'conversion_time: column "Date" is not in sample_export.csv' in text
    assert "Columns in sample_export.csv: Order ID, Order Date" in text
    assert page.source_combo("conversion_time").currentText() == "Date (not in this file)"
    assert session.profile is None
    page.set_source("conversion_time", "Order Date")  # the user fixes it
    page.set_constant("event_id", "o87ne")
    page.apply_now()
    assert page.validation_label.text() == READY_TEXT


def test_buttons_use_file_dialogs_and_show_load_errors(page, session, qtbot, tmp_path, monkeypatch):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(broken), ""))
    qtbot.mouseClick(page.load_button, Qt.MouseButton.LeftButton)
    assert len(page.shown_messages) == 1
    assert "broken.json is not valid JSON" in page.shown_messages[0]

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(SAMPLE_MAPPING), ""))
    qtbot.mouseClick(page.load_button, Qt.MouseButton.LeftButton)
    assert session.profile == MappingProfile.load(str(SAMPLE_MAPPING))

    target = tmp_path / "saved.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert MappingProfile.load(target) == session.profile


def test_event_choices_from_the_account(page, session, qtbot):
    page.set_constant("event_id", "o87nf")
    page.set_event_choices([("o87ne", "Purchase"), ("o87nf", "Sign up")])
    editor = page.constant_editor("event_id")
    assert isinstance(editor, QComboBox)
    assert editor.currentText() == "Sign up (o87nf)"
    editor.setCurrentIndex(editor.findData("o87ne"))
    assert page.current_profile().constants == {"event_id": "o87ne"}
    editor.setEditText("abc12")  # an id the account does not list can still be typed
    assert page.current_profile().constants == {"event_id": "abc12"}
    page.set_event_choices([])
    assert page.constant_editor("event_id").text() == "abc12"


def test_without_a_file_nothing_can_be_mapped(qtbot):
    session = Session()
    page = MapPage(session)
    qtbot.addWidget(page)
    assert "Load step" in page.validation_label.text()
    assert not page.source_combo("email").isEnabled()
    session.set_inspection(inspect_file(str(SAMPLE)))
    assert page.source_combo("email").isEnabled()
    session.set_inspection(None)
    assert session.profile is None
    assert page.source_combo("email").count() == 2


def test_labels_are_buddies_of_their_choosers(page):
    for field in ("conversion_time", "email", "value"):
        assert page.field_label(field).buddy() is page.source_combo(field)
    assert "&" in page.field_label("conversion_time").text()
