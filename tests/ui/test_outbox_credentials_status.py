"""The status bar says when a channel is paused because its provider refused the credentials."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from leadcartel_desktop.app import AppContext
from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.domain.providers import SecretName
from leadcartel_desktop.sandbox import Sandbox
from leadcartel_desktop.ui.outbox_status import outbox_text
from leadcartel_desktop.ui.sending_session import WindowSending, start_window_sending
from leadcartel_desktop.ui.tasks import TaskRunner
from tests.integration.outbox_support import Switch
from tests.integration.sandbox_support import (
    MemoryKeyring,
    bodies,
    clock_at_real_time,
    open_app,
    twilio_settings,
)

ANN = "+6591234567"
NEW_TOKEN = "rotated-auth-token-0123456789abcdef"
WAIT_MS = 20_000
PAUSED = "SMS paused: the provider refused the credentials"


def test_the_text_names_each_paused_channel_first() -> None:
    assert outbox_text({}, True, [Channel.SMS]) == PAUSED
    assert outbox_text({OutboxState.PENDING: 3}, True, {Channel.WHATSAPP, Channel.SMS}) == (
        f"{PAUSED} · WhatsApp paused: the provider refused the credentials · 3 waiting to send"
    )
    assert outbox_text({OutboxState.PENDING: 1}, True) == "1 waiting to send"


@pytest.fixture
def app(home: Path, sandbox: Sandbox, keychain: MemoryKeyring) -> Iterator[AppContext]:
    context = open_app(
        home,
        clock_at_real_time(),
        Switch(),
        twilio_settings(sandbox),
        sandbox.credentials.twilio_auth_token,
    )
    yield context
    context.close()


@pytest.fixture
def sending(qtbot: QtBot, app: AppContext) -> WindowSending:
    window = QMainWindow()
    qtbot.addWidget(window)
    errors: list[BaseException] = []
    tasks = TaskRunner(errors.append, window)
    started = start_window_sending(window, app, tasks)
    assert started is not None
    started.periodic.timer.stop()
    return started


def test_the_label_says_sms_is_paused_until_a_new_token_is_saved(
    qtbot: QtBot, app: AppContext, sending: WindowSending, sandbox: Sandbox
) -> None:
    label = sending.label
    sandbox.twilio.auth_token = NEW_TOKEN  # the token was revoked at Twilio
    for body in ("one", "two"):
        app.services.outbox.enqueue(Channel.SMS, ANN, {"body": body})
    qtbot.waitUntil(lambda: label.text() == f"{PAUSED} · 2 waiting to send", timeout=WAIT_MS)
    assert "Twilio refused the credentials" in label.toolTip()
    assert "Settings > Providers" in label.toolTip()
    assert app.services.outbox.counts()[OutboxState.FAILED] == 0

    app.services.providers.save_secret(SecretName.TWILIO_AUTH_TOKEN, NEW_TOKEN)
    qtbot.waitUntil(lambda: label.text() == "", timeout=WAIT_MS)
    assert sorted(bodies(sandbox)) == ["one", "two"]
    assert "refused" not in label.toolTip()
