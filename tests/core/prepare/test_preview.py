"""The preview: each conversion as it will be sent, beside the normalized identifiers it hashes."""

import hashlib
import json
import threading
from importlib import resources

import pytest

from twconv_gui.core.errors import Cancelled
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.normalize.identifiers import PhoneHasher
from twconv_gui.core.prepare.batching import batches
from twconv_gui.core.prepare.preparation import Preparation
from twconv_gui.core.prepare.preview import (
    IDENTIFIERS_PHASE,
    READY,
    REJECTED,
    WARNING,
    PreviewRow,
    build_preview,
)
from twconv_gui.core.reading.opening import open_table

RESOURCES = resources.files("twconv_gui.resources")
SAMPLE = RESOURCES / "sample_export.csv"
SAMPLE_MAPPING = RESOURCES / "sample_mapping.json"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def preview_of(path, **profile):
    profile.setdefault("constants", {"event_id": "o87ne"})
    return build_preview(open_table(path), MappingProfile.from_dict(profile), workers=1)


@pytest.fixture(scope="module")
def sample():
    return build_preview(open_table(str(SAMPLE)), MappingProfile.load(str(SAMPLE_MAPPING)))


def by_row(result):
    return {item.rows[0]: item for item in result.rows}


def test_sample_counts_and_statuses(sample):
    assert len(sample.rows) == 40
    assert sample.summary.rows_rejected == 3
    rejected = [item.rows[0] for item in sample.rows if item.status == REJECTED]
    assert rejected == [5, 12, 19]
    assert [sample.rows[i].rows[0] for i in sample.problem_indices] == [5, 12, 19]
    assert len(sample.ready_indices) == 37
    assert all(item.event is None for item in sample.rows if item.status == REJECTED)
    assert "email address" in by_row(sample)[5].problems[0].message


def test_normalized_email_and_phone_sit_beside_their_hashes(sample):
    first = by_row(sample)[2]  # Ana.60@Mail.Example.Net, (212) 555-0106
    assert first.email_normalized == "ana.60@mail.example.net"
    assert first.phone_e164 == "+12125550106"
    assert first.identifiers["hashed_email"] == sha("ana.60@mail.example.net")
    assert first.identifiers["hashed_phone_number"] == sha("+12125550106")
    only_email = by_row(sample)[3]
    assert only_email.phone_e164 is None
    assert only_email.identifiers["twclid"] == "1fcda85948075cc"


def test_invalid_or_missing_identifiers_show_nothing(sample):
    rows = by_row(sample)
    assert rows[5].email_normalized is None  # "not-an-email"
    assert rows[12].email_normalized is None
    assert rows[12].phone_e164 is None
    assert rows[26].email_normalized is None
    assert rows[26].phone_e164 == "+12125550168"


def test_events_are_the_prepared_ones(sample):
    table = open_table(str(SAMPLE))
    expected = [p.event for p in Preparation(table, MappingProfile.load(str(SAMPLE_MAPPING)))]
    assert [item.event for item in sample.rows] == expected


def test_phone_notations_match_the_core_e164(export):
    cells = [
        "(212) 555-0134",
        "+44 20 7946 0958",
        "0049 30 1234567",
        "1-212-555-0134",
        "212.555.0134 ext. 5",
        "tel:+1 212 555 0134",
        "2125550134",
        "020 7946 0958",  # a UK number without +44: not a US number
        "12",  # too short
    ]
    rows = [[f"2026-03-0{i % 9 + 1} 10:00", phone] for i, phone in enumerate(cells)]
    path = export(["Time", "Phone"], rows)
    result = preview_of(
        path, columns={"conversion_time": "Time", "phone": "Phone"}, phone_region="US"
    )
    hasher = PhoneHasher("US")
    for cell, item in zip(cells, result.rows, strict=True):
        if item.status == REJECTED:
            assert cell in {"020 7946 0958", "12"}
            assert item.phone_e164 is None
            continue
        assert item.phone_e164 == hasher.e164(cell), cell
        assert item.identifiers["hashed_phone_number"] == sha(item.phone_e164)


def test_national_numbers_use_the_profile_region(export):
    path = export(["Time", "Phone"], [["2026-03-01 10:00", "020 7946 0958"]])
    result = preview_of(
        path, columns={"conversion_time": "Time", "phone": "Phone"}, phone_region="GB"
    )
    assert result.rows[0].phone_e164 == "+442079460958"


def test_already_hashed_identifiers_are_not_shown_as_addresses(export):
    digest = sha("someone@example.com")
    path = export(["Time", "Email"], [["2026-03-01 10:00", digest.upper()]])
    result = preview_of(path, columns={"conversion_time": "Time", "email": "Email"})
    item = result.rows[0]
    assert item.status == READY
    assert item.email_normalized is None
    assert item.identifiers["hashed_email"] == digest


def test_a_bad_identifier_beside_a_good_one_is_a_warning(export):
    path = export(["Time", "Email", "Phone"], [["2026-03-01 10:00", " Jo@Example.com\u200b", "12"]])
    result = preview_of(
        path, columns={"conversion_time": "Time", "email": "Email", "phone": "Phone"}
    )
    item = result.rows[0]
    assert item.status == WARNING
    assert item.email_normalized == "jo@example.com"
    assert item.phone_e164 is None
    assert list(result.problem_indices) == [0]
    assert list(result.ready_indices) == [0]


def test_grouped_orders_take_the_identifier_of_any_of_their_rows(export):
    rows = [
        ["A1", "2026-03-01 10:00", "", "SKU-1"],
        ["A1", "2026-03-01 10:00", "Ann@Example.com", "SKU-2"],
        ["B2", "2026-03-02 11:00", "bob@example.com", "SKU-3"],
    ]
    path = export(["Order", "Time", "Email", "Sku"], rows)
    result = preview_of(
        path,
        columns={
            "conversion_id": "Order",
            "conversion_time": "Time",
            "email": "Email",
            "content_id": "Sku",
        },
        group_by_conversion_id=True,
    )
    assert [item.rows for item in result.rows] == [(2, 3), (4,)]
    assert [item.email_normalized for item in result.rows] == ["ann@example.com", "bob@example.com"]


def test_batch_of_a_row_is_the_batch_the_engine_sends(sample):
    size = 10
    sent = list(
        batches(
            Preparation(
                open_table(str(SAMPLE)), MappingProfile.load(str(SAMPLE_MAPPING))
            ).encoded_chunks(),
            size,
        )
    )
    position = next(i for i, item in enumerate(sample.rows) if item.rows[0] == 25)
    number, positions = sample.batch_of(position, size)
    assert sent[number - 1].rows == tuple(sample.rows[i].rows for i in positions)
    payload = sample.batch_payload(position, size)
    assert payload == sent[number - 1].payload()
    json.dumps(payload)  # the clipboard text is real JSON
    rejected = next(i for i, item in enumerate(sample.rows) if item.status == REJECTED)
    assert sample.batch_of(rejected) is None
    assert sample.batch_payload(rejected) is None


def test_a_full_batch_holds_500_conversions(export):
    rows = [[f"2026-03-01 10:{i % 60:02d}", f"user{i}@example.com"] for i in range(1200)]
    path = export(["Time", "Email"], rows)
    result = preview_of(path, columns={"conversion_time": "Time", "email": "Email"})
    number, positions = result.batch_of(700)
    assert number == 2
    assert positions == list(range(500, 1000))
    assert len(result.batch_payload(1100)["conversions"]) == 200


def test_cancel_while_reading_identifiers(export):
    rows = [[f"2026-03-01 10:{i % 60:02d}", f"user{i}@example.com"] for i in range(5000)]
    path = export(["Time", "Email"], rows)
    cancel = threading.Event()
    phases = []

    def progress(update):
        phases.append(update.phase)
        if update.phase == IDENTIFIERS_PHASE:
            cancel.set()

    profile = MappingProfile.from_dict(
        {"columns": {"conversion_time": "Time", "email": "Email"}, "constants": {"event_id": "x"}}
    )
    with pytest.raises(Cancelled):
        build_preview(open_table(path), profile, progress=progress, cancel=cancel, workers=1)
    assert phases[-1] == IDENTIFIERS_PHASE
    assert "preparing" in phases


def test_preview_rows_are_slotted():
    item = PreviewRow((2,), READY, None, ())
    assert not hasattr(item, "__dict__")


def test_the_address_shown_is_the_one_hashed_whatever_its_notation(export):
    path = export(
        ["Time", "Email"],
        [
            ["2026-03-02 10:00", "mailto:Ana@Example.com?subject=Order"],
            ["2026-03-02 10:00", "Dana White (dana.white@example.com)"],
            ["2026-03-02 10:00", "Jose\u0301@example.com"],  # NFD accent
        ],
    )
    result = preview_of(path, columns={"conversion_time": "Time", "email": "Email"})
    shown = [row.email_normalized for row in result.rows]
    assert shown == ["ana@example.com", "dana.white@example.com", "jos\u00e9@example.com"]
    for row, address in zip(result.rows, shown, strict=True):
        assert row.event["identifiers"] == [{"hashed_email": sha(address)}]
