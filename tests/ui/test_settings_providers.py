"""Settings > Providers: saved settings, secrets only in the keychain, the Test buttons."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt

from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.providers import ProviderKind, SmtpSecurity
from leadcartel_desktop.providers.keychain import SERVICE_NAME
from leadcartel_desktop.sandbox import Sandbox
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.settings.dialog import SettingsDialog
from leadcartel_desktop.ui.settings.providers import SAVED, ProvidersPanel
from tests.conftest import FixedClock
from tests.integration.provider_support import free_port, sandbox_settings
from tests.integration.sandbox_support import MemoryKeyring
from tests.integration.send_support import gc_on_main_thread, sandbox_app
from tests.ui.invoice_support import make_ui

CANARY = "canary-7f3a9b-not-in-the-database"


@pytest.fixture
def setup(
    qtbot: Any, home: Path, clock: FixedClock, tmp_path: Path
) -> Iterator[tuple[UiContext, Sandbox, MemoryKeyring]]:
    with (
        gc_on_main_thread(),
        sandbox_app(home, clock, tmp_path / "sandbox", configure=False) as (ctx, sb, keys),
    ):
        for ui in make_ui(qtbot, ctx):
            yield ui, sb, keys


def open_settings(qtbot: Any, ui: UiContext) -> SettingsDialog:
    dialog = SettingsDialog(ui)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(
        lambda: dialog.save_button.isEnabled() and dialog.providers.ready, timeout=10_000
    )
    dialog.tabs.setCurrentWidget(dialog.providers)
    return dialog


def fill_smtp(panel: ProvidersPanel, sandbox: Sandbox, password: str, port: int = 0) -> None:
    creds = sandbox.credentials
    panel.kinds[Channel.EMAIL].setCurrentIndex(panel.kinds[Channel.EMAIL].findData("smtp"))
    panel.smtp_host.setText(sandbox.smtp.host)
    panel.smtp_port.setValue(port or sandbox.smtp.port)
    panel.smtp_security.setCurrentIndex(panel.smtp_security.findData(SmtpSecurity.STARTTLS))
    panel.smtp_user.setText(creds.smtp_username)
    panel.smtp_password.edit.setText(password)
    panel.from_name.setText("Jürgen Müller")
    panel.from_address.setText("billing@example.com")
    panel.ca_bundle.setText(str(sandbox.ca_bundle))


def run_test(qtbot: Any, panel: ProvidersPanel, channel: Channel) -> str:
    with qtbot.waitSignal(panel.tested, timeout=15_000) as signal:
        qtbot.mouseClick(panel.test_buttons[channel], Qt.MouseButton.LeftButton)
    return str(signal.args[1])


def test_save_puts_the_password_only_in_the_keychain(qtbot: Any, setup: Any) -> None:
    ui, sandbox, keys = setup
    dialog = open_settings(qtbot, ui)
    assert (
        dialog.providers.smtp_password.edit.echoMode()
        == dialog.providers.smtp_password.edit.EchoMode.Password
    )
    fill_smtp(dialog.providers, sandbox, CANARY)
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = ui.services.provider_settings.settings()
    assert saved.email is ProviderKind.SMTP
    assert saved.smtp.host == sandbox.smtp.host
    assert keys.entries[(SERVICE_NAME, "smtp_password")] == CANARY
    for path in ui.paths.data.rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), path
    again = open_settings(qtbot, ui)
    assert again.providers.smtp_password.edit.text() == ""
    assert again.providers.smtp_password.status.text() == SAVED


def test_refused_value_is_shown_at_its_field(qtbot: Any, setup: Any) -> None:
    ui, _sandbox, _keys = setup
    dialog = open_settings(qtbot, ui)
    panel = dialog.providers
    panel.kinds[Channel.SMS].setCurrentIndex(panel.kinds[Channel.SMS].findData("twilio"))
    panel.account_sid.setText("AC" + "0" * 32)
    panel.from_number.setText("12345")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.errors.message_for("From number") != "", timeout=10_000)
    assert "E.164" in dialog.errors.message_for("From number")


def test_test_button_succeeds_against_the_sandbox(qtbot: Any, setup: Any) -> None:
    ui, sandbox, _keys = setup
    panel = open_settings(qtbot, ui).providers
    fill_smtp(panel, sandbox, sandbox.credentials.smtp_password)
    text = run_test(qtbot, panel, Channel.EMAIL)
    assert text.startswith("Signed in to"), text
    assert panel.results[Channel.EMAIL].text() == text


def test_test_button_names_a_wrong_password(qtbot: Any, setup: Any) -> None:
    ui, sandbox, _keys = setup
    panel = open_settings(qtbot, ui).providers
    fill_smtp(panel, sandbox, "wrong-password")
    text = run_test(qtbot, panel, Channel.EMAIL)
    assert "password" in text.lower() or "credentials" in text.lower() or "sign" in text.lower(), (
        text
    )
    assert not text.startswith("Signed in")


def test_test_button_names_a_missing_server(qtbot: Any, setup: Any) -> None:
    ui, sandbox, _keys = setup
    panel = open_settings(qtbot, ui).providers
    fill_smtp(panel, sandbox, "whatever", port=free_port())
    text = run_test(qtbot, panel, Channel.EMAIL)
    assert "refused" in text.lower() or "reach" in text.lower(), text


def test_no_keychain_shows_a_banner_and_disables_secrets(qtbot: Any, setup: Any) -> None:
    ui, _sandbox, _keys = setup
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        panel = open_settings(qtbot, ui).providers
        assert panel.banner.isVisible()
        assert not panel.smtp_password.isEnabled()
        assert not panel.twilio_token.isEnabled()
    finally:
        keyring.set_keyring(previous)


def test_a_failed_test_keeps_the_saved_password(qtbot: Any, setup: Any) -> None:
    ui, sandbox, keys = setup
    dialog = open_settings(qtbot, ui)
    fill_smtp(dialog.providers, sandbox, sandbox.credentials.smtp_password)
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    panel = open_settings(qtbot, ui).providers
    panel.smtp_password.edit.setText("a-typo")
    assert not run_test(qtbot, panel, Channel.EMAIL).startswith("Signed in")
    assert keys.entries[(SERVICE_NAME, "smtp_password")] == sandbox.credentials.smtp_password
    assert panel.smtp_password.edit.text() == "a-typo"  # still there for Save, or to correct


def test_a_typed_password_that_works_is_kept_only_on_save(qtbot: Any, setup: Any) -> None:
    ui, sandbox, keys = setup
    dialog = open_settings(qtbot, ui)
    fill_smtp(dialog.providers, sandbox, sandbox.credentials.smtp_password)
    assert run_test(qtbot, dialog.providers, Channel.EMAIL).startswith("Signed in")
    assert (SERVICE_NAME, "smtp_password") not in keys.entries
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert keys.entries[(SERVICE_NAME, "smtp_password")] == sandbox.credentials.smtp_password


def test_a_missing_ca_bundle_is_named_at_its_field(qtbot: Any, setup: Any, tmp_path: Path) -> None:
    ui, sandbox, _keys = setup
    dialog = open_settings(qtbot, ui)
    fill_smtp(dialog.providers, sandbox, sandbox.credentials.smtp_password)
    missing = str(tmp_path / "no-such-ca.pem")
    dialog.providers.ca_bundle.setText(missing)
    text = run_test(qtbot, dialog.providers, Channel.EMAIL)
    assert text.startswith("CA bundle path:") and missing in text, text
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.errors.message_for("CA bundle path") != "", timeout=10_000)
    assert missing in dialog.errors.message_for("CA bundle path")
    assert ui.services.provider_settings.settings().ca_bundle == ""  # nothing saved


def test_test_results_do_not_speak_of_resending(qtbot: Any, setup: Any) -> None:
    ui, sandbox, _keys = setup
    ui.services.providers.save(sandbox_settings(sandbox))
    panel = open_settings(qtbot, ui).providers
    panel.twilio_token.edit.setText(sandbox.credentials.twilio_auth_token)
    sandbox.controls("twilio").configure(latency_seconds=3)  # past the 1 s read timeout
    slow = run_test(qtbot, panel, Channel.SMS)
    assert slow == "Twilio did not answer within 1 s after the request was sent.", slow
    fill_smtp(panel, sandbox, "whatever", port=free_port())
    refused = run_test(qtbot, panel, Channel.EMAIL)
    assert refused.endswith("or the server is not running."), refused


def test_a_refused_business_field_saves_no_provider_change(qtbot: Any, setup: Any) -> None:
    ui, sandbox, keys = setup
    dialog = open_settings(qtbot, ui)
    fill_smtp(dialog.providers, sandbox, sandbox.credentials.smtp_password)
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    dialog = open_settings(qtbot, ui)
    dialog.providers.smtp_password.edit.setText("a-new-password")
    dialog.providers.smtp_host.setText("smtp.example.com")
    dialog.country.setText("ZZ")  # refused on the Business tab
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.errors.message_for("Default country") != "", timeout=10_000)
    dialog.reject()
    assert keys.entries[(SERVICE_NAME, "smtp_password")] == sandbox.credentials.smtp_password
    assert ui.services.provider_settings.settings().smtp.host == sandbox.smtp.host


def test_a_forgotten_password_is_not_used_by_test(qtbot: Any, setup: Any) -> None:
    ui, sandbox, keys = setup
    dialog = open_settings(qtbot, ui)
    fill_smtp(dialog.providers, sandbox, sandbox.credentials.smtp_password)
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    panel = open_settings(qtbot, ui).providers
    qtbot.mouseClick(panel.smtp_password.forget, Qt.MouseButton.LeftButton)
    text = run_test(qtbot, panel, Channel.EMAIL)
    assert text == "No SMTP password is saved: enter it in Settings > Providers.", text
    assert (SERVICE_NAME, "smtp_password") in keys.entries  # forgotten only on Save
