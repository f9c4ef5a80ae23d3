"""Payment ids are never reused: the cloud push of a payment is keyed by its id.

SQLite gives a new row the id of the latest row when that row was deleted (INTEGER PRIMARY KEY
without AUTOINCREMENT). A payment recorded after the latest one was deleted took its id, found
the deleted payment's push (`payment:<id>`) already in the outbox and never reached the cloud,
so the cloud asked the customer for money already paid. The table is rebuilt with
AUTOINCREMENT, its counter starting past every id a payment or a push has used.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

ISO_DATE = "GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'"
NOW_UTC = "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"
COLUMNS = "id, invoice_id, amount, paid_on, method, reference, remote_id, created_at"
INDEXES = [
    "CREATE INDEX ix_payments_invoice ON payments (invoice_id)",
    "CREATE INDEX ix_payments_paid_on ON payments (paid_on, id)",
]
# The highest id any payment, or any payment's push key ('payment:<id>'), has used.
HIGHEST_USED = """
    SELECT max(
        coalesce((SELECT max(id) FROM payments), 0),
        coalesce((SELECT max(CAST(substr(idempotency_key, 9) AS INTEGER)) FROM outbox
                  WHERE idempotency_key GLOB 'payment:[0-9]*'), 0)
    )"""


def _table(name: str, key: str) -> str:
    return f"""
    CREATE TABLE {name} (
        id INTEGER PRIMARY KEY{key},
        invoice_id INTEGER NOT NULL REFERENCES invoices (id),
        amount INTEGER NOT NULL,
        paid_on TEXT NOT NULL CHECK (paid_on {ISO_DATE}),
        method TEXT NOT NULL,
        reference TEXT NOT NULL DEFAULT '',
        remote_id TEXT UNIQUE,
        created_at TEXT NOT NULL DEFAULT {NOW_UTC}
    ) STRICT"""


def _rebuild(key: str) -> None:
    op.execute(_table("payments_rebuilt", key))
    op.execute(f"INSERT INTO payments_rebuilt ({COLUMNS}) SELECT {COLUMNS} FROM payments")
    op.execute("DROP TABLE payments")  # nothing refers to payments, so no key is broken
    op.execute("ALTER TABLE payments_rebuilt RENAME TO payments")
    for index in INDEXES:
        op.execute(index)


def upgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_payments_invoice")
    op.execute("DROP INDEX IF EXISTS ix_payments_paid_on")
    _rebuild(" AUTOINCREMENT")
    op.execute("DELETE FROM sqlite_sequence WHERE name IN ('payments', 'payments_rebuilt')")
    op.execute(f"INSERT INTO sqlite_sequence (name, seq) VALUES ('payments', ({HIGHEST_USED}))")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_payments_invoice")
    op.execute("DROP INDEX IF EXISTS ix_payments_paid_on")
    _rebuild("")
    op.execute("DELETE FROM sqlite_sequence WHERE name IN ('payments', 'payments_rebuilt')")
