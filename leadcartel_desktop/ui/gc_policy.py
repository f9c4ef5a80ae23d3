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
        gc.unfreeze()
        gc.enable()

    def freeze_long_lived(self) -> None:
        """Exempt what exists now (modules, classes, the open book's caches) from later passes.

        Once the start is over nearly all of the ~140,000 objects are kept until exit, and a
        full pass over them held the GUI thread for about 110 ms every half minute. Frozen,
        a full pass walks only what was made since (~15 ms). The price: a cycle among these
        objects that dies later is never freed, which the start's objects do not do.
        """
        if self._timer.isActive():  # only under this policy: stop() undoes it
            gc.freeze()

    def collect(self) -> None:
        self._ticks += 1
        gc.collect(2 if self._ticks % FULL_PASS_EVERY == 0 else 0)
