"""One writer per database file in this process, so threads never meet "database is locked"."""

from __future__ import annotations

import threading
from pathlib import Path

from leadcartel_desktop.storage.errors import DatabaseBusyError

WAIT_SECONDS = 60.0


class WriteLock:
    """A process-wide lock around write units of work on one file.

    SQLite allows one writer at a time; queueing writers here (instead of letting SQLite
    answer SQLITE_BUSY) keeps worker threads from failing. A second write unit opened on the
    thread that already holds the lock would wait for itself forever, so it is refused.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owner: int | None = None

    def acquire(self) -> None:
        if self._owner == threading.get_ident():
            raise RuntimeError("a write unit of work is already open on this thread")
        if not self._lock.acquire(timeout=WAIT_SECONDS):
            raise DatabaseBusyError(WAIT_SECONDS)
        self._owner = threading.get_ident()

    def release(self) -> None:
        self._owner = None
        self._lock.release()

    def __enter__(self) -> WriteLock:
        self.acquire()
        return self

    def __exit__(self, *_: object) -> None:
        self.release()


_LOCKS: dict[Path, WriteLock] = {}
_LOCKS_GUARD = threading.Lock()


def write_lock_for(path: Path) -> WriteLock:
    """The lock shared by every Database this process opens on `path`."""
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(path.resolve(), WriteLock())
