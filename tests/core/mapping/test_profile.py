"""Mapping profiles: validation messages users read, and the JSON round trip."""

import json

import pytest

from twconv_gui.core.errors import MappingError
from twconv_gui.core.mapping.profile import MappingProfile

GOOD = {
    "columns": {"conversion_time": "Order Date", "email": "Email Address", "phone": "Phone"},
    "constants": {"event_id": "o87ne"},
    "timezone": "America/New_York",
    "phone_region": "us",
    "time_format": None,
    "sheet": None,
    "header_row": None,
    "group_by_conversion_id": False,
}


def test_good_profile_loads_with_defaults_and_uppercased_region():
    profile = MappingProfile.from_dict({"columns": {"email": "E"}})
    # No zone and no phone country are assumed silently: None means "the computer's zone"
    # and "only numbers written with +country code (or a country column)".
    assert (profile.timezone, profile.phone_region, profile.sheet) == (None, None, None)
    assert MappingProfile.from_dict(GOOD).phone_region == "US"


def test_save_then_load_gives_the_same_profile(tmp_path):
    profile = MappingProfile.from_dict(GOOD)
    path = tmp_path / "m.json"
    profile.save(path)
    assert MappingProfile.load(path) == profile
    assert json.loads(path.read_text())["constants"] == {"event_id": "o87ne"}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"colums": {}}, "unknown setting(s) 'colums'"),
        ({"columns": {"emial": "E"}}, "unknown field 'emial' in columns (did you mean 'email'?)"),
        ({"constants": {"email": "x", "event_id": "o87ne"}}, "'email' is both a column and a"),
        ({"timezone": "Mars/Olympus"}, "'Mars/Olympus' is not a time zone name"),
        ({"phone_region": "XX"}, "'XX' is not a country code"),
        ({"header_row": 0}, "at least 1"),
        ({"header_row": "3"}, '"header_row" must be a whole number or null'),
        ({"sheet": 0}, "numbers start at 1"),
        ({"group_by_conversion_id": True}, "needs a column mapped to conversion_id"),
        ({"time_format": "dd/mm/yyyy"}, "has no strptime directive"),
        ({"constants": {"event_id": "  "}}, "constant 'event_id' is empty"),
    ],
)
def test_bad_settings_are_named_in_the_message(change, expected):
    with pytest.raises(MappingError) as info:
        MappingProfile.from_dict({**GOOD, **change}, source="Mapping file m.json")
    assert "Mapping file m.json cannot be used" in str(info.value)
    assert expected in str(info.value)


def test_not_json_names_file_and_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "columns": {,}\n}')
    with pytest.raises(MappingError, match=r"broken\.json is not valid JSON \(line 2"):
        MappingProfile.load(path)


def test_missing_file(tmp_path):
    with pytest.raises(MappingError, match="does not exist"):
        MappingProfile.load(tmp_path / "nope.json")


def test_column_missing_from_file_suggests_the_close_one():
    profile = MappingProfile.from_dict(GOOD)
    with pytest.raises(MappingError) as info:
        profile.check_columns(["Order Date", "E-mail Address", "Phone"], file_name="x.csv")
    message = str(info.value)
    assert 'email: column "Email Address" is not in x.csv (did you mean "E-mail Address"?)' in (
        message
    )
    assert "Columns in x.csv: Order Date, E-mail Address, Phone" in message


def test_incomplete_mapping_says_what_to_add():
    profile = MappingProfile.from_dict({"columns": {"ip_address": "IP", "user_agent": "UA"}})
    with pytest.raises(MappingError) as info:
        profile.check_complete()
    message = str(info.value)
    assert "conversion_time has no column" in message
    assert '"constants": {"event_id"' in message
    assert "identifier" not in message  # the ip + user agent pair alone is enough
    MappingProfile.from_dict(GOOD).check_complete()  # complete: no error
    profile = MappingProfile.from_dict({"columns": {"conversion_time": "T", "email": "E"}})
    profile.check_complete(event_id_override="o87ne")
