"""The issued-invoice lock lives in the database: raw SQL cannot get around it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.errors import ConflictError
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.storage.database import Database, open_database

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
LOCKED = "invoice is issued and locked"


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = open_database(tmp_path / "book.sqlite3")
    yield db
    db.close()


def _content(contact_id: int) -> InvoiceContent:
    return InvoiceContent(
        contact_id=contact_id,
        currency="USD",
        issue_date=date(2026, 3, 1),
        due_date=date(2026, 3, 31),
        lines=(LineItem("Consulting", Decimal("2"), 5000),),
    )


def _invoice(database: Database, *, issued: bool) -> tuple[int, int]:
    """(invoice id, contact id) of a draft or of an invoice issued as 'A-1'."""
    with database.unit_of_work() as uow:
        contact_id = uow.contacts.add(Contact(first_name="Ann", last_name="Lee"))
        other = uow.contacts.add(Contact(first_name="Ben"))
        content = _content(contact_id)
        invoice_id = uow.invoices.add(content, content.totals(), NOW)
        if issued:
            uow.invoices.mark_issued(invoice_id, "A-1", InvoiceStatus.SENT, NOW)
        uow.commit()
    return invoice_id, other


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE invoice_lines SET unit_price = 1 WHERE invoice_id = :id",
        "UPDATE invoice_lines SET description = 'changed' WHERE invoice_id = :id",
        "DELETE FROM invoice_lines WHERE invoice_id = :id",
        "INSERT INTO invoice_lines (invoice_id, position, quantity, unit_price) "
        "VALUES (:id, 9, '1', 100)",
        "UPDATE invoices SET total = total + 1, balance = balance + 1 WHERE id = :id",
        "UPDATE invoices SET contact_id = :other WHERE id = :id",
        "UPDATE invoices SET currency = 'EUR' WHERE id = :id",
        "UPDATE invoices SET due_date = '2026-04-30' WHERE id = :id",
        "UPDATE invoices SET notes = 'changed' WHERE id = :id",
        "UPDATE invoices SET number = 'A-2' WHERE id = :id",
        "UPDATE invoices SET manual_number = 'A-3' WHERE id = :id",
        "UPDATE invoices SET status = 'draft' WHERE id = :id",
        "DELETE FROM invoices WHERE id = :id",
    ],
)
def test_raw_sql_cannot_change_an_issued_invoice(database: Database, statement: str) -> None:
    invoice_id, other = _invoice(database, issued=True)

    with (
        pytest.raises((IntegrityError, OperationalError), match=LOCKED),
        database.engine.begin() as connection,
    ):
        connection.exec_driver_sql(statement, {"id": invoice_id, "other": other})

    with database.unit_of_work(read_only=True) as uow:
        invoice = uow.invoices.get(invoice_id)
    assert invoice.number == "A-1"
    assert invoice.content == _content(invoice.content.contact_id or 0)


def test_status_paid_balance_viewed_and_cancel_reason_stay_updatable(database: Database) -> None:
    invoice_id, _ = _invoice(database, issued=True)

    with database.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE invoices SET status = 'partially_paid', paid = 4000, balance = 6000, "
            "viewed = 1 WHERE id = ?",
            (invoice_id,),
        )
        connection.exec_driver_sql(
            "UPDATE invoices SET status = 'cancelled', cancel_reason = 'wrong' WHERE id = ?",
            (invoice_id,),
        )

    with database.unit_of_work(read_only=True) as uow:
        invoice = uow.invoices.get(invoice_id)
    assert invoice.status is InvoiceStatus.CANCELLED
    assert invoice.viewed
    assert invoice.cancel_reason == "wrong"


def test_balance_must_equal_total_minus_paid(database: Database) -> None:
    invoice_id, _ = _invoice(database, issued=True)

    with pytest.raises(IntegrityError, match="CHECK"), database.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE invoices SET paid = 10 WHERE id = ?", (invoice_id,))


def test_money_columns_refuse_real_numbers(database: Database) -> None:
    invoice_id, _ = _invoice(database, issued=False)

    with pytest.raises(IntegrityError), database.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE invoice_lines SET unit_price = 10.5 WHERE invoice_id = ?", (invoice_id,)
        )


def test_a_draft_stays_editable_and_deletable(database: Database) -> None:
    invoice_id, other = _invoice(database, issued=False)

    with database.unit_of_work() as uow:
        content = replace(_content(other), notes="changed", lines=())
        uow.invoices.replace_content(invoice_id, content, content.totals())
        uow.commit()
    with database.unit_of_work() as uow:
        assert uow.invoices.get(invoice_id).content == content
        uow.invoices.delete(invoice_id)
        uow.commit()
    with database.unit_of_work(read_only=True) as uow:
        assert uow.queries.invoice_count() == 0


def test_the_repository_reports_the_lock_as_a_conflict(database: Database) -> None:
    invoice_id, other = _invoice(database, issued=True)
    changed = replace(_content(other), notes="changed")

    with database.unit_of_work() as uow, pytest.raises(ConflictError, match="A-1 is issued"):
        uow.invoices.replace_content(invoice_id, changed, changed.totals())
    with database.unit_of_work() as uow, pytest.raises(ConflictError, match="locked"):
        uow.invoices.delete(invoice_id)
    with database.unit_of_work() as uow, pytest.raises(ConflictError, match="locked"):
        uow.invoices.set_manual_number(invoice_id, "B-7")
    with database.unit_of_work() as uow, pytest.raises(ConflictError, match="locked"):
        uow.invoices.set_status(invoice_id, InvoiceStatus.DRAFT)

    with database.unit_of_work(read_only=True) as uow:
        assert uow.invoices.get(invoice_id).content == _content(
            uow.invoices.get(invoice_id).content.contact_id or 0
        )


def test_a_duplicate_number_is_refused_by_the_database(database: Database) -> None:
    _invoice(database, issued=True)
    second, _ = _invoice(database, issued=False)
    third, _ = _invoice(database, issued=False)

    with database.unit_of_work() as uow, pytest.raises(ConflictError, match="a-1 is already"):
        uow.invoices.mark_issued(second, "a-1", InvoiceStatus.SENT, NOW)
    with database.unit_of_work() as uow:
        uow.invoices.set_manual_number(second, "X-9")
        uow.commit()
    with database.unit_of_work() as uow, pytest.raises(ConflictError, match="x-9 is already"):
        uow.invoices.set_manual_number(third, "x-9")

    with database.unit_of_work(read_only=True) as uow:
        assert uow.invoices.get(second).status is InvoiceStatus.DRAFT
        assert uow.invoices.get(second).number is None
        assert uow.invoices.get(third).manual_number is None
        assert uow.invoices.id_for_number("x-9") == second
