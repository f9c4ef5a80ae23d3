"""Sent texts awaiting the carrier's receipt (delivered or failed), found by when they went.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# Email and cloud calls end at "sent"; SMS and WhatsApp rows stay "sent" until a receipt
# moves them on. The receipt pull reads the recent ones, so the index holds only those.
INDEX = (
    "CREATE INDEX ix_outbox_awaiting_receipt ON outbox (sent_at) "
    "WHERE state = 'sent' AND channel IN ('sms', 'whatsapp') AND provider_id != ''"
)


def upgrade() -> None:
    op.execute(INDEX)


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_outbox_awaiting_receipt")
