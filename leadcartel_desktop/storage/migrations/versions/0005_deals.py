"""Opportunities: pipelines, their stages, deals and the deals' stage history.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

NOW_UTC = "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"

TABLES = [
    f"""
    CREATE TABLE pipelines (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(trim(name)) > 0),
        remote_id TEXT,
        created_at TEXT NOT NULL DEFAULT {NOW_UTC}
    ) STRICT""",
    # UNIQUE (pipeline_id, id) lets deals name their stage and pipeline in one foreign key, so
    # the database itself refuses a deal whose stage belongs to another pipeline.
    """
    CREATE TABLE pipeline_stages (
        id INTEGER PRIMARY KEY,
        pipeline_id INTEGER NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
        name TEXT NOT NULL CHECK (length(trim(name)) > 0),
        probability INTEGER NOT NULL CHECK (probability BETWEEN 0 AND 100),
        position INTEGER NOT NULL,
        remote_id TEXT,
        UNIQUE (pipeline_id, id)
    ) STRICT""",
    # Deals hold their pipeline and stage without cascade: a pipeline or stage with deals
    # cannot be deleted (the services say so first, with a count).
    """
    CREATE TABLE deals (
        id INTEGER PRIMARY KEY,
        pipeline_id INTEGER NOT NULL,
        stage_id INTEGER NOT NULL,
        position INTEGER NOT NULL,
        name TEXT NOT NULL CHECK (length(trim(name)) > 0),
        contact_id INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
        value_minor INTEGER NOT NULL CHECK (value_minor >= 0),
        currency TEXT NOT NULL CHECK (length(currency) = 3 AND currency = upper(currency)),
        expected_close TEXT CHECK (expected_close IS NULL OR date(expected_close) = expected_close),
        status TEXT NOT NULL DEFAULT 'open'
            CHECK (status IN ('open', 'won', 'lost', 'abandoned')),
        lost_reason TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        invoice_id INTEGER REFERENCES invoices (id) ON DELETE SET NULL,
        remote_id TEXT,
        -- Cloud push: 0 nothing waiting; 1 its create is queued and not answered yet; 2 the
        -- same, and it changed since (pushed once the create's answer gives its remote id).
        push_state INTEGER NOT NULL DEFAULT 0 CHECK (push_state IN (0, 1, 2)),
        stage_entered_at TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        FOREIGN KEY (pipeline_id, stage_id) REFERENCES pipeline_stages (pipeline_id, id)
    ) STRICT""",
    # Stage names are kept as they were at the move, so history survives a later rename.
    """
    CREATE TABLE deal_stage_history (
        id INTEGER PRIMARY KEY,
        deal_id INTEGER NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
        from_stage_id INTEGER REFERENCES pipeline_stages (id) ON DELETE SET NULL,
        from_stage_name TEXT,
        to_stage_id INTEGER REFERENCES pipeline_stages (id) ON DELETE SET NULL,
        to_stage_name TEXT NOT NULL,
        changed_at TEXT NOT NULL
    ) STRICT""",
]

INDEXES = [
    "CREATE UNIQUE INDEX ux_pipelines_remote_id ON pipelines (remote_id) "
    "WHERE remote_id IS NOT NULL",
    "CREATE INDEX ix_pipeline_stages_order ON pipeline_stages (pipeline_id, position)",
    "CREATE UNIQUE INDEX ux_pipeline_stages_remote_id ON pipeline_stages (remote_id) "
    "WHERE remote_id IS NOT NULL",
    # The board: one pipeline's cards, column by column, in their kept order.
    "CREATE INDEX ix_deals_board ON deals (pipeline_id, stage_id, position)",
    "CREATE INDEX ix_deals_contact ON deals (contact_id) WHERE contact_id IS NOT NULL",
    "CREATE UNIQUE INDEX ux_deals_invoice ON deals (invoice_id) WHERE invoice_id IS NOT NULL",
    "CREATE UNIQUE INDEX ux_deals_remote_id ON deals (remote_id) WHERE remote_id IS NOT NULL",
    "CREATE INDEX ix_deals_push_waiting ON deals (id) WHERE push_state > 0",
    "CREATE INDEX ix_deal_stage_history_deal ON deal_stage_history (deal_id, id)",
    "CREATE INDEX ix_deal_stage_history_from ON deal_stage_history (from_stage_id) "
    "WHERE from_stage_id IS NOT NULL",
    "CREATE INDEX ix_deal_stage_history_to ON deal_stage_history (to_stage_id) "
    "WHERE to_stage_id IS NOT NULL",
]


def upgrade() -> None:
    for statement in TABLES + INDEXES:
        op.execute(statement)


def downgrade() -> None:
    for table in ("deal_stage_history", "deals", "pipeline_stages", "pipelines"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
