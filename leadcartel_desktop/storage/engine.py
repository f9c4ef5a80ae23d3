"""The SQLAlchemy engine for one SQLite file: pragmas on every connection, explicit BEGINs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from leadcartel_desktop.storage.pragmas import (
    BUSY_TIMEOUT_MS,
    IMMEDIATE,
    PRAGMAS,
    apply_pragmas,
    check_sqlite_version,
)

__all__ = [
    "BUSY_TIMEOUT_MS",
    "IMMEDIATE",
    "PRAGMAS",
    "check_sqlite_version",
    "create_sqlite_engine",
]


def create_sqlite_engine(path: Path) -> Engine:
    """A pooled engine usable from several threads (one connection per thread at a time)."""
    check_sqlite_version()
    engine = create_engine(
        URL.create("sqlite+pysqlite", database=str(path)),
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=8,
        pool_timeout=60,
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _on_connect(dbapi_connection: Any, _record: object) -> None:
    # The driver's own implicit transactions are turned off so SQLAlchemy's "begin" event
    # decides what BEGIN is sent (the recipe in SQLAlchemy's SQLite dialect documentation).
    dbapi_connection.isolation_level = None
    apply_pragmas(dbapi_connection)


def _on_begin(connection: Connection) -> None:
    immediate = connection.get_execution_options().get(IMMEDIATE, False)
    # Straight to the driver: SQLAlchemy's statement machinery costs more than the BEGIN, and
    # every unit of work (a type-ahead keystroke, a list page) begins one.
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
