"""Contact tags compared by a stored key (Unicode case folding), case-duplicates merged.

NOCASE folds ASCII only, so 'Élite' and 'élite' were two tags. Each row now carries
`tag_key` (NFKC, casefold, NFKC, spaces collapsed: domain.contact_groups.tag_key) and the
primary key is (contact_id, tag_key). Spellings of one key are merged into one: the spelling
most contacts carry (ties: the smallest), and a contact holding several keeps one row.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict

from alembic import op
from sqlalchemy import text

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

NEW_TABLE = """
    CREATE TABLE contact_tags_new (
        contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        tag_key TEXT NOT NULL CHECK (length(tag_key) > 0),
        tag TEXT NOT NULL CHECK (length(tag) BETWEEN 1 AND 50),
        PRIMARY KEY (contact_id, tag_key)
    ) STRICT, WITHOUT ROWID"""
NEW_INDEX = "CREATE INDEX ix_contact_tags_key ON contact_tags (tag_key, contact_id)"

OLD_TABLE = """
    CREATE TABLE contact_tags_new (
        contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        tag TEXT NOT NULL COLLATE NOCASE CHECK (length(tag) BETWEEN 1 AND 50),
        PRIMARY KEY (contact_id, tag)
    ) STRICT, WITHOUT ROWID"""
OLD_INDEX = "CREATE INDEX ix_contact_tags_tag ON contact_tags (tag, contact_id)"


def _key(tag: str) -> str:
    """domain.contact_groups.tag_key as of this revision (a migration must not change later)."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", tag).casefold())
    return " ".join(folded.split())


def upgrade() -> None:
    bind = op.get_bind()
    rows = [(int(contact_id), str(tag)) for contact_id, tag in
            bind.execute(text("SELECT contact_id, tag FROM contact_tags"))]  # fmt: skip
    spellings: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for _contact_id, tag in rows:
        spellings[_key(tag)][tag] += 1
    chosen = {
        key: min(counts, key=lambda tag: (-counts[tag], tag)) for key, counts in spellings.items()
    }
    merged = {(contact_id, _key(tag)) for contact_id, tag in rows}
    op.execute(NEW_TABLE)
    if merged:
        bind.execute(
            text("INSERT INTO contact_tags_new (contact_id, tag_key, tag) VALUES (:c, :k, :t)"),
            [{"c": contact_id, "k": key, "t": chosen[key]} for contact_id, key in sorted(merged)],
        )
    op.execute("DROP TABLE contact_tags")
    op.execute("ALTER TABLE contact_tags_new RENAME TO contact_tags")
    op.execute(NEW_INDEX)


def downgrade() -> None:
    op.execute(OLD_TABLE)
    # One spelling per key, so the NOCASE primary key cannot collide; OR IGNORE all the same.
    op.execute(
        "INSERT OR IGNORE INTO contact_tags_new (contact_id, tag) SELECT contact_id, tag "
        "FROM contact_tags"
    )
    op.execute("DROP TABLE contact_tags")
    op.execute("ALTER TABLE contact_tags_new RENAME TO contact_tags")
    op.execute(OLD_INDEX)
