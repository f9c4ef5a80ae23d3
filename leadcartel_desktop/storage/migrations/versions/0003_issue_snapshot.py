"""Issue snapshots: what an issued invoice prints about seller and buyer, locked with it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-03-14
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

LOCKED = "SELECT RAISE(ABORT, 'invoice is issued and locked')"
SNAPSHOTS = ("seller_snapshot", "buyer_snapshot")
_CONTENT_COLUMNS = (
    "contact_id", "currency", "issue_date", "due_date", "net_days", "discount_kind",
    "discount_timing", "discount_amount", "discount_percent", "prices_include_tax", "terms",
    "notes", "subtotal", "tax_total", "total", "number", "manual_number",
)  # fmt: skip
_ADDRESS = "'street', street, 'city', city, 'region', region, 'postal_code', postal_code, " \
    "'country', country"  # fmt: skip

# Invoices issued before this revision are frozen as they print today (the best there is):
# the same JSON keys storage/snapshots.py writes.
_SELLER = f"""
    SELECT json_object('company_name', company_name, {_ADDRESS}, 'email', email,
        'phone', phone, 'tax_id', tax_id, 'logo_png', lower(hex(logo_png)), 'locale', locale,
        'document_title', document_title)
    FROM business_settings WHERE id = 1"""
_BUYER = f"""
    SELECT json_object('id', id, 'first_name', first_name, 'last_name', last_name,
        'email', email, 'phone', phone, 'company', company, {_ADDRESS})
    FROM contacts WHERE contacts.id = invoices.contact_id"""


def _lock_update(columns: tuple[str, ...]) -> str:
    changed = " OR ".join(f"NEW.{column} IS NOT OLD.{column}" for column in columns)
    return f"""
    CREATE TRIGGER invoices_lock_update BEFORE UPDATE ON invoices
    WHEN OLD.status != 'draft' AND (NEW.status = 'draft' OR {changed}) BEGIN
        {LOCKED};
    END"""


def upgrade() -> None:
    for column in SNAPSHOTS:
        op.execute(
            f"ALTER TABLE invoices ADD COLUMN {column} TEXT "
            f"CHECK ({column} IS NULL OR json_valid({column}))"
        )
    # Before the lock covers the new columns, or it would refuse the backfill.
    op.execute(
        f"UPDATE invoices SET seller_snapshot = ({_SELLER}), buyer_snapshot = ({_BUYER}) "
        "WHERE status != 'draft'"
    )
    op.execute("DROP TRIGGER invoices_lock_update")
    op.execute(_lock_update(_CONTENT_COLUMNS + SNAPSHOTS))


def downgrade() -> None:
    op.execute("DROP TRIGGER invoices_lock_update")
    op.execute(_lock_update(_CONTENT_COLUMNS))
    for column in SNAPSHOTS:
        op.execute(f"ALTER TABLE invoices DROP COLUMN {column}")
