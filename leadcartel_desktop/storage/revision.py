"""Read a file's schema revision without writing a byte (stdlib sqlite3, read-only URI)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from leadcartel_desktop.storage.errors import DatabaseNotWritableError, UnreadableDatabaseError

# The newest migration in storage/migrations/versions; a test keeps the two in step. Knowing it
# here lets a file already at head open without importing Alembic at all (cold start).
HEAD_REVISION = "0013"


def stored_revision(path: Path) -> str | None:
    """The Alembic revision stamped in the file, or None for a missing or empty database.

    Opened read-only through a URI, so even a file this build must refuse is not touched.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise _unreadable(path, error) from None
    try:
        tables = {
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
            )
        }
        if "alembic_version" not in tables:
            if tables:
                raise UnreadableDatabaseError(path, "it holds tables of another application")
            return None
        versions = [row[0] for row in connection.execute("SELECT version_num FROM alembic_version")]
    except sqlite3.DatabaseError as error:
        raise _unreadable(path, error) from None
    finally:
        connection.close()
    if not versions:
        return None  # stamped at base: every migration still to run
    if len(versions) != 1:
        raise UnreadableDatabaseError(path, "its schema version is ambiguous")
    return str(versions[0])


def _unreadable(path: Path, error: sqlite3.Error) -> Exception:
    """A permission problem as such, anything else as a file that is not ours.

    A WAL file opened read-only still needs its -shm file, so a read-only folder (or file)
    shows up here as "unable to open database file".
    """
    part = unwritable_part(path)
    if part is not None or "attempt to write a readonly database" in str(error):
        return DatabaseNotWritableError(part or path)
    return UnreadableDatabaseError(path, str(error))


def unwritable_part(path: Path) -> Path | None:
    """The database file, or its folder, when this user cannot write it (None when both can).

    SQLite writes its -wal and -shm files next to the database, so the folder counts too.
    """
    folder = path.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        return folder
    if path.exists() and not os.access(path, os.W_OK):
        return path
    return None


def check_writable(path: Path) -> None:
    """Raise DatabaseNotWritableError before anything is written to a read-only book."""
    part = unwritable_part(path)
    if part is not None:
        raise DatabaseNotWritableError(part)
