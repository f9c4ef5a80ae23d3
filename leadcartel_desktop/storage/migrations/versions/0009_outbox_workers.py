"""Outbox workers hold leases: a row being sent names its worker, which keeps a heartbeat.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# One row per live sender (a worker thread, or a CLI run), in any process on this file. The
# heartbeat is an instant like next_attempt_at (UTC, microseconds, 'Z'), so it compares as text.
TABLE = """
    CREATE TABLE outbox_workers (
        id TEXT PRIMARY KEY,
        heartbeat_at TEXT NOT NULL
    ) STRICT"""
# The worker that claimed the row (pending -> sending); NULL for rows claimed before this
# revision or outside any worker: nobody alive holds those.
COLUMN = "ALTER TABLE outbox ADD COLUMN claimed_by TEXT"


def upgrade() -> None:
    op.execute(TABLE)
    op.execute(COLUMN)


def downgrade() -> None:
    op.execute("ALTER TABLE outbox DROP COLUMN claimed_by")
    op.execute("DROP TABLE IF EXISTS outbox_workers")
