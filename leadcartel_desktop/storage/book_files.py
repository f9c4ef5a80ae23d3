"""A database file with its -wal and -shm companions: fold, move and delete them as one."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from leadcartel_desktop.domain.errors import ConflictError

SIDECAR_SUFFIXES = ("-wal", "-shm", "-journal")


def sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in SIDECAR_SUFFIXES]


def remove_book(path: Path) -> None:
    """Delete the file and its companions (a half-built file from a stopped run)."""
    for part in (path, *sidecars(path)):
        part.unlink(missing_ok=True)


def seal(path: Path) -> None:
    """Fold the write-ahead log into the (closed) file, so the file alone is the whole book."""
    connection = sqlite3.connect(path)
    try:
        busy, _log, _done = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        connection.close()
    if busy:
        raise ConflictError(f"{path} is still open elsewhere: close it and try again")
    for part in sidecars(path):
        part.unlink(missing_ok=True)  # empty now: everything is in the file


def move_into_place(source: Path, target: Path) -> None:
    """Atomically replace `target` with the sealed `source` (no log of the old file remains)."""
    for part in sidecars(target):
        if part.exists() and part.stat().st_size > 0 and part.name.endswith("-wal"):
            raise ConflictError(f"{target} is open in another window: close it and try again")
    for part in sidecars(target):
        part.unlink(missing_ok=True)
    os.replace(source, target)
