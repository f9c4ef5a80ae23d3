"""Twenty sends queued from the window with no server listening: the window goes on, then each
arrives once, in order, when the server appears."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.providers.connectivity import TcpConnectivity
from leadcartel_desktop.ui.sending_session import start_window_sending
from leadcartel_desktop.ui.tasks import TaskRunner
from tests.integration.sandbox_support import (
    MemoryKeyring,
    TwilioYetToCome,
    clock_at_real_time,
    open_app,
)

ANN = "+6591234567"
WAIT_MS = 30_000


def test_twenty_queued_with_no_server_then_each_arrives_once_in_order(
    qtbot: QtBot, home: Path, tmp_path: Path, keychain: MemoryKeyring
) -> None:
    twilio = TwilioYetToCome(tmp_path)
    connectivity = TcpConnectivity(lambda: twilio.settings, timeout=2.0, cache_seconds=0)
    token = twilio.credentials.twilio_auth_token
    app = open_app(home, clock_at_real_time(), connectivity, twilio.settings, token)
    window = QMainWindow()
    qtbot.addWidget(window)
    errors: list[BaseException] = []
    tasks = TaskRunner(errors.append, window)
    try:
        sending = start_window_sending(window, app, tasks)
        assert sending is not None
        sending.periodic.timer.stop()
        outbox = app.services.outbox
        queued: list[int] = []
        for n in range(20):  # as the window queues: on its task runner, never the GUI thread
            tasks.run(
                lambda n=n: outbox.enqueue(Channel.SMS, ANN, {"body": f"Reminder {n}"}),
                queued.append,
            )
        # The window keeps running its event loop: the status line follows the queue.
        qtbot.waitUntil(lambda: len(queued) == 20, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: sending.label.text() == "Offline — 20 waiting", timeout=WAIT_MS)
        assert outbox.counts()[OutboxState.PENDING] == 20

        api = twilio.arrive()  # the server appears on that port
        sending.worker.notify()
        qtbot.waitUntil(lambda: sending.label.text() == "", timeout=WAIT_MS)
        assert {outbox.get(i).state for i in queued} == {OutboxState.SENT}
        assert [item.data["body"] for item in api.controls.received()] == [
            f"Reminder {n}" for n in range(20)
        ]
        assert errors == []
    finally:
        app.close()
        twilio.close()
