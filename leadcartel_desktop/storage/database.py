"""Open the SQLite file: refuse newer files, migrate older ones, hand out units of work."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from leadcartel_desktop.storage.errors import DatabaseTooNewError
from leadcartel_desktop.storage.revision import HEAD_REVISION, stored_revision
from leadcartel_desktop.storage.write_lock import WriteLock, write_lock_for

# SQLAlchemy and Alembic load inside open_database, not when this module is imported, so the
# window can paint first; Alembic loads only when the file is new or older than this build.
if TYPE_CHECKING:
    from sqlalchemy import Engine

    from leadcartel_desktop.storage.unit_of_work import SqlUnitOfWork


class Database:
    """One open database file: its engine and the lock that keeps writers one at a time."""

    def __init__(self, path: Path, engine: Engine, write_lock: WriteLock) -> None:
        self.path = path
        self._engine = engine
        self._write_lock = write_lock

    @property
    def engine(self) -> Engine:
        return self._engine

    def unit_of_work(self, *, read_only: bool = False) -> SqlUnitOfWork:
        """A transaction (the UnitOfWorkFactory port); write units queue on the lock."""
        from leadcartel_desktop.storage.unit_of_work import SqlUnitOfWork

        return SqlUnitOfWork(self._engine, self._write_lock, read_only=read_only)

    def close(self) -> None:
        """Close every pooled connection (the last one to close checkpoints the WAL)."""
        self._engine.dispose()


def open_database(path: Path) -> Database:
    """Open (creating or upgrading) the database at `path`.

    A file stamped with a revision this build does not know was written by a newer version:
    it is refused with DatabaseTooNewError before anything is written to it, not even the
    journal mode.
    """
    path = Path(path).resolve()
    revision = stored_revision(path)
    if revision is not None and revision != HEAD_REVISION:
        from leadcartel_desktop.storage.migrate import known_revisions

        if revision not in known_revisions():
            raise DatabaseTooNewError(path, revision)

    from leadcartel_desktop.storage.engine import create_sqlite_engine

    engine = create_sqlite_engine(path)
    write_lock = write_lock_for(path)
    if revision != HEAD_REVISION:
        from leadcartel_desktop.storage.migrate import upgrade_to_head

        try:
            with write_lock:
                upgrade_to_head(engine)
        except BaseException:
            engine.dispose()
            raise
    return Database(path, engine, write_lock)
