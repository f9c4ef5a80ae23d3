"""A unit of work's statements: through SQLAlchemy (writes) or straight to the driver (reads)."""

from __future__ import annotations

import json
import sqlite3
from collections import namedtuple
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

# SQLAlchemy loads with the first write unit of work, not with this module: reads (the list,
# the type-ahead, the first paint at start-up) never need it.
if TYPE_CHECKING:
    from sqlalchemy import Connection

Params = Mapping[str, Any] | Sequence[Any]


class Result(Protocol):
    """The part of a SQLAlchemy CursorResult the repositories use."""

    @property
    def rowcount(self) -> int: ...

    def first(self) -> Any: ...

    def all(self) -> Sequence[Any]: ...

    def scalar(self) -> Any: ...

    def __iter__(self) -> Iterator[Any]: ...


class Statements(Protocol):
    """What a repository runs its SQL through (sqlite3 parameter styles: ? or :name)."""

    def run(self, statement: str, params: Params | None = None) -> Result: ...

    def many(self, statement: str, rows: Sequence[Mapping[str, Any]]) -> None: ...

    def scalar(self, statement: str, params: Params | None = None) -> Any: ...

    def tuples(self, statement: str, params: Params = ()) -> list[tuple[Any, ...]]:
        """Plain driver rows, for the hot read paths (type-ahead, list pages)."""
        ...

    def ids(self, statement: str, params: Params = ()) -> list[int]:
        """The integer first column of `statement` (`SELECT id ... ORDER BY ...`), in order."""
        ...


class Sql:
    """Statements on one SQLAlchemy Connection that a write unit of work owns."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def run(self, statement: str, params: Params | None = None) -> Result:
        return self._connection.exec_driver_sql(statement, params or None)

    def many(self, statement: str, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            self._connection.exec_driver_sql(statement, list(rows))

    def scalar(self, statement: str, params: Params | None = None) -> Any:
        return self.run(statement, params).scalar()

    def tuples(self, statement: str, params: Params = ()) -> list[tuple[Any, ...]]:
        # SQLAlchemy's Result and Row machinery costs more than the query itself when the
        # query takes a few hundred microseconds. Still inside this unit's transaction.
        return driver_tuples(self._driver(), statement, params)

    def ids(self, statement: str, params: Params = ()) -> list[int]:
        return driver_ids(self._driver(), statement, params)

    def _driver(self) -> sqlite3.Connection:
        if not self._connection.in_transaction():
            self._connection.begin()
        driver = self._connection.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        return driver


class DriverSql:
    """Statements on a plain sqlite3 connection (a read-only unit of work's)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def run(self, statement: str, params: Params | None = None) -> Result:
        return DriverResult(self._connection.execute(statement, params or ()))

    def many(self, statement: str, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            self._connection.executemany(statement, rows)

    def scalar(self, statement: str, params: Params | None = None) -> Any:
        return self.run(statement, params).scalar()

    def tuples(self, statement: str, params: Params = ()) -> list[tuple[Any, ...]]:
        return driver_tuples(self._connection, statement, params)

    def ids(self, statement: str, params: Params = ()) -> list[int]:
        return driver_ids(self._connection, statement, params)


class DriverResult:
    """A sqlite3 cursor answering like a SQLAlchemy result: rows by name and by position."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor
        names = tuple(column[0] for column in cursor.description or ())
        self._row = _row_type(names) if names else None

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    def _make(self, values: tuple[Any, ...]) -> Any:
        return values if self._row is None else self._row._make(values)

    def first(self) -> Any:
        values = self._cursor.fetchone()
        self._cursor.close()
        return None if values is None else self._make(values)

    def all(self) -> list[Any]:
        return [self._make(values) for values in self._cursor.fetchall()]

    def scalar(self) -> Any:
        values = self._cursor.fetchone()
        self._cursor.close()
        return None if values is None else values[0]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.all())


@lru_cache(maxsize=256)
def _row_type(names: tuple[str, ...]) -> type[Any]:
    """A named tuple per column list (`row.first_name`, `row._asdict()`, unpacking)."""
    return namedtuple("Row", names, rename=True)  # type: ignore[misc]


def driver_tuples(
    connection: sqlite3.Connection, statement: str, params: Params
) -> list[tuple[Any, ...]]:
    cursor = connection.execute(statement, params)
    try:
        return cursor.fetchall()
    finally:
        cursor.close()


def driver_ids(connection: sqlite3.Connection, statement: str, params: Params) -> list[int]:
    """The ids `statement` selects, in its order, packed by SQLite into one JSON array.

    A list of 200,000 ids costs far more as 200,000 driver rows than the index scan that
    finds them. The subquery keeps its ORDER BY: SQLite drops an ORDER BY from a FROM-clause
    subquery only when the outer query's aggregates are count(), min() or max(), never for
    group_concat(); the LIMIT is a second guard (a subquery with a LIMIT keeps its order).
    """
    cursor = connection.execute(packed_ids(statement), params)
    try:
        (text,) = cursor.fetchone()
    finally:
        cursor.close()
    return parse_ids(text)


def parse_ids(text: str, chunk: int = 64_000) -> list[int]:
    """'[3,1,2]' -> [3, 1, 2], parsed a slice at a time.

    json.loads holds the interpreter for all of a long list (tens of milliseconds for
    200,000 ids); slices of ~10,000 ids let the GUI thread in between them.
    """
    ids: list[int] = []
    start, end = 1, len(text) - 1  # inside the brackets
    while start < end:
        stop = text.find(",", min(start + chunk, end))
        stop = end if stop < 0 else stop
        ids.extend(json.loads(f"[{text[start:stop]}]"))
        start = stop + 1
    return ids


def packed_ids(statement: str) -> str:
    """`statement` (selecting a column named id, ordered) wrapped to return one JSON array."""
    return f"SELECT '[' || coalesce(group_concat(id), '') || ']' FROM ({statement} LIMIT -1)"
