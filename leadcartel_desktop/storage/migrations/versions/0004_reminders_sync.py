"""Reminders and cloud sync: reminder settings and log, stop flags, invoices' remote id and link.

Revision ID: 0004
Revises: 0003
Create Date: 2026-03-16
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

NOW_UTC = "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"

# The invoice lock trigger (0003) names the content columns it guards; these new columns are
# not among them, so a synced invoice may take its remote id, link and stop flag after issue.
COLUMNS = [
    "ALTER TABLE invoices ADD COLUMN remote_id TEXT",
    "ALTER TABLE invoices ADD COLUMN payment_link TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE invoices ADD COLUMN reminders_stopped INTEGER NOT NULL DEFAULT 0 "
    "CHECK (reminders_stopped IN (0, 1))",
]

TABLES = [
    """
    CREATE TABLE reminder_settings (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        enabled INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
        steps TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(steps)),
        templates TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(templates))
    ) STRICT""",
    # UNIQUE (invoice_id, step): a step is queued once per invoice, even when two runs race.
    f"""
    CREATE TABLE reminder_log (
        id INTEGER PRIMARY KEY,
        invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
        step INTEGER NOT NULL CHECK (step > 0),
        outbox_id INTEGER REFERENCES outbox (id) ON DELETE SET NULL,
        sent_at TEXT NOT NULL DEFAULT {NOW_UTC},
        UNIQUE (invoice_id, step)
    ) STRICT""",
    f"""
    CREATE TABLE reminder_customer_stops (
        contact_id INTEGER PRIMARY KEY REFERENCES contacts (id) ON DELETE CASCADE,
        stopped_at TEXT NOT NULL DEFAULT {NOW_UTC}
    ) STRICT""",
]

INDEXES = [
    "CREATE UNIQUE INDEX ux_invoices_remote_id ON invoices (remote_id) WHERE remote_id IS NOT NULL",
]


def upgrade() -> None:
    for statement in COLUMNS + TABLES + INDEXES:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ux_invoices_remote_id")
    for table in ("reminder_customer_stops", "reminder_log", "reminder_settings"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
    for column in ("reminders_stopped", "payment_link", "remote_id"):
        op.execute(f"ALTER TABLE invoices DROP COLUMN {column}")
