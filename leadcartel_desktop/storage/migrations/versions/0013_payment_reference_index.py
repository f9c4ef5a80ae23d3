"""Payments found by the start of their reference, in any case, through an index.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# NOCASE, so that SQLite's LIKE (case-blind for ASCII) can range-scan it for a prefix: the
# Transactions search reads the matching payments instead of every payment.
INDEX = "CREATE INDEX ix_payments_reference ON payments (reference COLLATE NOCASE)"


def upgrade() -> None:
    op.execute(INDEX)


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_payments_reference")
