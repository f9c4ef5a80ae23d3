"""The outbox's state in the status bar, refreshed through a signal from the worker's threads."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.services.outbox_view import OutboxStatus
from leadcartel_desktop.services.sending import CHANNEL_NAMES

if TYPE_CHECKING:
    from leadcartel_desktop.services.registry import Services
    from leadcartel_desktop.ui.tasks import TaskRunner

WAITING = (OutboxState.PENDING, OutboxState.SENDING)
REFRESH_DELAY_MS = 250  # many changes in a burst make one count
POLL_MS = 5000  # online and offline change without an outbox change
OPEN_TIP = "Show the outbox (View > Outbox…)"
FIX_CREDENTIALS = (
    "Fix them in Settings > Providers: once new credentials are saved, the waiting messages go."
)


def paused_text(channel: Channel) -> str:
    """One paused channel in a few words ("SMS paused: the provider refused the credentials")."""
    return f"{CHANNEL_NAMES[channel]} paused: the provider refused the credentials"


def outbox_text(
    counts: Mapping[OutboxState, int],
    online: bool | None,
    paused: Iterable[Channel] = (),
    *,
    no_provider: bool = False,
) -> str:
    """What waits, what may have gone and what failed ("3 waiting to send", "1 to check").

    A channel `paused` (its provider refused the credentials) is said first: nothing goes on
    it until they are fixed. With `no_provider` set up at all, what waits is not waiting on
    the network ("Offline" would send the operator to check the wrong thing).
    """
    waiting = sum(counts.get(state, 0) for state in WAITING)
    unknown = counts.get(OutboxState.UNKNOWN, 0)  # may have gone: checked, or the operator's
    failed = counts.get(OutboxState.FAILED, 0)
    parts = [paused_text(channel) for channel in sorted(paused, key=list(Channel).index)]
    if waiting and no_provider:
        parts.append(f"{waiting} waiting — set up a provider in Settings > Providers")
    elif waiting:
        parts.append(
            f"Offline — {waiting} waiting" if online is False else f"{waiting} waiting to send"
        )
    if unknown:
        parts.append(f"{unknown} to check")
    if failed:
        parts.append(f"{failed} failed")
    return " · ".join(parts)


class OutboxBridge(QObject):
    """Lives in the GUI thread; `notify` may be called on any thread and only emits."""

    changed = Signal()

    def notify(self) -> None:
        with suppress(RuntimeError):  # the window (and this object with it) is gone
            self.changed.emit()


class OutboxStatusLabel(QLabel):
    """A permanent status-bar label: what waits to send and what failed; a click opens the view."""

    clicked = Signal()

    def __init__(
        self,
        services: Services,
        tasks: TaskRunner,
        online: Callable[[], bool | None] = lambda: None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("outboxStatus")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(OPEN_TIP)
        self._services = services
        self._tasks = tasks
        self._online = online
        self._counting = False  # a count is under way
        self._stale = False  # something changed while it was
        self.bridge = OutboxBridge(self)
        self._later = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._later.timeout.connect(self.refresh)
        self.bridge.changed.connect(self._soon)
        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self.refresh)
        self._poll.start()
        services.outbox.on_change(self.bridge.notify)
        self.refresh()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
            event.accept()
            return
        super().mousePressEvent(event)

    def _soon(self) -> None:
        """At most one count per REFRESH_DELAY_MS however busy the worker is."""
        if not self._later.isActive():
            self._later.start()

    def refresh(self) -> None:
        """Count the rows off the GUI thread; changes meanwhile make one more count after it."""
        if self._counting:
            self._stale = True
            return
        self._counting = True
        self._stale = False
        self._tasks.run(self._services.outbox.status, self._show, self._count_failed)

    def _show(self, status: OutboxStatus) -> None:
        if not shiboken6.isValid(self):  # the window closed while counting
            return
        self._counting = False
        text = outbox_text(
            status.counts, self._online(), status.paused, no_provider=status.no_provider
        )
        self.setText(text)
        self.setVisible(bool(text))
        failed = status.counts.get(OutboxState.FAILED, 0)
        self.setStyleSheet("color: #b3261e;" if failed or status.paused else "")
        reasons = [status.paused[channel] for channel in Channel if channel in status.paused]
        self.setToolTip("\n".join([*reasons, FIX_CREDENTIALS, OPEN_TIP] if reasons else [OPEN_TIP]))
        if self._stale:
            self._soon()

    def _count_failed(self, _error: BaseException) -> None:
        if shiboken6.isValid(self):
            self._counting = False  # the book is closing, or busy: the next change tries again


def attach_outbox_status(
    window: QMainWindow,
    services: Services,
    tasks: TaskRunner,
    online: Callable[[], bool | None],
) -> OutboxStatusLabel:
    """Add the label to `window`'s status bar and return it.

    A window with an `open_outbox()` method (MainWindow) opens the outbox view on a click.
    """
    label = OutboxStatusLabel(services, tasks, online, window)
    opener = getattr(window, "open_outbox", None)
    if callable(opener):
        label.clicked.connect(opener)
    window.statusBar().addPermanentWidget(label)
    label.setVisible(bool(label.text()))  # hidden until a count says there is something
    return label
