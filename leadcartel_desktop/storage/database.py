"""Open the SQLite file: refuse newer files, migrate older ones, hand out units of work."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from leadcartel_desktop.storage.errors import DatabaseTooNewError
from leadcartel_desktop.storage.pragmas import check_sqlite_version
from leadcartel_desktop.storage.read_pool import ReadPool
from leadcartel_desktop.storage.revision import HEAD_REVISION, check_writable, stored_revision
from leadcartel_desktop.storage.write_lock import WriteLock, write_lock_for

# SQLAlchemy loads with the first write unit of work (or a migration), not when this module
# is imported and not to read: read units use plain sqlite3, so the window can paint its
# first rows without it. Alembic loads only when the file is new or older than this build.
if TYPE_CHECKING:
    from sqlalchemy import Engine

    from leadcartel_desktop.storage.unit_of_work import ReadUnitOfWork, SqlUnitOfWork


class Database:
    """One open database file: its read connections, its engine and the writers' lock."""

    def __init__(self, path: Path, engine: Engine | None, write_lock: WriteLock) -> None:
        self.path = path
        self._engine = engine
        self._engine_guard = threading.Lock()
        self._write_lock = write_lock
        self._reads = ReadPool(path)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, created on first use."""
        with self._engine_guard:
            if self._engine is None:
                from leadcartel_desktop.storage.engine import create_sqlite_engine

                self._engine = create_sqlite_engine(self.path)
            return self._engine

    def unit_of_work(self, *, read_only: bool = False) -> SqlUnitOfWork | ReadUnitOfWork:
        """A transaction (the UnitOfWorkFactory port); write units queue on the lock."""
        from leadcartel_desktop.storage.unit_of_work import ReadUnitOfWork, SqlUnitOfWork

        if read_only:
            return ReadUnitOfWork(self._reads)
        return SqlUnitOfWork(self.engine, self._write_lock)

    def close(self) -> None:
        """Close every connection (the last one to close checkpoints the WAL)."""
        self._reads.close()
        with self._engine_guard:
            if self._engine is not None:
                self._engine.dispose()


def open_database(path: Path) -> Database:
    """Open (creating or upgrading) the database at `path`.

    A file stamped with a revision this build does not know was written by a newer version:
    it is refused with DatabaseTooNewError before anything is written to it, not even the
    journal mode. A file or folder this user cannot write is refused (DatabaseNotWritableError).
    """
    path = Path(path).resolve()
    revision = stored_revision(path)
    if revision is not None and revision != HEAD_REVISION:
        from leadcartel_desktop.storage.migrate import known_revisions

        if revision not in known_revisions():
            raise DatabaseTooNewError(path, revision)

    check_writable(path)
    check_sqlite_version()
    write_lock = write_lock_for(path)
    if revision == HEAD_REVISION:
        return Database(path, None, write_lock)

    from leadcartel_desktop.storage.engine import create_sqlite_engine
    from leadcartel_desktop.storage.migrate import upgrade_to_head

    engine = create_sqlite_engine(path)
    try:
        with write_lock:
            upgrade_to_head(engine)
    except BaseException:
        engine.dispose()
        raise
    return Database(path, engine, write_lock)
