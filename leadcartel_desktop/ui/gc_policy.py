"""Collect garbage only on the GUI thread, so Qt objects are never freed from a worker thread."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

COLLECT_EVERY_MS = 1000
FULL_PASS_EVERY = 30  # ticks: young objects every second, everything every half minute


class MainThreadCollector(QObject):
    """Runs Python's cycle collector from a GUI-thread timer instead of automatically.

    Automatic collection runs wherever an allocation happens to trip it; a cycle holding a
    Qt object collected on an outbox, pool or sandbox thread crashes the process (Anki does
    the same for the same reason).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(COLLECT_EVERY_MS)
        self._timer.timeout.connect(self.collect)
        self._ticks = 0

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()

    def collect(self) -> None:
        self._ticks += 1
        gc.collect(2 if self._ticks % FULL_PASS_EVERY == 0 else 0)
