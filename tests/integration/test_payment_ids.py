"""A payment's id is never reused, so its cloud push (keyed `payment:<id>`) is never mistaken
for a deleted payment's, and the cloud never asks the customer for money already paid."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import create_engine

from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.storage.database import open_database
from leadcartel_desktop.storage.migrate import alembic_config
from tests.integration.send_support import draft_for_ada


def test_a_payment_after_the_latest_was_deleted_gets_a_new_id(services: Any) -> None:
    invoice_id = services.invoices.issue(draft_for_ada(services)).id
    today = services.invoices.get(invoice_id).content.issue_date
    first = services.payments.record(invoice_id, 3000, today, PaymentMethod.CASH).payments[-1]
    services.payments.delete(first.id)
    second = services.payments.record(invoice_id, 5000, today, PaymentMethod.CASH).payments[-1]
    assert second.id != first.id


def test_the_migration_starts_ids_past_every_id_a_push_has_used(tmp_path: Path) -> None:
    path = tmp_path / "book.sqlite3"
    open_database(path).close()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0011")
    engine.dispose()
    with sqlite3.connect(path) as raw:  # a push left by payment 7, deleted since
        raw.execute(
            "INSERT INTO outbox (channel, recipient, idempotency_key, state) "
            "VALUES ('cloud', 'inv-1', 'payment:7', 'sent')"
        )
    raw.close()
    database = open_database(path)  # upgrades to the head
    database.close()
    with sqlite3.connect(path) as raw:
        (seq,) = raw.execute("SELECT seq FROM sqlite_sequence WHERE name = 'payments'").fetchone()
        schema = raw.execute("SELECT sql FROM sqlite_master WHERE name = 'payments'").fetchone()
    raw.close()
    assert seq == 7  # the next payment is 8
    assert "AUTOINCREMENT" in schema[0]
