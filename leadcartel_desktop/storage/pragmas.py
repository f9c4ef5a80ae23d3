"""Connection settings every SQLite connection gets, and the oldest SQLite this build accepts."""

from __future__ import annotations

import sqlite3

from leadcartel_desktop.storage.errors import SqliteTooOldError
from leadcartel_desktop.storage.fts import fold

# STRICT tables need 3.37 (RETURNING 3.35, generated columns 3.31, FTS5 is compiled in).
MINIMUM_SQLITE = (3, 37, 0)
BUSY_TIMEOUT_MS = 10_000
# Execution option a write unit of work sets on its connection: its BEGIN takes the write lock
# up front (IMMEDIATE), so it cannot fail half-way with SQLITE_BUSY when upgrading a read lock.
IMMEDIATE = "leadcartel_begin_immediate"

PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA synchronous = FULL",
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
    "PRAGMA cache_size = -32000",
    "PRAGMA temp_store = MEMORY",
)


def check_sqlite_version() -> None:
    if sqlite3.sqlite_version_info < MINIMUM_SQLITE:
        raise SqliteTooOldError(sqlite3.sqlite_version, ".".join(map(str, MINIMUM_SQLITE)))


def apply_pragmas(connection: sqlite3.Connection) -> None:
    """The settings above, and fold() for searches that ignore case and accents."""
    cursor = connection.cursor()
    try:
        for pragma in PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()
    connection.create_function("fold", 1, _fold, deterministic=True)


def _fold(text: object) -> str | None:
    """SQL fold(x): 'Élodie Zürcher' -> 'elodie zurcher'; NULL stays NULL."""
    return None if text is None else fold(str(text))
