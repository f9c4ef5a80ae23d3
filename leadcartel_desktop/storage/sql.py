"""A unit of work's connection: SQL through SQLAlchemy, the raw driver cursor for long id lists."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, CursorResult

Params = Mapping[str, Any] | Sequence[Any]


class Sql:
    """Thin helpers over one SQLAlchemy Connection that a unit of work owns."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def run(self, statement: str, params: Params | None = None) -> CursorResult[Any]:
        return self._connection.exec_driver_sql(statement, params or None)

    def many(self, statement: str, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            self._connection.exec_driver_sql(statement, list(rows))

    def scalar(self, statement: str, params: Params | None = None) -> Any:
        return self.run(statement, params).scalar()

    def tuples(self, statement: str, params: Params = ()) -> list[tuple[Any, ...]]:
        """Plain driver rows, for the hot read paths (type-ahead, list pages).

        SQLAlchemy's Result and Row machinery costs more than the query itself when the
        query takes a few hundred microseconds. Still inside this unit's transaction.
        """
        cursor = self._driver().execute(statement, params)
        try:
            return cursor.fetchall()
        finally:
            cursor.close()

    def _driver(self) -> Any:
        if not self._connection.in_transaction():
            self._connection.begin()
        driver = self._connection.connection.driver_connection
        assert driver is not None
        return driver

    def ids(self, statement: str, params: Params = ()) -> list[int]:
        """The integer first column of `statement` (`SELECT id ... ORDER BY ...`), in order.

        A list of 200,000 ids costs far more as 200,000 driver rows (let alone SQLAlchemy
        Rows) than the index scan that finds them, so SQLite packs them into one JSON array.
        The subquery keeps its ORDER BY: SQLite drops an ORDER BY from a FROM-clause subquery
        only when the outer query's aggregates are count(), min() or max(), never for
        group_concat(); the LIMIT is a second guard (a subquery with a LIMIT keeps its order).
        The statement still runs inside this unit's transaction.
        """
        cursor = self._driver().execute(packed_ids(statement), params)
        try:
            (text,) = cursor.fetchone()
        finally:
            cursor.close()
        ids: list[int] = json.loads(text)
        return ids


def packed_ids(statement: str) -> str:
    """`statement` (selecting a column named id, ordered) wrapped to return one JSON array."""
    return f"SELECT '[' || coalesce(group_concat(id), '') || ']' FROM ({statement} LIMIT -1)"
