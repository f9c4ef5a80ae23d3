"""Errors about the database file itself, worded for the operator."""

from __future__ import annotations

from pathlib import Path

from leadcartel_desktop.domain.errors import UserFacingError


class DatabaseTooNewError(UserFacingError):
    """The file was migrated by a later release; opening it here could damage it."""

    def __init__(self, path: Path, revision: str) -> None:
        super().__init__(
            f"The database {path} was written by a newer version of Lead Cartel Desktop "
            f"(schema revision {revision}). Install the newer version to open it; "
            "the file has not been changed."
        )
        self.path = path
        self.revision = revision


class UnreadableDatabaseError(UserFacingError):
    """The file is not a Lead Cartel Desktop database (or not SQLite at all)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"The file {path} is not a Lead Cartel Desktop database ({reason}); "
            "it has not been changed."
        )
        self.path = path


class DatabaseNotWritableError(UserFacingError):
    """The file or its folder is read-only to this user: nothing could be saved."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"Lead Cartel Desktop cannot write to {path}: check the file and folder permissions "
            "(nothing has been changed)."
        )
        self.path = path


class DatabaseBusyError(UserFacingError):
    """Another save has held the database for too long."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"The database stayed busy with another save for {seconds:.0f} seconds; try again."
        )


class SqliteTooOldError(UserFacingError):
    """The SQLite library Python links against lacks features the schema needs."""

    def __init__(self, found: str, needed: str) -> None:
        super().__init__(
            f"This Python's SQLite library is version {found}; Lead Cartel Desktop needs "
            f"{needed} or newer."
        )
