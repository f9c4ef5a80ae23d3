"""Sending in the running window: the outbox worker, its status-bar label, the periodic job."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from leadcartel_desktop.ui.outbox_status import OutboxStatusLabel, attach_outbox_status
from leadcartel_desktop.ui.periodic_sync import PeriodicSync
from leadcartel_desktop.ui.sync_problems import SyncProblemsDialog

if TYPE_CHECKING:
    from leadcartel_desktop.services.registry import Services
    from leadcartel_desktop.ui.tasks import TaskRunner

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


@dataclass(frozen=True, slots=True)
class WindowSending:
    """What runs with the window: the worker, its label and the periodic job."""

    worker: Worker
    label: OutboxStatusLabel
    periodic: PeriodicSync


def start_window_sending(
    window: QMainWindow, app: SendingContext, tasks: TaskRunner
) -> WindowSending | None:
    """Start the worker, its status label and the periodic job; None if the worker failed.

    AppContext.close stops the worker.
    """
    if not shiboken6.isValid(window):  # closed meanwhile: nothing to show, nothing to start
        return None
    try:
        worker = app.start_sending()
    except Exception:
        log.exception("The outbox worker could not start")
        window.statusBar().showMessage("Sending is not available: see the log", 8000)
        return None
    label = attach_outbox_status(window, app.services, tasks, lambda: worker.online)
    periodic = PeriodicSync(app.services, tasks, parent=label)
    periodic.problems_changed.connect(lambda text: _show_problems(window, text))
    _offer_problems(window, periodic)
    periodic.start()
    return WindowSending(worker, label, periodic)


def _offer_problems(window: QMainWindow, periodic: PeriodicSync) -> None:
    """View > Sync problems… opens the latest run's list (kept up to date while open)."""
    action = getattr(window, "sync_problems_action", None)
    if action is None:
        return
    opened: list[SyncProblemsDialog] = []

    def show() -> None:
        if opened and shiboken6.isValid(opened[0]):
            opened[0].raise_()
            return
        dialog = SyncProblemsDialog(periodic.latest_problems, window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        opened[:] = [dialog]
        dialog.show()

    def ran(_run: object) -> None:  # every run: the first one ends "no sync yet"
        if opened and shiboken6.isValid(opened[0]):
            opened[0].show_problems(periodic.latest_problems)

    action.triggered.connect(show)
    action.setEnabled(True)
    periodic.ran.connect(ran)


def _show_problems(window: QMainWindow, text: str) -> None:
    if text and shiboken6.isValid(window):
        window.statusBar().showMessage(text, 20_000)
