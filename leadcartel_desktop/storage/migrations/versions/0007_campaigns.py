"""Campaigns: contact tags, time zone and do-not-contact switches, groups, campaigns, recipients.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

NOW_UTC = "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"
SWITCH = "INTEGER NOT NULL DEFAULT 0 CHECK ({name} IN (0, 1))"
HHMM = "GLOB '[0-2][0-9]:[0-5][0-9]'"

COLUMNS = [
    # The recipient's IANA zone for quiet hours; '' means the business's.
    "ALTER TABLE contacts ADD COLUMN time_zone TEXT NOT NULL DEFAULT ''",
    *(
        f"ALTER TABLE contacts ADD COLUMN {name} {SWITCH.format(name=name)}"
        for name in ("no_sms", "no_whatsapp", "no_email")
    ),
    # The https unsubscribe link campaign emails carry beside the mailto one ('' = none).
    "ALTER TABLE business_settings ADD COLUMN unsubscribe_url TEXT NOT NULL DEFAULT ''",
]

TABLES = [
    # One spelling per tag and contact whatever the case (NOCASE primary key).
    """
    CREATE TABLE contact_tags (
        contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        tag TEXT NOT NULL COLLATE NOCASE CHECK (length(tag) BETWEEN 1 AND 50),
        PRIMARY KEY (contact_id, tag)
    ) STRICT, WITHOUT ROWID""",
    f"""
    CREATE TABLE contact_groups (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
        definition TEXT NOT NULL CHECK (json_valid(definition)),
        created_at TEXT NOT NULL DEFAULT {NOW_UTC}
    ) STRICT""",
    f"""
    CREATE TABLE campaigns (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(trim(name)) > 0),
        channel TEXT NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'email')),
        body TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL DEFAULT '',
        whatsapp_template_id TEXT NOT NULL DEFAULT '',
        whatsapp_variables TEXT NOT NULL DEFAULT '{{}}' CHECK (json_valid(whatsapp_variables)),
        audience TEXT NOT NULL DEFAULT '{{}}' CHECK (json_valid(audience)),
        status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN
            ('draft', 'scheduled', 'running', 'paused', 'done', 'cancelled')),
        scheduled_for TEXT,
        per_minute INTEGER NOT NULL CHECK (per_minute > 0),
        weekdays TEXT NOT NULL DEFAULT '0123456',
        window_start TEXT NOT NULL DEFAULT '00:00' CHECK (window_start {HHMM}),
        window_end TEXT NOT NULL DEFAULT '00:00' CHECK (window_end {HHMM}),
        created_at TEXT NOT NULL DEFAULT {NOW_UTC},
        launched_at TEXT,
        updated_at TEXT NOT NULL DEFAULT {NOW_UTC}
    ) STRICT""",
    # Everyone the campaign was built for: with an outbox row, or left out with the reason.
    """
    CREATE TABLE campaign_recipients (
        campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
        contact_id INTEGER NOT NULL,
        position INTEGER NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT '',
        left_out_reason TEXT NOT NULL DEFAULT '',
        outbox_id INTEGER REFERENCES outbox (id) ON DELETE SET NULL,
        UNIQUE (campaign_id, contact_id)
    ) STRICT""",
]

INDEXES = [
    "CREATE INDEX ix_contact_tags_tag ON contact_tags (tag, contact_id)",
    "CREATE INDEX ix_campaigns_status ON campaigns (status)",
    "CREATE INDEX ix_campaign_recipients_order ON campaign_recipients (campaign_id, position)",
]


def upgrade() -> None:
    for statement in COLUMNS + TABLES + INDEXES:
        op.execute(statement)


def downgrade() -> None:
    for table in ("campaign_recipients", "campaigns", "contact_groups", "contact_tags"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
    op.execute("ALTER TABLE business_settings DROP COLUMN unsubscribe_url")
    for name in ("no_email", "no_whatsapp", "no_sms", "time_zone"):
        op.execute(f"ALTER TABLE contacts DROP COLUMN {name}")
