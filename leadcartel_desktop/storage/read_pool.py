"""Read-only sqlite3 connections for read units of work: no SQLAlchemy, reused across threads."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from leadcartel_desktop.storage.pragmas import BUSY_TIMEOUT_MS, apply_pragmas, check_sqlite_version

MAX_IDLE = 4


class ReadPool:
    """Hands out query_only connections, one unit of work at a time each.

    WAL lets any number of them read beside the one writer. Reads skip SQLAlchemy entirely:
    the list, the type-ahead and the first paint at start-up stay clear of its import and
    of its per-statement cost. A connection goes back idle after its unit (at most MAX_IDLE
    are kept); `close` closes them all.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._idle: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        self._closed = False

    def acquire(self) -> sqlite3.Connection:
        with self._guard:
            if self._closed:
                raise RuntimeError("the database is closed")
            if self._idle:
                return self._idle.pop()
        return self._connect()

    def release(self, connection: sqlite3.Connection) -> None:
        with self._guard:
            if not self._closed and len(self._idle) < MAX_IDLE:
                self._idle.append(connection)
                return
        connection.close()

    def close(self) -> None:
        with self._guard:
            self._closed = True
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()

    def _connect(self) -> sqlite3.Connection:
        check_sqlite_version()
        connection = sqlite3.connect(
            self._path,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,  # BEGIN and ROLLBACK are sent by the unit of work
            check_same_thread=False,  # used by one thread at a time, handed over by the pool
        )
        try:
            apply_pragmas(connection)
            connection.execute("PRAGMA query_only = 1")
        except BaseException:
            connection.close()
            raise
        return connection
