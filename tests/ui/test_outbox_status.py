"""The status-bar outbox label: waiting, offline and failed rows, refreshed from worker threads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from leadcartel_desktop.app import AppContext, build_context
from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.sandbox import Sandbox
from leadcartel_desktop.ui.outbox_status import outbox_text
from leadcartel_desktop.ui.sending_session import WindowSending, start_window_sending
from leadcartel_desktop.ui.tasks import TaskRunner
from tests.conftest import FixedClock
from tests.integration.outbox_support import Switch
from tests.integration.sandbox_support import (
    MemoryKeyring,
    bodies,
    clock_at_real_time,
    open_app,
    twilio_settings,
)

ANN = "+6591234567"
WAIT_MS = 20_000


def test_the_text_says_what_waits_and_what_failed() -> None:
    assert outbox_text({}, True) == ""
    assert outbox_text({OutboxState.PENDING: 2, OutboxState.SENDING: 1}, True) == (
        "3 waiting to send"
    )
    assert outbox_text({OutboxState.PENDING: 3}, False) == "Offline — 3 waiting"
    assert outbox_text({OutboxState.PENDING: 3}, False, no_provider=True) == (
        "3 waiting — set up a provider in Settings > Providers"
    )
    assert outbox_text({OutboxState.FAILED: 1, OutboxState.SENT: 4}, None) == "1 failed"
    # Unknown may have gone (SMTP cannot be asked): not "waiting to send", but to check.
    assert outbox_text({OutboxState.UNKNOWN: 1, OutboxState.FAILED: 2}, True) == (
        "1 to check · 2 failed"
    )
    assert outbox_text({OutboxState.PENDING: 2, OutboxState.UNKNOWN: 1}, False) == (
        "Offline — 2 waiting · 1 to check"
    )


@pytest.fixture
def switch() -> Switch:
    return Switch(is_online=False)


@pytest.fixture
def app(
    home: Path, sandbox: Sandbox, keychain: MemoryKeyring, switch: Switch
) -> Iterator[AppContext]:
    clock: FixedClock = clock_at_real_time()
    context = open_app(
        home, clock, switch, twilio_settings(sandbox), sandbox.credentials.twilio_auth_token
    )
    yield context
    context.close()


@pytest.fixture
def window(qtbot: QtBot) -> QMainWindow:
    window = QMainWindow()
    qtbot.addWidget(window)
    return window


@pytest.fixture
def sending(window: QMainWindow, app: AppContext) -> WindowSending:
    errors: list[BaseException] = []
    tasks = TaskRunner(errors.append, window)
    started = start_window_sending(window, app, tasks)
    assert started is not None
    started.periodic.timer.stop()  # driven by hand in its own tests
    return started


def test_the_label_shows_waiting_rows_offline_then_clears_once_sent(
    qtbot: QtBot, app: AppContext, sending: WindowSending, switch: Switch, sandbox: Sandbox
) -> None:
    label = sending.label
    assert label.isHidden()
    for body in ("one", "two", "three"):
        app.services.outbox.enqueue(Channel.SMS, ANN, {"body": body})
    qtbot.waitUntil(lambda: label.text() == "Offline — 3 waiting", timeout=WAIT_MS)
    assert not label.isHidden()

    switch.is_online = True
    sending.worker.notify()
    qtbot.waitUntil(lambda: label.text() == "", timeout=WAIT_MS)
    assert label.isHidden()
    assert sorted(bodies(sandbox)) == ["one", "three", "two"]
    assert app.services.outbox.counts().get(OutboxState.SENT) == 3


def test_a_failed_row_is_shown_as_failed(
    qtbot: QtBot, app: AppContext, sending: WindowSending, switch: Switch, sandbox: Sandbox
) -> None:
    sandbox.controls("twilio").fail_next("21211")
    switch.is_online = True
    app.services.outbox.enqueue(Channel.SMS, ANN, {"body": "bad number"})
    qtbot.waitUntil(lambda: sending.label.text() == "1 failed", timeout=WAIT_MS)


def test_with_no_provider_set_up_the_label_says_so_not_offline(
    qtbot: QtBot, home: Path, window: QMainWindow
) -> None:
    context = build_context(home, clock_at_real_time())  # a new book: no provider chosen
    try:
        tasks = TaskRunner(lambda _error: None, window)
        started = start_window_sending(window, context, tasks)
        assert started is not None
        started.periodic.timer.stop()
        for body in ("one", "two"):
            context.services.outbox.enqueue(Channel.SMS, ANN, {"body": body})
        qtbot.waitUntil(
            lambda: started.label.text() == "2 waiting — set up a provider in Settings > Providers",
            timeout=WAIT_MS,
        )
        assert context.services.outbox.counts()[OutboxState.PENDING] == 2
    finally:
        context.close()
