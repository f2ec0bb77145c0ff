"""The window proposes what `twconv inspect --write-mapping` proposes, for every export of the
corpus: the Map step carries the suggested mapping (several columns per field, the phone
country, time helpers, filters, zone) through its widgets unchanged."""

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from twconv_gui.core.mapping.inspection import inspect_file
from twconv_gui.gui.mapping.page import MapPage
from twconv_gui.gui.session import Session

CORPUS = Path(__file__).parents[1] / "exports"
FILES = sorted(
    name for name in json.loads((CORPUS / "expected.json").read_text()) if not name.startswith("_")
)


@pytest.mark.parametrize("name", FILES)
def test_the_map_step_keeps_the_suggested_mapping(name, qtbot, monkeypatch):
    monkeypatch.setattr(QMessageBox, "warning", lambda *_args: None)
    inspection = inspect_file(CORPUS / name)
    session = Session()
    page = MapPage(session)
    qtbot.addWidget(page)
    session.set_inspection(inspection)
    page.set_constant("event_id", "o87ne")
    page.apply_now()
    built = session.profile
    if built is None:  # a file with no identifier X can use: the page says why
        assert "identifier" in page.validation_label.text()
        return
    expected = inspection.profile.to_dict()
    got = built.to_dict()
    keys = ("columns", "filters", "timezone", "phone_region", "group_by_conversion_id", "sheet")
    for key in (*keys, "header_row"):
        assert got[key] == expected[key], key
    assert got["constants"] == {"event_id": "o87ne"}
