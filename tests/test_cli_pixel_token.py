"""A pixel token from Events Manager, as a new user with no developer app uses it in `twconv`."""

import json
import sys

import pytest

from tests.test_cli_account import PipedInput, run, write_export
from twconv_gui.core import paths
from twconv_gui.core.account.credential_store import SERVICE
from twconv_gui.core.account.profiles import ProfileStore
from twconv_gui.core.api.auth import refused_message
from twconv_gui.core.api.client import ApiClient, ApiSettings
from twconv_gui.core.api.pixel_token import PixelToken
from twconv_gui.sandbox import DEMO, SandboxServer

TOKEN = DEMO.pixel_token


@pytest.fixture
def sandbox():
    with SandboxServer() as server:
        yield server


def assert_no_token(*texts):
    for text in texts:
        assert TOKEN not in text
        assert TOKEN[:8] not in text
        assert TOKEN[-8:] not in text


def login_with_token(capsys, monkeypatch, sandbox, *extra, token=TOKEN):
    monkeypatch.setattr(sys, "stdin", PipedInput(token))
    return run(
        capsys, "login", "--pixel-token", "--profile", "Shop", "--pixel-id", DEMO.pixel_id,
        "--api-base", sandbox.base_url, *extra,
    )  # fmt: skip


def test_new_user_saves_a_token_and_uploads_with_debug_ids(  # noqa: PLR0917 - fixtures
    sandbox, monkeypatch, capsys, memory_keyring, tmp_path, caplog
):
    code, out, err = login_with_token(capsys, monkeypatch, sandbox, "--event-id", DEMO.events[1].id)
    assert code == 0, err
    assert "Saved profile “Shop” (default) (pixel token)" in out
    assert "The first batch of your next upload checks it" in out
    assert set(memory_keyring.entries) == {(SERVICE, "Shop")}
    settings_file = ProfileStore().settings_path.read_text(encoding="utf-8")
    assert json.loads(settings_file)["profiles"]["Shop"]["kind"] == "pixel_token"

    export, mapping = write_export(tmp_path, with_event=False)
    code, up_out, up_err = run(capsys, "upload", str(export), "--mapping", str(mapping))
    assert code == 0, up_err
    assert "debug_id" in up_out
    # X checks the token with the first request: it holds one sale, the rest follow.
    sizes = [len(json.loads(b.body)["conversions"]) for b in sandbox.accepted]
    assert sizes == [1, 2]
    assert {b.pixel_id for b in sandbox.accepted} == {DEMO.pixel_id}
    assert {c["event_id"] for c in sandbox.accepted_conversions()} == {DEMO.events[1].id}

    code, shown, _ = run(capsys, "credentials", "show")
    assert "Pixel token:          set (kept in the system keyring, never shown)" in shown
    code, listed, _ = run(capsys, "credentials", "list")
    assert "pixel token" in listed
    code, tested, _ = run(capsys, "credentials", "test")
    assert code == 0
    assert "checked with the first batch" in tested
    logs = "\n".join(p.read_text() for p in paths.logs_dir().glob("*.log*"))
    reports = "\n".join(
        p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.suffix == ".csv"
    )
    assert_no_token(out, err, up_out, up_err, shown, listed, tested, settings_file, logs, reports)
    assert_no_token(*(r.getMessage() for r in caplog.records))


def test_the_token_must_come_with_a_well_formed_pixel_and_event(
    sandbox, monkeypatch, capsys, memory_keyring
):
    monkeypatch.setattr(sys, "stdin", PipedInput(TOKEN))
    code, _, err = run(capsys, "login", "--pixel-token", "--api-base", sandbox.base_url)
    assert code == 2
    assert "needs the pixel id the token was generated for" in err

    code, _, err = login_with_token(capsys, monkeypatch, sandbox, "--event-id", "tw-zzzzz-o87ne")
    assert code == 2
    assert "names pixel zzzzz, not this profile's pixel o8z6j" in err
    assert memory_keyring.entries == {}
    assert_no_token(err)


def test_a_token_profile_cannot_list_accounts_and_says_why(sandbox, monkeypatch, capsys):
    login_with_token(capsys, monkeypatch, sandbox)
    code, _, err = run(capsys, "accounts")
    assert code == 2
    assert "a pixel token, which can only send conversions" in err
    assert sandbox.requests_seen == 0


def test_token_from_the_environment_with_pixel_id(sandbox, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("TWCONV_PIXEL_TOKEN", TOKEN)
    export, mapping = write_export(tmp_path, with_event=True)
    code, out, err = run(
        capsys, "upload", str(export), "--mapping", str(mapping), "--pixel-id", DEMO.pixel_id,
        "--api-base", sandbox.base_url, "--json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["events_acknowledged"] == 3
    code, shown, _ = run(capsys, "credentials", "show")
    assert "the TWCONV_PIXEL_TOKEN environment variable" in shown
    assert_no_token(out, err, shown)


def test_both_kinds_of_profile_side_by_side(sandbox, monkeypatch, capsys, tmp_path):
    from tests.test_cli_account import DEMO_CREDENTIALS

    ProfileStore().save("Agency", DEMO_CREDENTIALS)
    login_with_token(capsys, monkeypatch, sandbox, "--event-id", DEMO.events[0].id)
    store = ProfileStore()
    assert store.credentials("Shop") == PixelToken(TOKEN)
    assert store.credentials("Agency") == DEMO_CREDENTIALS
    assert (store.get("Agency").settings.kind, store.get("Shop").settings.kind) == (
        "oauth",
        "pixel_token",
    )


def test_the_client_sends_only_the_token_header(sandbox):
    with ApiClient(PixelToken(TOKEN), ApiSettings(base_url=sandbox.base_url)) as client:
        response = client.post_conversions(
            DEMO.pixel_id,
            [
                {
                    "conversion_time": "2026-03-01T10:00:00.000Z",
                    "event_id": DEMO.events[0].id,
                    "identifiers": [{"twclid": "abc"}],
                }
            ],
        )
        session = client._session()
        assert "Authorization" not in session.headers
        assert session.headers["X-Pixel-Token"] == TOKEN
        refused = client.post_conversions(DEMO.other_account.pixel_id, [{}])
    assert response.status == 200
    assert refused.status == 401  # a token opens its own pixel only
    assert "PixelToken(token='…')" in repr(client)


def test_a_refused_token_is_explained_in_words():
    text = refused_message(401, "401 UNAUTHORIZED_ACCESS", pixel_token=True, pixel_id="o8z6j")
    assert "X refused the pixel token" in text
    assert "belongs to another pixel than o8z6j" in text
    assert "Generate access token" in text


def test_a_refused_token_stops_the_upload_with_words_and_one_sale_at_stake(
    sandbox, monkeypatch, capsys, tmp_path
):
    monkeypatch.setenv("TWCONV_PIXEL_TOKEN", "not-the-token-of-this-pixel")
    export, mapping = write_export(tmp_path, with_event=True)
    code, out, err = run(
        capsys, "upload", str(export), "--mapping", str(mapping), "--pixel-id", DEMO.pixel_id,
        "--api-base", sandbox.base_url,
    )  # fmt: skip
    assert code == 2
    assert "X refused the pixel token" in out + err
    assert f"another pixel than {DEMO.pixel_id}" in out + err
    assert sandbox.accepted == []
    assert "0 of 3 conversions in 2 batches" in out  # the first batch held one sale
