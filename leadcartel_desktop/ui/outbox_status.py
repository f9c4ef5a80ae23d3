"""The outbox's state in the status bar, refreshed through a signal from the worker's threads."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import suppress
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from leadcartel_desktop.domain.outbox import OutboxState

if TYPE_CHECKING:
    from leadcartel_desktop.services.registry import Services

WAITING = (OutboxState.PENDING, OutboxState.SENDING, OutboxState.UNKNOWN)
REFRESH_DELAY_MS = 250  # many changes in a burst make one count
POLL_MS = 5000  # online and offline change without an outbox change


def outbox_text(counts: Mapping[OutboxState, int], online: bool | None) -> str:
    """What waits and what failed ("3 waiting to send", "Offline — 3 waiting", "1 failed")."""
    waiting = sum(counts.get(state, 0) for state in WAITING)
    failed = counts.get(OutboxState.FAILED, 0)
    parts: list[str] = []
    if waiting:
        parts.append(
            f"Offline — {waiting} waiting" if online is False else f"{waiting} waiting to send"
        )
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
    """A permanent status-bar label: what waits to send and what failed."""

    def __init__(
        self,
        services: Services,
        online: Callable[[], bool | None] = lambda: None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("outboxStatus")
        self._services = services
        self._online = online
        self.bridge = OutboxBridge(self)
        self._later = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._later.timeout.connect(self.refresh)
        self.bridge.changed.connect(self._soon)
        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self.refresh)
        self._poll.start()
        services.outbox.on_change(self.bridge.notify)
        self.refresh()

    def _soon(self) -> None:
        """At most one count per REFRESH_DELAY_MS however busy the worker is."""
        if not self._later.isActive():
            self._later.start()

    def refresh(self) -> None:
        """Count the rows now (a small grouped query, on the GUI thread)."""
        try:
            counts = self._services.outbox.counts()
        except Exception:  # the book is closing; the next change tries again
            return
        text = outbox_text(counts, self._online())
        self.setText(text)
        self.setVisible(bool(text))
        failed = counts.get(OutboxState.FAILED, 0)
        self.setStyleSheet("color: #b3261e;" if failed else "")


def attach_outbox_status(
    window: QMainWindow, services: Services, online: Callable[[], bool | None]
) -> OutboxStatusLabel:
    """Add the label to `window`'s status bar and return it."""
    label = OutboxStatusLabel(services, online, window)
    window.statusBar().addPermanentWidget(label)
    return label
