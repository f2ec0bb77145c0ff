"""The credentials dialog as a user meets it, against the real Sandbox on 127.0.0.1."""

import logging
from urllib.parse import parse_qs, urlsplit

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QLabel, QLineEdit

from twconv_gui.core.account.profiles import ProfileStore
from twconv_gui.core.api.credentials import Credentials
from twconv_gui.core.api.pixel_token import PixelToken
from twconv_gui.gui.credentials.dialog import CredentialsDialog
from twconv_gui.gui.session import Session
from twconv_gui.sandbox import DEMO, SandboxServer

TIMEOUT = 10_000


@pytest.fixture
def server():
    with SandboxServer() as running:
        yield running


@pytest.fixture
def pool():
    threads = QThreadPool()
    yield threads
    threads.waitForDone(10_000)


@pytest.fixture
def dialog(qtbot, server, pool):
    session = Session()
    dlg = CredentialsDialog(session, ProfileStore(), pool)
    qtbot.addWidget(dlg)
    dlg.opened_urls = []
    dlg.open_url = dlg.opened_urls.append

    def ask_pin(url):
        token = parse_qs(urlsplit(url).query)["oauth_token"][0]
        return server.pin_for(token)

    dlg.ask_pin = ask_pin
    dlg.form.oauth_radio.click()  # these tests take the full way; the token is tested apart
    dlg.form.edits["consumer_key"].setText(DEMO.consumer_key)
    dlg.form.edits["consumer_secret"].setText(DEMO.consumer_secret)
    dlg.form.api_base_edit.setText(server.base_url)
    dlg.form.sign_in_host_edit.setText(server.base_url)
    return dlg


def idle(qtbot, dlg):
    qtbot.waitUntil(lambda: not dlg.busy, timeout=TIMEOUT)


def sign_in(qtbot, dlg):
    with qtbot.waitSignal(dlg.busy_changed, check_params_cb=lambda busy: not busy, timeout=TIMEOUT):
        dlg.sign_in_button.click()
    idle(qtbot, dlg)


def fill_signed_in(dlg, secret=DEMO.consumer_secret):
    dlg.form.edits["consumer_secret"].setText(secret)
    dlg.form.edits["access_token"].setText(DEMO.access_token)
    dlg.form.edits["access_token_secret"].setText(DEMO.access_token_secret)
    dlg.form.account_combo.setEditText(DEMO.account_id)


def visible_texts(dlg):
    texts = [label.text() for label in dlg.findChildren(QLabel)]
    texts += [edit.placeholderText() for edit in dlg.findChildren(QLineEdit)]
    texts += [dlg.profile_list.item(row).text() for row in range(dlg.profile_list.count())]
    return "\n".join(texts)


def test_pin_sign_in_fills_the_access_token(dialog, qtbot, server):
    sign_in(qtbot, dialog)
    token = dialog.form.edits["access_token"].text()
    secret_edit = dialog.form.edits["access_token_secret"]
    assert dialog.error_label.text() == ""
    assert token
    assert secret_edit.text()
    assert secret_edit.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.opened_urls
    assert dialog.opened_urls[0].startswith(server.base_url)
    assert "Signed in" in dialog.status_label.text()
    # The new token works: the connection test says so.
    dialog.form.account_combo.setEditText(DEMO.account_id)
    dialog.test_button.click()
    idle(qtbot, dialog)
    assert dialog.last_report is not None
    assert dialog.last_report.ok


def test_cancelled_pin_changes_nothing(dialog, qtbot):
    dialog.ask_pin = lambda _url: None
    sign_in(qtbot, dialog)
    assert dialog.form.edits["access_token"].text() == ""
    assert dialog.status_label.text() == "Sign-in cancelled."


def test_buttons_are_off_while_a_worker_runs(dialog, qtbot):
    fill_signed_in(dialog)
    dialog.load_accounts()
    assert dialog.busy
    assert not dialog.save_button.isEnabled()
    assert not dialog.test_button.isEnabled()
    idle(qtbot, dialog)
    assert dialog.save_button.isEnabled()


def test_load_accounts_and_events(dialog, qtbot):
    fill_signed_in(dialog)
    dialog.form.account_combo.setEditText("")
    dialog.form.load_accounts_button.click()
    idle(qtbot, dialog)
    combo = dialog.form.account_combo
    ids = [combo.itemData(i) for i in range(combo.count())]
    assert ids == [DEMO.account_id, DEMO.other_account.id]
    assert combo.currentText() == f"{DEMO.account_name} ({DEMO.account_id})"
    assert dialog.form.account_id() == DEMO.account_id

    dialog.form.load_events_button.click()
    idle(qtbot, dialog)
    events = dialog.form.event_combo
    shown = [events.itemText(i) for i in range(events.count())]
    assert shown == [f"{e.name} ({e.id})" for e in DEMO.events]
    events.setCurrentIndex(1)
    assert dialog.form.event_id() == DEMO.events[1].id
    assert dialog.form.pixel_edit.text() == DEMO.pixel_id


def test_connection_test_says_it_works_in_green(dialog, qtbot):
    fill_signed_in(dialog)
    dialog.test_button.click()
    idle(qtbot, dialog)
    assert dialog.result_label.text().startswith("The credentials work")
    assert DEMO.account_id in dialog.result_label.text()
    assert "#1b7f2a" in dialog.result_label.styleSheet()


def test_wrong_secret_is_reported_as_wrong_keys_in_red(dialog, qtbot):
    fill_signed_in(dialog, secret="not-the-demo-secret")
    dialog.test_button.click()
    idle(qtbot, dialog)
    assert dialog.result_label.text().startswith("X refused the credentials (401)")
    assert "#b3261e" in dialog.result_label.styleSheet()


def test_wrong_consumer_secret_stops_pin_sign_in_with_the_cores_message(dialog, qtbot):
    dialog.form.edits["consumer_secret"].setText("not-the-demo-secret")
    sign_in(qtbot, dialog)
    assert "refused the app's keys" in dialog.error_label.text()
    assert dialog.form.edits["access_token"].text() == ""


def test_save_stores_a_profile_whose_secrets_round_trip(dialog, qtbot):
    fill_signed_in(dialog)
    dialog.form.pixel_edit.setText(DEMO.pixel_id)
    dialog.form.name_edit.setText("Acme US")
    with qtbot.waitSignal(dialog.profile_saved, timeout=TIMEOUT):
        dialog.save_button.click()
    idle(qtbot, dialog)
    store = ProfileStore()
    assert store.credentials("Acme US") == Credentials(
        DEMO.consumer_key, DEMO.consumer_secret, DEMO.access_token, DEMO.access_token_secret
    )
    assert store.get("Acme US").settings.pixel_id == DEMO.pixel_id
    assert dialog.profile_list.item(0).text() == "Acme US (default)"
    # The first profile is the default: saving it also makes it the session's connection.
    assert dialog.session.connection is not None
    assert dialog.session.connection.label == "Acme US"


def test_reopened_profile_shows_secrets_only_masked(qtbot, server, pool, caplog):
    caplog.set_level(logging.DEBUG)
    store = ProfileStore()
    credentials = Credentials(
        DEMO.consumer_key, DEMO.consumer_secret, DEMO.access_token, DEMO.access_token_secret
    )
    store.save("Acme US", credentials)
    dlg = CredentialsDialog(Session(), store, pool)
    qtbot.addWidget(dlg)
    idle(qtbot, dlg)
    secret_edit = dlg.form.edits["consumer_secret"]
    assert dlg.form.name() == "Acme US"
    assert secret_edit.text() == ""
    assert "system keyring" in secret_edit.placeholderText()
    assert DEMO.consumer_key not in visible_texts(dlg)
    for secret in (DEMO.consumer_secret, DEMO.access_token_secret, DEMO.access_token):
        assert secret not in visible_texts(dlg)
    # "Show" reveals the stored secret, hiding masks it again.
    dlg.form.show_buttons["consumer_secret"].click()
    assert secret_edit.text() == DEMO.consumer_secret
    assert secret_edit.echoMode() == QLineEdit.EchoMode.Normal
    dlg.form.show_buttons["consumer_secret"].click()
    assert secret_edit.text() == ""
    assert dlg.form.credentials() == credentials
    assert all(
        secret not in record.getMessage()
        for record in caplog.records
        for secret in (DEMO.consumer_secret, DEMO.access_token_secret)
    )


def test_use_this_profile_sets_the_session_connection(dialog, qtbot):
    fill_signed_in(dialog)
    dialog.form.name_edit.setText("Acme US")
    dialog.form.pixel_edit.setText(DEMO.pixel_id)
    with qtbot.waitSignal(dialog.connection_chosen, timeout=TIMEOUT) as blocker:
        dialog.use_button.click()
    connection = dialog.session.connection
    assert blocker.args == [connection]
    assert connection.label == "Acme US"
    assert connection.pixel_id == DEMO.pixel_id
    assert connection.account_id == DEMO.account_id
    assert connection.settings.base_url == dialog.form.api_base_edit.text()
    assert not connection.sandbox


def test_keyring_refusal_is_shown_with_the_cores_message(dialog, qtbot, memory_keyring):
    memory_keyring.locked = True
    fill_signed_in(dialog)
    dialog.form.name_edit.setText("Acme US")
    dialog.save_button.click()
    idle(qtbot, dialog)
    assert "keyring is locked" in dialog.error_label.text()
    assert dialog.profile_list.count() == 0


def test_delete_asks_then_removes_the_profile_and_its_secrets(qtbot, pool, memory_keyring):
    store = ProfileStore()
    credentials = Credentials(
        DEMO.consumer_key, DEMO.consumer_secret, DEMO.access_token, DEMO.access_token_secret
    )
    store.save("Acme US", credentials)
    store.save("Beta", credentials)
    dlg = CredentialsDialog(Session(), store, pool)
    qtbot.addWidget(dlg)
    idle(qtbot, dlg)
    questions = []
    dlg.confirm = lambda question: questions.append(question) or False
    dlg.delete_button.click()
    assert len(questions) == 1
    assert "Acme US" in questions[0]
    assert len(store.profiles()) == 2
    dlg.confirm = lambda _question: True
    dlg.delete_button.click()
    idle(qtbot, dlg)
    assert [p.name for p in store.profiles()] == ["Beta"]
    assert dlg.profile_list.item(0).text() == "Beta (default)"
    dlg.select_profile("Beta")
    idle(qtbot, dlg)


def test_no_secret_reaches_a_label_or_a_log_record(dialog, qtbot, caplog):
    caplog.set_level(logging.DEBUG)
    sign_in(qtbot, dialog)
    new_secret = dialog.form.edits["access_token_secret"].text()
    dialog.form.account_combo.setEditText(DEMO.account_id)
    dialog.form.name_edit.setText("Acme US")
    for button in (dialog.test_button, dialog.form.load_events_button, dialog.save_button):
        button.click()
        idle(qtbot, dialog)
    assert dialog.error_label.text() == ""
    shown = visible_texts(dialog)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in (DEMO.consumer_secret, new_secret):
        assert secret not in shown
        assert secret not in logged


def test_new_profile_and_make_default(dialog, qtbot):
    fill_signed_in(dialog)
    dialog.form.name_edit.setText("Acme US")
    dialog.save_button.click()
    idle(qtbot, dialog)
    dialog.new_button.click()
    assert dialog.form.name() == ""
    assert dialog.form.value("consumer_secret") == ""
    assert not dialog.delete_button.isEnabled()
    assert dialog.form.kind() == "pixel_token"  # a new profile starts with the simple way
    dialog.form.oauth_radio.click()
    fill_signed_in(dialog)
    dialog.form.edits["consumer_key"].setText(DEMO.consumer_key)
    dialog.form.name_edit.setText("Beta")
    dialog.save_button.click()
    idle(qtbot, dialog)
    shown = [dialog.profile_list.item(row).text() for row in range(dialog.profile_list.count())]
    assert shown == ["Acme US (default)", "Beta"]
    assert dialog.selected_name() == "Beta"
    dialog.default_button.click()
    shown = [dialog.profile_list.item(row).text() for row in range(dialog.profile_list.count())]
    assert shown == ["Acme US", "Beta (default)"]
    assert ProfileStore().default().name == "Beta"
    assert dialog.form.edits["access_token_secret"].text() == DEMO.access_token_secret


def test_locked_keyring_when_opening_a_profile_is_explained(qtbot, pool, memory_keyring):
    store = ProfileStore()
    store.save(
        "Acme US",
        Credentials(
            DEMO.consumer_key, DEMO.consumer_secret, DEMO.access_token, DEMO.access_token_secret
        ),
    )
    memory_keyring.locked = True
    dlg = CredentialsDialog(Session(), store, pool)
    qtbot.addWidget(dlg)
    idle(qtbot, dlg)
    assert "keyring is locked" in dlg.error_label.text()
    assert dlg.form.edits["consumer_secret"].placeholderText() == ""


def test_a_new_user_saves_a_pixel_token_profile_and_uses_it(qtbot, server, pool, caplog):
    caplog.set_level(logging.DEBUG)
    session = Session()
    dlg = CredentialsDialog(session, ProfileStore(), pool)
    qtbot.addWidget(dlg)
    form = dlg.form
    # The simple way comes first, with only its fields; OAuth keys and Advanced are hidden.
    assert form.kind() == "pixel_token"
    assert not form.token_box.isHidden()
    assert form.oauth_box.isHidden()
    assert form.advanced_box.isHidden()
    assert dlg.sign_in_button.isHidden()
    assert "Generate access token" in visible_texts(dlg)
    qtbot.keyClicks(form.name_edit, "Shop")
    qtbot.keyClicks(form.edits["pixel_token"], DEMO.pixel_token)
    qtbot.keyClicks(form.pixel_edit, "O8Z6J")  # checked as it is typed
    assert "lowercase letters and digits only" in form.pixel_hint.text()
    form.pixel_edit.clear()
    qtbot.keyClicks(form.pixel_edit, DEMO.pixel_id)
    form.event_combo.setEditText("tw-zzzzz-o87ne")
    assert "names pixel zzzzz, not pixel o8z6j" in form.event_hint.text()
    form.event_combo.setEditText(DEMO.events[0].id)
    assert form.check_ids()
    qtbot.mouseClick(form.advanced_button, Qt.MouseButton.LeftButton)
    assert not form.advanced_box.isHidden()
    form.api_base_edit.setText(server.base_url)

    dlg.test_button.click()
    idle(qtbot, dlg)
    assert "first batch of your next upload checks it" in dlg.result_label.text()
    dlg.save_button.click()
    idle(qtbot, dlg)
    assert ProfileStore().credentials("Shop") == PixelToken(DEMO.pixel_token)
    dlg.use_button.click()
    connection = session.connection
    assert connection.credentials == PixelToken(DEMO.pixel_token)
    assert (connection.pixel_id, connection.event_id) == (DEMO.pixel_id, DEMO.events[0].id)
    with connection.client() as client:  # the whole flow reaches the Sandbox with the token
        response = client.post_conversions(
            connection.pixel_id,
            [
                {
                    "conversion_time": "2026-03-01T10:00:00.000Z",
                    "event_id": connection.event_id,
                    "identifiers": [{"twclid": "abc"}],
                }
            ],
        )
    assert response.status == 200

    # Reopened: the token is only said to be stored, never shown, not even in part.
    reopened = CredentialsDialog(Session(), ProfileStore(), pool)
    qtbot.addWidget(reopened)
    idle(qtbot, reopened)
    assert reopened.form.kind() == "pixel_token"
    assert "system keyring" in reopened.form.edits["pixel_token"].placeholderText()
    texts = visible_texts(reopened) + visible_texts(dlg)
    assert DEMO.pixel_token[:8] not in texts
    assert all(DEMO.pixel_token not in record.getMessage() for record in caplog.records)
