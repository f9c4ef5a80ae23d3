"""Sending: the outbox, the opt-out register and the (non-secret) provider settings.

Revision ID: 0002
Revises: 0001
Create Date: 2026-03-12
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

NOW_UTC = "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"
CHANNELS = "('email', 'sms', 'whatsapp', 'cloud')"
STATES = "('pending', 'sending', 'sent', 'delivered', 'failed', 'unknown', 'cancelled')"
# Rows that still hold their recipient's place in line (per-recipient order).
OPEN_STATES = "state IN ('pending', 'sending', 'unknown')"
KINDS = "('none', 'smtp', 'twilio', 'cloud')"

TABLES = [
    f"""
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        channel TEXT NOT NULL CHECK (channel IN {CHANNELS}),
        recipient TEXT NOT NULL COLLATE NOCASE,
        payload TEXT NOT NULL DEFAULT '{{}}' CHECK (json_valid(payload)),
        extra TEXT NOT NULL DEFAULT '{{}}' CHECK (json_valid(extra)),
        idempotency_key TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN {STATES}),
        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at TEXT,
        provider_id TEXT NOT NULL DEFAULT '',
        last_error_code TEXT NOT NULL DEFAULT '',
        last_error TEXT NOT NULL DEFAULT '',
        last_error_hint TEXT NOT NULL DEFAULT '',
        invoice_id INTEGER REFERENCES invoices (id) ON DELETE SET NULL,
        campaign_id INTEGER,
        contact_id INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
        created_at TEXT NOT NULL DEFAULT {NOW_UTC},
        updated_at TEXT NOT NULL DEFAULT {NOW_UTC},
        sent_at TEXT,
        CHECK (state != 'pending' OR next_attempt_at IS NOT NULL)
    ) STRICT""",
    f"""
    CREATE TABLE opt_outs (
        id INTEGER PRIMARY KEY,
        channel TEXT NOT NULL CHECK (channel IN {CHANNELS}),
        address TEXT NOT NULL COLLATE NOCASE,
        reason TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL DEFAULT {NOW_UTC},
        UNIQUE (channel, address)
    ) STRICT""",
    # Secrets (SMTP password, Twilio auth token, cloud token) live in the OS keychain only:
    # there is deliberately no column that could hold one.
    f"""
    CREATE TABLE provider_settings (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        email TEXT NOT NULL CHECK (email IN {KINDS}),
        sms TEXT NOT NULL CHECK (sms IN {KINDS}),
        whatsapp TEXT NOT NULL CHECK (whatsapp IN {KINDS}),
        smtp_host TEXT NOT NULL,
        smtp_port INTEGER NOT NULL CHECK (smtp_port BETWEEN 1 AND 65535),
        smtp_security TEXT NOT NULL CHECK (smtp_security IN ('starttls', 'tls')),
        smtp_username TEXT NOT NULL,
        smtp_from_name TEXT NOT NULL,
        smtp_from_address TEXT NOT NULL,
        twilio_account_sid TEXT NOT NULL,
        twilio_from_number TEXT NOT NULL,
        twilio_messaging_service_sid TEXT NOT NULL,
        twilio_whatsapp_from TEXT NOT NULL,
        twilio_base_url TEXT NOT NULL,
        cloud_location_id TEXT NOT NULL,
        cloud_api_version TEXT NOT NULL,
        cloud_base_url TEXT NOT NULL,
        ca_bundle TEXT NOT NULL
    ) STRICT""",
]

INDEXES = [
    # The worker's wake-up time (earliest due row) and the due scan.
    "CREATE INDEX ix_outbox_due ON outbox (state, next_attempt_at)",
    # Claiming in creation order, per channel.
    "CREATE INDEX ix_outbox_queue ON outbox (state, channel, id)",
    # Per-recipient order: is an older message to this recipient still open?
    f"CREATE INDEX ix_outbox_line ON outbox (channel, recipient, id) WHERE {OPEN_STATES}",
    "CREATE INDEX ix_outbox_invoice ON outbox (invoice_id) WHERE invoice_id IS NOT NULL",
    "CREATE INDEX ix_outbox_campaign ON outbox (campaign_id) WHERE campaign_id IS NOT NULL",
]


def upgrade() -> None:
    for statement in TABLES + INDEXES:
        op.execute(statement)


def downgrade() -> None:
    for table in ("provider_settings", "opt_outs", "outbox"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
