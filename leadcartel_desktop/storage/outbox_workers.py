"""The outbox_workers table: each live sender's lease on the rows it claims, with a heartbeat."""

from __future__ import annotations

from datetime import datetime

from leadcartel_desktop.storage.outbox import due_text
from leadcartel_desktop.storage.sql import Statements


class SqlOutboxWorkerRegistry:
    """Heartbeats are written like due times (microseconds, 'Z'), so they compare as text."""

    def __init__(self, sql: Statements) -> None:
        self._sql = sql

    def register(self, worker: str, now: datetime) -> None:
        self._sql.run(
            "INSERT INTO outbox_workers (id, heartbeat_at) VALUES (:id, :now) "
            "ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at",
            {"id": worker, "now": due_text(now)},
        )

    def beat(self, worker: str, now: datetime) -> bool:
        changed = self._sql.run(
            "UPDATE outbox_workers SET heartbeat_at = :now WHERE id = :id",
            {"id": worker, "now": due_text(now)},
        ).rowcount
        return bool(changed)

    def release(self, worker: str) -> None:
        self._sql.run("DELETE FROM outbox_workers WHERE id = :id", {"id": worker})

    def reap(self, stale_before: datetime) -> int:
        return int(
            self._sql.run(
                "DELETE FROM outbox_workers WHERE heartbeat_at < :stale",
                {"stale": due_text(stale_before)},
            ).rowcount
        )
