"""Sending in the running window: start the outbox worker and show its state in the status bar."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QMainWindow

from leadcartel_desktop.ui.outbox_status import OutboxStatusLabel, attach_outbox_status

if TYPE_CHECKING:
    from leadcartel_desktop.services.registry import Services

log = logging.getLogger(__name__)


class Worker(Protocol):
    @property
    def online(self) -> bool | None: ...

    def notify(self) -> None: ...


class SendingContext(Protocol):
    """What the app's context offers (AppContext): its services and a worker to start."""

    @property
    def services(self) -> Services: ...

    def start_sending(self) -> Worker: ...


def start_window_sending(window: QMainWindow, app: SendingContext) -> OutboxStatusLabel | None:
    """Start the worker (AppContext.close stops it) and add the outbox label; None on failure."""
    try:
        worker = app.start_sending()
    except Exception:
        log.exception("The outbox worker could not start")
        window.statusBar().showMessage("Sending is not available: see the log", 8000)
        return None
    return attach_outbox_status(window, app.services, lambda: worker.online)
