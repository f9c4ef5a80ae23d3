"""Twenty sends queued from the window with no server listening: the window goes on, then each
arrives once, in order, when the server appears."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.domain.providers import ProviderKind, ProviderSettings, TwilioSettings
from leadcartel_desktop.providers.connectivity import TcpConnectivity
from leadcartel_desktop.sandbox import Credentials
from leadcartel_desktop.sandbox.admin import admin_router
from leadcartel_desktop.sandbox.controls import Controls
from leadcartel_desktop.sandbox.http_server import HttpServer
from leadcartel_desktop.sandbox.tls import SandboxTls
from leadcartel_desktop.sandbox.twilio_api import TwilioApi
from leadcartel_desktop.ui.sending_session import start_window_sending
from leadcartel_desktop.ui.tasks import TaskRunner
from tests.integration.sandbox_support import (
    MemoryKeyring,
    clock_at_real_time,
    memory_keyring,
    open_app,
)

ANN = "+6591234567"
WAIT_MS = 30_000


@pytest.fixture
def keychain() -> Iterator[MemoryKeyring]:
    with memory_keyring() as backend:
        yield backend


def test_twenty_queued_with_no_server_then_each_arrives_once_in_order(
    qtbot: QtBot, home: Path, tmp_path: Path, keychain: MemoryKeyring
) -> None:
    idle = socket.socket()  # holds a port where nothing listens (connections are refused)
    idle.bind(("127.0.0.1", 0))
    port = idle.getsockname()[1]
    tls, credentials = SandboxTls.create(tmp_path / "tls"), Credentials()
    settings = ProviderSettings(
        sms=ProviderKind.TWILIO,
        twilio=TwilioSettings(
            account_sid=credentials.twilio_account_sid,
            from_number=credentials.twilio_from,
            base_url=f"https://127.0.0.1:{port}",
        ),
        ca_bundle=str(tls.ca_bundle),
    )
    connectivity = TcpConnectivity(lambda: settings, timeout=2.0, cache_seconds=0)
    app = open_app(
        home, clock_at_real_time(), connectivity, settings, credentials.twilio_auth_token
    )
    window = QMainWindow()
    qtbot.addWidget(window)
    errors: list[BaseException] = []
    tasks = TaskRunner(errors.append, window)
    server: HttpServer | None = None
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

        idle.close()  # the server appears on that port
        api = TwilioApi(
            Controls("twilio"), credentials.twilio_account_sid, credentials.twilio_auth_token
        )
        server = HttpServer(
            api, admin_router({"twilio": api}), port=port, tls=tls.server.server_context()
        ).start()
        sending.worker.notify()
        qtbot.waitUntil(lambda: sending.label.text() == "", timeout=WAIT_MS)
        assert {outbox.get(i).state for i in queued} == {OutboxState.SENT}
        assert [item.data["body"] for item in api.controls.received()] == [
            f"Reminder {n}" for n in range(20)
        ]
        assert errors == []
    finally:
        app.close()
        idle.close()
        if server is not None:
            server.stop()
