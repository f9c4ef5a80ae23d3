"""Initial schema: contacts (+FTS5), settings, tax rates, invoices, lines, payments, counters.

Revision ID: 0001
Revises:
Create Date: 2026-03-01
"""

from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Statuses that still owe money; the partial index and the list queries spell it the same way,
# because SQLite uses a partial index only when the query repeats its WHERE terms verbatim.
OPEN = "status IN ('sent', 'viewed', 'partially_paid')"
LOCKED = "SELECT RAISE(ABORT, 'invoice is issued and locked')"
ISO_DATE = "GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'"
NOW_UTC = "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"

# Phone digits, and every suffix of 3+ digits as its own token, so the prefix query '9123*'
# finds '+6591234567'. Written out in SQL (triggers cannot loop), 18 suffixes cover E.164.
PHONE_DIGITS = (
    "replace(replace(replace(replace(replace(replace("
    "{phone}, '+', ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', '')"
)
PHONE_TOKENS = " || ' ' || ".join(
    f"iif(length(d) >= {start + 2}, substr(d, {start}), '')" for start in range(1, 19)
)


def _fts_insert(row: str) -> str:
    digits = PHONE_DIGITS.format(phone=f"{row}.phone")
    return f"""
        INSERT INTO contacts_fts (rowid, first_name, last_name, email, phone, company)
        SELECT {row}.id, {row}.first_name, {row}.last_name, {row}.email,
               {PHONE_TOKENS}, {row}.company
        FROM (SELECT {digits} AS d);"""


TABLES = [
    f"""
    CREATE TABLE contacts (
        id INTEGER PRIMARY KEY,
        first_name TEXT NOT NULL DEFAULT '',
        last_name TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
        phone TEXT NOT NULL DEFAULT '',
        company TEXT NOT NULL DEFAULT '',
        street TEXT NOT NULL DEFAULT '',
        city TEXT NOT NULL DEFAULT '',
        region TEXT NOT NULL DEFAULT '',
        postal_code TEXT NOT NULL DEFAULT '',
        country TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL DEFAULT {NOW_UTC},
        display_name TEXT GENERATED ALWAYS AS (
            coalesce(nullif(trim(first_name || ' ' || last_name), ''),
                     nullif(company, ''), nullif(email, ''), '(no name)')
        ) VIRTUAL
    ) STRICT""",
    """
    CREATE VIRTUAL TABLE contacts_fts USING fts5 (
        first_name, last_name, email, phone, company,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '1 2 3'
    )""",
    """
    CREATE TABLE business_settings (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        company_name TEXT NOT NULL,
        street TEXT NOT NULL,
        city TEXT NOT NULL,
        region TEXT NOT NULL,
        postal_code TEXT NOT NULL,
        country TEXT NOT NULL,
        email TEXT NOT NULL,
        phone TEXT NOT NULL,
        tax_id TEXT NOT NULL,
        logo_png BLOB,
        default_currency TEXT NOT NULL,
        time_zone TEXT NOT NULL,
        default_country TEXT NOT NULL,
        number_format TEXT NOT NULL,
        payment_terms_days INTEGER NOT NULL,
        default_terms TEXT NOT NULL,
        default_notes TEXT NOT NULL,
        locale TEXT NOT NULL,
        document_title TEXT NOT NULL
    ) STRICT""",
    """
    CREATE TABLE tax_rates (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        percent TEXT NOT NULL,
        compound INTEGER NOT NULL DEFAULT 0 CHECK (compound IN (0, 1)),
        position INTEGER NOT NULL
    ) STRICT""",
    f"""
    CREATE TABLE invoices (
        id INTEGER PRIMARY KEY,
        contact_id INTEGER REFERENCES contacts (id),
        customer_name TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
        number TEXT COLLATE NOCASE,
        manual_number TEXT COLLATE NOCASE,
        status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN
            ('draft', 'sent', 'viewed', 'partially_paid', 'paid', 'cancelled')),
        currency TEXT NOT NULL CHECK (length(currency) = 3),
        issue_date TEXT NOT NULL CHECK (issue_date {ISO_DATE}),
        due_date TEXT NOT NULL CHECK (due_date {ISO_DATE}),
        net_days INTEGER,
        discount_kind TEXT NOT NULL DEFAULT 'amount'
            CHECK (discount_kind IN ('amount', 'percent')),
        discount_timing TEXT NOT NULL DEFAULT 'before_tax'
            CHECK (discount_timing IN ('before_tax', 'after_tax')),
        discount_amount INTEGER NOT NULL DEFAULT 0,
        discount_percent TEXT NOT NULL DEFAULT '0',
        prices_include_tax INTEGER NOT NULL DEFAULT 0 CHECK (prices_include_tax IN (0, 1)),
        terms TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        subtotal INTEGER NOT NULL DEFAULT 0,
        tax_total INTEGER NOT NULL DEFAULT 0,
        total INTEGER NOT NULL DEFAULT 0,
        paid INTEGER NOT NULL DEFAULT 0,
        balance INTEGER NOT NULL DEFAULT 0,
        viewed INTEGER NOT NULL DEFAULT 0 CHECK (viewed IN (0, 1)),
        cancel_reason TEXT NOT NULL DEFAULT '',
        extra TEXT NOT NULL DEFAULT '{{}}',
        issued_at TEXT,
        created_at TEXT NOT NULL DEFAULT {NOW_UTC},
        CHECK (balance = total - paid),
        CHECK (status = 'draft' OR number IS NOT NULL)
    ) STRICT""",
    """
    CREATE TABLE invoice_lines (
        id INTEGER PRIMARY KEY,
        invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        quantity TEXT NOT NULL,
        unit TEXT NOT NULL DEFAULT '',
        unit_price INTEGER NOT NULL,
        taxes TEXT NOT NULL DEFAULT '[]',
        UNIQUE (invoice_id, position)
    ) STRICT""",
    f"""
    CREATE TABLE payments (
        id INTEGER PRIMARY KEY,
        invoice_id INTEGER NOT NULL REFERENCES invoices (id),
        amount INTEGER NOT NULL,
        paid_on TEXT NOT NULL CHECK (paid_on {ISO_DATE}),
        method TEXT NOT NULL,
        reference TEXT NOT NULL DEFAULT '',
        remote_id TEXT UNIQUE,
        created_at TEXT NOT NULL DEFAULT {NOW_UTC}
    ) STRICT""",
    """
    CREATE TABLE number_counters (
        series TEXT PRIMARY KEY,
        next_value INTEGER NOT NULL CHECK (next_value >= 1)
    ) STRICT""",
]

# Every list sort has an index on (column, id) so the id tie-breaker needs no temp B-tree in
# either direction; status, balance and due date ride along so that every status filter
# (Overdue included) is answered from the index alone, without reading table rows. balance is
# a plain column (CHECKed equal to total - paid) because SQLite does not treat an index on a
# generated column as covering.
_FILTERED = "status, balance, due_date"
INDEXES = [
    "CREATE INDEX ix_contacts_email ON contacts (email)",
    "CREATE UNIQUE INDEX ux_invoices_number ON invoices (number)",
    "CREATE UNIQUE INDEX ux_invoices_manual_number ON invoices (manual_number)",
    f"CREATE INDEX ix_invoices_number_sort ON invoices (number, id, {_FILTERED})",
    f"CREATE INDEX ix_invoices_issue_date ON invoices (issue_date, id, {_FILTERED})",
    "CREATE INDEX ix_invoices_due_date ON invoices (due_date, id, status, balance)",
    f"CREATE INDEX ix_invoices_customer ON invoices (customer_name, id, {_FILTERED})",
    "CREATE INDEX ix_invoices_status ON invoices (status, id, balance, due_date)",
    "CREATE INDEX ix_invoices_status_issue_date ON invoices (status, issue_date, id)",
    f"CREATE INDEX ix_invoices_total ON invoices (total, id, {_FILTERED})",
    "CREATE INDEX ix_invoices_balance ON invoices (balance, id, status, due_date)",
    "CREATE INDEX ix_invoices_contact ON invoices (contact_id)",
    # Outstanding totals: one pass over the owing invoices only, grouped by currency.
    f"CREATE INDEX ix_invoices_owing ON invoices (currency, due_date, balance, status) "
    f"WHERE {OPEN} AND balance > 0",
    "CREATE INDEX ix_payments_invoice ON payments (invoice_id)",
    "CREATE INDEX ix_payments_paid_on ON payments (paid_on, id)",
]

_CONTENT_COLUMNS = (
    "contact_id", "currency", "issue_date", "due_date", "net_days", "discount_kind",
    "discount_timing", "discount_amount", "discount_percent", "prices_include_tax", "terms",
    "notes", "subtotal", "tax_total", "total", "number", "manual_number",
)  # fmt: skip
_CONTENT_CHANGED = " OR ".join(f"NEW.{column} IS NOT OLD.{column}" for column in _CONTENT_COLUMNS)
_LINE_LOCKED = "(SELECT status FROM invoices WHERE id = {row}.invoice_id) != 'draft'"

TRIGGERS = [
    f"""
    CREATE TRIGGER contacts_fts_after_insert AFTER INSERT ON contacts BEGIN
        {_fts_insert("NEW")}
    END""",
    f"""
    CREATE TRIGGER contacts_fts_after_update
    AFTER UPDATE OF first_name, last_name, email, phone, company ON contacts BEGIN
        DELETE FROM contacts_fts WHERE rowid = OLD.id;
        {_fts_insert("NEW")}
    END""",
    """
    CREATE TRIGGER contacts_fts_after_delete AFTER DELETE ON contacts BEGIN
        DELETE FROM contacts_fts WHERE rowid = OLD.id;
    END""",
    # customer_name is a copy of the contact's display name, for list sort and search.
    """
    CREATE TRIGGER invoices_customer_after_insert AFTER INSERT ON invoices
    WHEN NEW.contact_id IS NOT NULL BEGIN
        UPDATE invoices SET customer_name =
            coalesce((SELECT display_name FROM contacts WHERE id = NEW.contact_id), '')
        WHERE id = NEW.id;
    END""",
    """
    CREATE TRIGGER invoices_customer_after_update AFTER UPDATE OF contact_id ON invoices BEGIN
        UPDATE invoices SET customer_name =
            coalesce((SELECT display_name FROM contacts WHERE id = NEW.contact_id), '')
        WHERE id = NEW.id;
    END""",
    """
    CREATE TRIGGER contacts_rename_invoices
    AFTER UPDATE OF first_name, last_name, company, email ON contacts
    WHEN NEW.display_name IS NOT OLD.display_name BEGIN
        UPDATE invoices SET customer_name = NEW.display_name WHERE contact_id = NEW.id;
    END""",
    # The lock: an issued invoice's content cannot change, its lines neither, nor can it go.
    f"""
    CREATE TRIGGER invoices_lock_update BEFORE UPDATE ON invoices
    WHEN OLD.status != 'draft' AND (NEW.status = 'draft' OR {_CONTENT_CHANGED}) BEGIN
        {LOCKED};
    END""",
    f"""
    CREATE TRIGGER invoices_lock_delete BEFORE DELETE ON invoices
    WHEN OLD.status != 'draft' BEGIN
        {LOCKED};
    END""",
    f"""
    CREATE TRIGGER invoice_lines_lock_insert BEFORE INSERT ON invoice_lines
    WHEN {_LINE_LOCKED.format(row="NEW")} BEGIN
        {LOCKED};
    END""",
    f"""
    CREATE TRIGGER invoice_lines_lock_update BEFORE UPDATE ON invoice_lines
    WHEN {_LINE_LOCKED.format(row="OLD")} OR {_LINE_LOCKED.format(row="NEW")} BEGIN
        {LOCKED};
    END""",
    f"""
    CREATE TRIGGER invoice_lines_lock_delete BEFORE DELETE ON invoice_lines
    WHEN {_LINE_LOCKED.format(row="OLD")} BEGIN
        {LOCKED};
    END""",
]


def upgrade() -> None:
    for statement in TABLES + INDEXES + TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    for table in (
        "payments", "invoice_lines", "invoices", "number_counters", "tax_rates",
        "business_settings", "contacts_fts", "contacts",
    ):  # fmt: skip
        op.execute(f"DROP TABLE IF EXISTS {table}")
