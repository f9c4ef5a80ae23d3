"""Conversations: every message in and out per contact, and each inbound source's high-water mark.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

NOW_UTC = "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"

TABLES = [
    # An outbound row points at its outbox row (its status is read from there); an inbound
    # row carries the provider's id, unique per channel, so a reply pulled twice is one row.
    # `address` is the other party's (E.164 phone or email); contact_id is NULL for a sender
    # no contact matches yet.
    """
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        contact_id INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
        channel TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'whatsapp')),
        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        address TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
        body TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL,
        provider_id TEXT,
        outbox_id INTEGER REFERENCES outbox (id) ON DELETE SET NULL,
        campaign_id INTEGER,
        unread INTEGER NOT NULL DEFAULT 0 CHECK (unread IN (0, 1)),
        CHECK (direction = 'in' OR unread = 0)
    ) STRICT""",
    f"""
    CREATE TABLE inbound_marks (
        source TEXT PRIMARY KEY,
        mark TEXT NOT NULL,
        updated_at TEXT NOT NULL DEFAULT {NOW_UTC}
    ) STRICT""",
]

INDEXES = [
    "CREATE INDEX ix_messages_thread ON messages (contact_id, at)",
    "CREATE UNIQUE INDEX ux_messages_provider ON messages (channel, provider_id) "
    "WHERE provider_id IS NOT NULL",
    "CREATE UNIQUE INDEX ux_messages_outbox ON messages (outbox_id) WHERE outbox_id IS NOT NULL",
    # WhatsApp's window and adopting unmatched senders look inbound rows up by address.
    "CREATE INDEX ix_messages_inbound ON messages (channel, address, at) WHERE direction = 'in'",
    "CREATE INDEX ix_messages_unread ON messages (contact_id) WHERE unread = 1",
    "CREATE INDEX ix_messages_unmatched ON messages (address) WHERE contact_id IS NULL",
]


def upgrade() -> None:
    for statement in TABLES + INDEXES:
        op.execute(statement)


def downgrade() -> None:
    for table in ("inbound_marks", "messages"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
