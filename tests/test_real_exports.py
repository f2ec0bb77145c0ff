"""Exports in the layouts real systems write: the suggested mapping plus an event id sends
only real sales, with the right id, time of day, value, phone country and no foreign click id.

The corpus is tests/exports/ (layouts and their sources in SOURCES.md); expected.json lists,
per file, every conversion that must be sent and the rows that must not be.
"""

import hashlib
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from twconv_gui.core.errors import MappingError
from twconv_gui.core.mapping.inspection import inspect_file
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.prepare.preparation import Preparation
from twconv_gui.core.reading.opening import open_table

CORPUS = Path(__file__).parent / "exports"
EXPECTED = {
    name: entry
    for name, entry in json.loads((CORPUS / "expected.json").read_text()).items()
    if not name.startswith("_")
}


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def suggested_profile(name: str, entry: dict) -> MappingProfile:
    """What `inspect --write-mapping` writes, with the event id a user adds (and the phone
    region a user sets when inspect says the file names no country)."""
    data = json.loads(json.dumps(inspect_file(CORPUS / name).profile.to_dict()))
    data["constants"] = {**data.get("constants", {}), "event_id": "o87ne"}
    if entry.get("phone_region_assumed") and not data.get("phone_region"):
        data["phone_region"] = entry["phone_region_assumed"]
    return MappingProfile.from_dict(data)


def identifiers_of(event: dict) -> dict[str, str]:
    found: dict[str, str] = {}
    for identifier in event["identifiers"]:
        found.update(identifier)
    return found


def prepared(name: str, entry: dict, monkeypatch) -> tuple[Preparation | None, dict]:
    """The preparation of the suggested mapping and the events sent by first source row.

    A file that holds no identifier X can use (Square's transactions, a Google click-id
    template) gets a mapping `check` refuses as incomplete: nothing is sent.
    """
    # A user at that shop: the computer's zone is the shop's.
    monkeypatch.setenv("TZ", entry.get("time_zone_assumed") or "UTC")
    profile = suggested_profile(name, entry)
    table = open_table(CORPUS / name, sheet=profile.sheet, header_row=profile.header_row)
    try:
        preparation = Preparation(table, profile, workers=1)
    except MappingError as error:
        refusal = str(error)
    else:
        sent = {r.rows[0]: r.event for r in preparation if r.event is not None}
        return preparation, sent
    assert "no identifier is mapped" in refusal
    return None, {}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_only_real_sales_are_sent(name, monkeypatch):
    entry = EXPECTED[name]
    _, sent = prepared(name, entry, monkeypatch)
    left_out = {item["source_row"] for item in entry["left_out"]}
    wrongly_sent = sorted(left_out & set(sent))
    assert not wrongly_sent, f"rows that are not sales were sent: {wrongly_sent}"
    expected_rows = {sale["source_row"] for sale in entry["sales"]}
    unexpected = sorted(set(sent) - expected_rows)
    assert not unexpected, f"rows sent that are not expected sales: {unexpected}"


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if e["sales"]))
def test_every_sale_goes_out_right(name, monkeypatch):
    entry = EXPECTED[name]
    preparation, sent = prepared(name, entry, monkeypatch)
    assert preparation is not None
    for sale in entry["sales"]:
        row = sale["source_row"]
        assert row in sent, f"the sale of row {row} ({sale['conversion_id']}) is not sent"
        event = sent[row]
        where = f"row {row}"
        assert event.get("conversion_id") == sale["conversion_id"], where
        assert event["conversion_time"] == sale["conversion_time"], where
        if sale["value"] is not None and "known_gap" not in sale:
            assert Decimal(str(event.get("value"))) == Decimal(sale["value"]), where
        if sale["currency"] is not None and "price_currency" in event:
            assert event["price_currency"] == sale["currency"], where
        elif sale["currency"] is not None:
            # No currency in the file (WooCommerce's export, a "$" that names no country):
            # the user is told X counts such values in US dollars, and to set the currency.
            notes = " ".join(preparation.summary.column_notes)
            assert "US dollars" in notes, where
        ids = identifiers_of(event)
        if sale["email"] is not None:
            assert ids.get("hashed_email") == sha(sale["email"]), where
        if sale["phone_e164"] is not None:
            assert ids.get("hashed_phone_number") == sha(sale["phone_e164"]), where
        assert ids.get("twclid") == sale.get("twclid"), where
        if sale.get("ip_address"):
            assert ids.get("ip_address") == sale["ip_address"], where


def test_the_command_line_path_gives_the_same_conversions(tmp_path):
    name = "stripe_unified_payments.csv"
    mapping = tmp_path / "m.json"
    twconv = [sys.executable, "-m", "twconv_gui.cli"]
    env = {"TZ": "UTC", "PATH": "/usr/bin:/bin", "TWCONV_DATA_DIR": str(tmp_path / "data")}
    subprocess.run(
        [*twconv, "inspect", str(CORPUS / name), "--write-mapping", str(mapping)],
        check=True,
        capture_output=True,
        env=env,
    )
    data = json.loads(mapping.read_text())
    data["constants"] = {"event_id": "o87ne"}
    mapping.write_text(json.dumps(data))
    out = tmp_path / "events.jsonl"
    result = subprocess.run(
        [*twconv, "prepare", str(CORPUS / name), "--mapping", str(mapping), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    events = [json.loads(line) for line in out.read_text().splitlines()]
    expected = [s["conversion_id"] for s in EXPECTED[name]["sales"]]
    assert [e.get("conversion_id") for e in events] == expected
    assert "left out" in result.stderr
