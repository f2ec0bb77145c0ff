"""`twconv login`, `credentials`, `accounts`, `events` and `upload --profile`, as users run them."""

import csv
import getpass
import json
import re
import sys
import webbrowser

import keyring
import pytest
import requests
from keyring.backends import fail

from twconv_gui.cli import main
from twconv_gui.core import paths
from twconv_gui.core.account.credential_store import SERVICE
from twconv_gui.core.account.profiles import ProfileSettings, ProfileStore
from twconv_gui.core.api.credentials import ENV_VARS, Credentials, masked
from twconv_gui.sandbox import DEMO, SandboxServer

DEMO_CREDENTIALS = Credentials(
    DEMO.consumer_key, DEMO.consumer_secret, DEMO.access_token, DEMO.access_token_secret
)
DEMO_SECRETS = (DEMO.consumer_secret, DEMO.access_token_secret)


class PipedInput:
    """Standard input from a pipe; an answer may be a function, called when it is read."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.lines_read = 0

    def isatty(self):
        return False

    def readline(self):
        if not self.answers:
            return ""
        answer = self.answers.pop(0)
        self.lines_read += 1
        return (answer() if callable(answer) else answer) + "\n"


class Terminal(PipedInput):
    """Standard input from a terminal: secrets are read with getpass, the rest typed."""

    def isatty(self):
        return True


class Browser:
    """What the user does with the sign-in page: open it and read the PIN."""

    def __init__(self):
        self.pins = []

    def open(self, url):
        page = requests.get(url, timeout=5)
        self.pins.append(re.search(r'<code id="pin">(\w+)</code>', page.text).group(1))
        return True

    def pin(self):
        return self.pins[-1]


@pytest.fixture
def sandbox():
    with SandboxServer() as server:
        yield server


@pytest.fixture
def browser(monkeypatch):
    fake = Browser()
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(webbrowser, "open", fake.open)
    return fake


@pytest.fixture
def stored_demo_profile(sandbox):
    settings = ProfileSettings(
        account_id=DEMO.account_id,
        pixel_id=DEMO.pixel_id,
        event_id=DEMO.events[0].id,
        api_base=sandbox.base_url,
        sign_in_host=sandbox.base_url,
    )
    return ProfileStore().save("Sandbox", DEMO_CREDENTIALS, settings)


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_no_secret(*texts, secrets=DEMO_SECRETS):
    for text in texts:
        for secret in secrets:
            assert secret not in text


def test_new_user_signs_in_with_a_pin_and_uploads(  # noqa: PLR0917 - fixtures
    sandbox, browser, monkeypatch, capsys, memory_keyring, private_data_dir, tmp_path
):
    stdin = PipedInput(DEMO.consumer_key, DEMO.consumer_secret, browser.pin)
    monkeypatch.setattr(sys, "stdin", stdin)
    code, out, err = run(
        capsys, "login", "--profile", "Coffee", "--sign-in-host", sandbox.base_url,
        "--api-base", sandbox.base_url, "--account-id", DEMO.account_id,
        "--event-id", DEMO.events[0].id,
    )  # fmt: skip
    assert code == 0, err
    assert stdin.lines_read == 3
    assert f"{sandbox.base_url}/oauth/authorize?oauth_token=" in out
    assert "Signed in." in out
    assert "Saved profile “Coffee” (default)" in out
    assert "Connection test: works.\nThe credentials work" in out
    [(service, user)] = memory_keyring.entries
    assert (service, user) == (SERVICE, "Coffee")
    stored = ProfileStore().credentials("Coffee")
    assert stored.access_token != DEMO.access_token  # a token of its own, from the PIN
    profile = ProfileStore().get("Coffee")
    assert (profile.settings.pixel_id, profile.settings.event_id) == (
        DEMO.pixel_id,  # found from the account's events
        DEMO.events[0].id,
    )

    code, shown, _ = run(capsys, "credentials", "show")
    assert code == 0
    assert shown.count("set (kept in the system keyring, never shown)") == 4
    for secret in (stored.access_token_secret, stored.access_token, DEMO.consumer_secret):
        assert masked(secret)[:4] not in shown  # not even the first four characters

    code, tested, _ = run(capsys, "credentials", "test")
    assert code == 0
    assert "Connection test: works.\nThe credentials work" in tested

    code, listed, _ = run(capsys, "events", "--json")
    assert code == 0
    assert [e["event_id"] for e in json.loads(listed)] == [e.id for e in DEMO.events]

    export, mapping = write_export(tmp_path, with_event=False)
    code, uploaded, err = run(capsys, "upload", str(export), "--mapping", str(mapping))
    assert code == 0, err
    assert "Acknowledged by X: 3 of 3 conversions" in uploaded
    assert {c["event_id"] for c in sandbox.accepted_conversions()} == {DEMO.events[0].id}

    secrets = (*DEMO_SECRETS, stored.access_token, stored.access_token_secret)
    assert_no_secret(out, err, shown, tested, listed, uploaded, secrets=secrets)
    for written in private_data_dir.rglob("*.log*"):
        assert_no_secret(written.read_text(), secrets=secrets)
    assert_no_secret(ProfileStore().settings_path.read_text(), secrets=secrets)


def test_interactive_login_hides_keys_and_offers_account_and_event(
    sandbox, browser, monkeypatch, capsys
):
    hidden = [DEMO.consumer_key, DEMO.consumer_secret]
    monkeypatch.setattr(getpass, "getpass", lambda prompt: hidden.pop(0))
    typed = Terminal(browser.pin, "9", "1", "3")  # 9 is no account: asked again
    monkeypatch.setattr(sys, "stdin", typed)
    code, out, err = run(
        capsys, "login", "--sign-in-host", sandbox.base_url, "--api-base", sandbox.base_url
    )
    assert code == 0, err
    assert (hidden, typed.answers) == ([], [])
    assert "Type a number from 1 to 2" in err
    assert re.search(r"3\s+o87ng\s+Add to cart", out)
    settings = ProfileStore().get("default").settings
    assert (settings.account_id, settings.pixel_id, settings.event_id) == (
        DEMO.account_id,
        DEMO.pixel_id,
        "o87ng",
    )
    assert "Connection test: works." in out
    assert_no_secret(out, err)


def test_paste_with_wrong_keys_saves_nothing(sandbox, monkeypatch, capsys, memory_keyring):
    wrong = "pasted-but-wrong-token-secret-0123456789"
    monkeypatch.setattr(
        sys, "stdin", PipedInput(DEMO.consumer_key, DEMO.consumer_secret, DEMO.access_token, wrong)
    )
    code, out, err = run(capsys, "login", "--paste", "--api-base", sandbox.base_url)
    assert code == 2
    assert "X refused the credentials (401)" in err
    assert "Nothing was saved." in err
    assert memory_keyring.entries == {}
    assert not ProfileStore().settings_path.exists()
    assert_no_secret(out, err, secrets=(*DEMO_SECRETS, wrong))


def test_paste_lists_accounts_when_there_is_a_choice(sandbox, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", PipedInput(*(getattr(DEMO, n) for n in FIELDS)))
    code, out, _ = run(capsys, "login", "--paste", "--api-base", sandbox.base_url)
    assert code == 0
    assert "Saved profile “default” (default)" in out
    assert DEMO.other_account.name in out
    assert "Choose one with --account-id" in out
    assert ProfileStore().get("default").settings.account_id == ""


FIELDS = ("consumer_key", "consumer_secret", "access_token", "access_token_secret")


def test_login_without_keyring_stops_before_asking(monkeypatch, capsys):
    keyring.set_keyring(fail.Keyring())
    stdin = PipedInput(DEMO.consumer_key, DEMO.consumer_secret)
    monkeypatch.setattr(sys, "stdin", stdin)
    code, _, err = run(capsys, "login")
    assert code == 2
    assert "install and start a Secret Service keyring" in err
    assert "TWCONV_CONSUMER_KEY" in err
    assert stdin.lines_read == 0
    assert [p for p in paths.config_dir().rglob("*") if p.is_file()] == []


def test_credentials_list_rename_default_delete(stored_demo_profile, capsys, memory_keyring):
    ProfileStore().save("Agency", DEMO_CREDENTIALS, ProfileSettings(account_id="18ce55k3q9w"))
    code, out, _ = run(capsys, "credentials", "list")
    assert code == 0
    [sandbox_line] = [line for line in out.splitlines() if " Sandbox " in line]
    assert sandbox_line.startswith("*")
    assert DEMO.pixel_id in sandbox_line

    assert run(capsys, "credentials", "rename", "agency", "Agency EU")[0] == 0
    assert run(capsys, "credentials", "default", "Agency EU")[0] == 0
    code, out, _ = run(capsys, "credentials", "list", "--json")
    assert [(p["name"], p["default"]) for p in json.loads(out)] == [
        ("Agency EU", True),
        ("Sandbox", False),
    ]
    code, out, _ = run(capsys, "credentials", "delete", "--profile", "Agency EU")
    assert code == 0
    assert "Deleted profile “Agency EU”" in out
    assert "“Sandbox” is the default profile now." in out
    assert set(memory_keyring.entries) == {(SERVICE, "Sandbox")}
    assert_no_secret(out)


def test_credentials_show_shows_no_character_of_any_key(stored_demo_profile, capsys):
    code, out, _ = run(capsys, "credentials", "show", "--profile", "sandbox")
    assert code == 0
    assert "Profile:              Sandbox (default)" in out
    assert "Signs in with:        OAuth keys" in out
    for field in FIELDS:
        value = getattr(DEMO, field)
        assert masked(value) not in out
        assert value[:8] not in out  # not even the first characters


def test_credentials_test_reports_no_access_with_exit_1(stored_demo_profile, capsys):
    code, out, _ = run(capsys, "credentials", "test", "--account-id", DEMO.other_account.id)
    assert code == 1
    assert "Connection test: no access to this account." in out
    assert "profile “Sandbox” (system keyring)" in out


def test_environment_overrides_the_profile_keys(stored_demo_profile, capsys, monkeypatch):
    for name, field in zip(ENV_VARS, FIELDS, strict=True):
        monkeypatch.setenv(name, getattr(DEMO, field))
    monkeypatch.setenv("TWCONV_ACCESS_TOKEN_SECRET", "wrong-secret-from-the-environment")
    code, out, _ = run(capsys, "credentials", "test", "--profile", "Sandbox")
    assert code == 1
    assert "environment variables (they override profile “Sandbox”)" in out
    assert "Connection test: wrong keys." in out
    assert "wrong-secret-from-the-environment" not in out


def test_accounts_and_events_tables(stored_demo_profile, capsys):
    code, out, _ = run(capsys, "accounts")
    assert code == 0
    [current] = [line for line in out.splitlines() if DEMO.account_id in line]
    assert current.startswith("*")
    assert DEMO.account_name in current
    assert DEMO.other_account.name in out
    code, out, _ = run(capsys, "events", "--account-id", DEMO.other_account.id)
    assert code == 0
    assert re.search(rf"{DEMO.other_account.events[0].id}\s+Purchase\s+PURCHASE\s+ACTIVE", out)
    code, out, _ = run(capsys, "accounts", "--json")
    assert [a["id"] for a in json.loads(out)] == [DEMO.account_id, DEMO.other_account.id]


def test_events_need_an_account(capsys, sandbox, monkeypatch):
    ProfileStore().save("Bare", DEMO_CREDENTIALS, ProfileSettings(api_base=sandbox.base_url))
    code, _, err = run(capsys, "events")
    assert code == 2
    assert "--account-id" in err


def test_upload_with_a_stored_profile(stored_demo_profile, sandbox, capsys, tmp_path):
    export, mapping = write_export(tmp_path, with_event=True)
    code, out, err = run(capsys, "upload", str(export), "--mapping", str(mapping),
                         "--profile", "Sandbox", "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["events_acknowledged"] == 3
    assert [b.pixel_id for b in sandbox.accepted] == [DEMO.pixel_id]
    assert_no_secret(out, err)


def test_upload_profile_problems_are_usage_errors(stored_demo_profile, sandbox, capsys, tmp_path):
    export, mapping = write_export(tmp_path, with_event=True)
    code, _, err = run(capsys, "upload", str(export), "--mapping", str(mapping), "--profile", "No")
    assert code == 2
    assert "no sign-in profile called “No” (profiles: “Sandbox”)" in err
    ProfileStore().update_settings("Sandbox", pixel_id="")
    code, _, err = run(capsys, "upload", str(export), "--mapping", str(mapping))
    assert code == 2
    assert "--pixel-id" in err
    assert sandbox.requests_seen == 0


def write_export(folder, *, with_event):
    export = folder / "orders.csv"
    with export.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Order", "Date", "Email"])
        for i in range(3):
            writer.writerow([f"A{i}", f"2026-03-0{i + 1} 10:00", f"buyer{i}@example.com"])
    mapping = folder / "mapping.json"
    document = {
        "columns": {"conversion_id": "Order", "conversion_time": "Date", "email": "Email"},
        "constants": {"event_id": DEMO.events[1].id} if with_event else {},
    }
    mapping.write_text(json.dumps(document))
    return export, mapping


def test_changing_the_account_clears_its_pixel_and_event(stored_demo_profile, capsys):
    code, out, _ = run(capsys, "credentials", "set", "--account-id", DEMO.other_account.id)
    assert code == 0
    assert "pixel and default event belonged to the previous ad account" in out
    settings = ProfileStore().get("Sandbox").settings
    assert (settings.account_id, settings.pixel_id, settings.event_id) == (
        DEMO.other_account.id,
        "",
        "",
    )
    code, _, err = run(capsys, "credentials", "set", "--pixel-id", "Not A Pixel")
    assert code == 2
    assert "pixel id 'Not A Pixel' is not valid" in err


def test_event_ids_from_a_column_are_checked_against_the_account_before_sending(
    stored_demo_profile, sandbox, capsys, tmp_path
):
    export = tmp_path / "orders.csv"
    with export.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Order", "Date", "Email", "Event"])
        writer.writerow(["A1", "2026-03-01 10:00", "a@example.com", DEMO.events[0].id])
        writer.writerow(["A2", "2026-03-01 10:00", "b@example.com", "zzzzz"])
    mapping = tmp_path / "mapping.json"
    columns = {"conversion_id": "Order", "conversion_time": "Date", "email": "Email"}
    mapping.write_text(json.dumps({"columns": {**columns, "event_id": "Event"}}))
    code, _, err = run(capsys, "upload", str(export), "--mapping", str(mapping))
    assert code == 2
    assert "names events that ad account" in err
    assert "zzzzz (row 3)" in err
    assert "Nothing was sent" in err
    assert sandbox.accepted == []
