"""Run database and file work off the GUI thread; results come back to the GUI thread by signal."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

T = TypeVar("T")
log = logging.getLogger(__name__)


class Cancelled(Exception):  # noqa: N818 - it is a signal to stop, not an error
    """Raised inside a task when the operator cancelled it."""


class Progress:
    """Handed to long tasks: report how far they got, and check whether to stop."""

    def __init__(self, relay: _Relay) -> None:
        self._relay = relay
        self._cancel = threading.Event()

    def report(self, done: int, total: int, text: str = "") -> None:
        self._relay.progressed.emit(done, total, text)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Stop the task here if the operator cancelled it."""
        if self._cancel.is_set():
            raise Cancelled


class _Relay(QObject):
    """Lives in the GUI thread, so its slots run there when a worker emits its signals."""

    finished = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int, str)

    def __init__(
        self,
        on_done: Callable[[object], Any],
        on_error: Callable[[BaseException], Any],
        on_progress: Callable[[int, int, str], Any] | None = None,
    ) -> None:
        super().__init__()
        self._on_done = on_done
        self._on_error = on_error
        self._on_progress = on_progress
        self.finished.connect(self._deliver_result)
        self.failed.connect(self._deliver_error)
        self.progressed.connect(self._deliver_progress)

    @Slot(object)
    def _deliver_result(self, result: object) -> None:
        self._on_done(result)

    @Slot(object)
    def _deliver_error(self, error: BaseException) -> None:
        self._on_error(error)

    @Slot(int, int, str)
    def _deliver_progress(self, done: int, total: int, text: str) -> None:
        if self._on_progress is not None:
            self._on_progress(done, total, text)


class _Job(QRunnable, Generic[T]):
    def __init__(self, work: Callable[[], T], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except BaseException as error:
            self._relay.failed.emit(error)
        else:
            self._relay.finished.emit(result)


class TaskRunner(QObject):
    """One serial lane for database work (SQLite has one writer) and a pool for the rest."""

    busy_changed = Signal(bool)

    def __init__(self, on_error: Callable[[BaseException], None], parent: QObject | None = None):
        super().__init__(parent)
        self._on_error = on_error
        self._database_lane = QThreadPool(self)
        self._database_lane.setMaxThreadCount(1)
        self._background = QThreadPool(self)
        self._background.setMaxThreadCount(2)
        self._in_flight: set[_Relay] = set()

    def run(
        self,
        work: Callable[[], T],
        on_done: Callable[[T], Any] | None = None,
        on_error: Callable[[BaseException], Any] | None = None,
        *,
        database: bool = True,
    ) -> None:
        """Run `work` in a worker thread, then `on_done(result)` in the GUI thread."""
        relay = self._relay(on_done, on_error, None)
        pool = self._database_lane if database else self._background
        pool.start(_Job(work, relay))

    def run_with_progress(
        self,
        work: Callable[[Progress], T],
        on_done: Callable[[T], Any] | None = None,
        on_progress: Callable[[int, int, str], Any] | None = None,
        on_error: Callable[[BaseException], Any] | None = None,
        *,
        database: bool = False,
    ) -> Progress:
        """Like run(), for long work that reports progress; the returned handle cancels it."""
        relay = self._relay(on_done, on_error, on_progress)
        progress = Progress(relay)
        pool = self._database_lane if database else self._background
        pool.start(_Job(lambda: work(progress), relay))
        return progress

    def _relay(
        self,
        on_done: Callable[[Any], Any] | None,
        on_error: Callable[[BaseException], Any] | None,
        on_progress: Callable[[int, int, str], Any] | None,
    ) -> _Relay:
        relay: _Relay

        def finish(result: object) -> None:
            self._release(relay)
            if on_done is not None:
                on_done(result)

        def fail(error: BaseException) -> None:
            self._release(relay)
            if not isinstance(error, Cancelled):
                (on_error or self._on_error)(error)

        relay = _Relay(finish, fail, on_progress)
        self._in_flight.add(relay)
        if len(self._in_flight) == 1:
            self.busy_changed.emit(True)
        return relay

    def _release(self, relay: _Relay) -> None:
        self._in_flight.discard(relay)
        relay.deleteLater()
        if not self._in_flight:
            self.busy_changed.emit(False)

    def is_idle(self) -> bool:
        return not self._in_flight

    def wait_for_done(self, msecs: int = 30000) -> bool:
        """Block until both pools are empty (for shutdown; never call it while painting)."""
        return self._database_lane.waitForDone(msecs) and self._background.waitForDone(msecs)
