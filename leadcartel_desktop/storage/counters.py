"""Gapless invoice number counters: one row per series, taken inside the issuing transaction."""

from __future__ import annotations

from leadcartel_desktop.storage.sql import Statements


class SqlNumberCounters:
    """Only issuing takes a number; drafts peek, and a delete never gives one back.

    `take` runs inside the caller's write transaction (BEGIN IMMEDIATE, one writer), so two
    issuers cannot get the same value, and a rolled-back issue rolls the counter back too.
    On PostgreSQL the same row would be taken with SELECT ... FOR UPDATE.
    """

    def __init__(self, sql: Statements) -> None:
        self._sql = sql

    def peek(self, series: str) -> int:
        value = self._sql.scalar(
            "SELECT next_value FROM number_counters WHERE series = ?", (series,)
        )
        return 1 if value is None else int(value)

    def take(self, series: str) -> int:
        value = self._sql.scalar(
            "INSERT INTO number_counters (series, next_value) VALUES (?, 2) "
            "ON CONFLICT (series) DO UPDATE SET next_value = next_value + 1 "
            "RETURNING next_value - 1",
            (series,),
        )
        return int(value)
