"""The outbox remembers when each row's latest attempt started (for reconciling unknown rows).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# A provider's record of a message is matched to this row only if it was created at or after
# this instant (ISO 8601 UTC with microseconds, like next_attempt_at); NULL before the first try.
COLUMN = "ALTER TABLE outbox ADD COLUMN attempt_started_at TEXT"
# The provider ids already recorded for a recipient: a reconcile never takes one of those.
INDEX = (
    "CREATE INDEX ix_outbox_recipient_ids ON outbox (channel, recipient) WHERE provider_id != ''"
)


def upgrade() -> None:
    op.execute(COLUMN)
    op.execute(INDEX)


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_outbox_recipient_ids")
    op.execute("ALTER TABLE outbox DROP COLUMN attempt_started_at")
