"""An issued invoice prints the seller and buyer as they were when it was issued, for good."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Address, Contact
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.storage.database import Database, open_database

Services = Any  # leadcartel_desktop.services.registry.Services


def _png() -> bytes:
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (120, 40), (31, 78, 121)).save(buffer, "PNG")
    return buffer.getvalue()


LOGO = _png()
SELLER = BusinessSettings(
    company_name="Northwind Studio",
    address=Address("12 Harbour Street", "Bristol", "", "BS1 4QA", "United Kingdom"),
    email="billing@northwind.example",
    phone="+441179000000",
    tax_id="GB123456789",
    logo_png=LOGO,
    locale="en_GB",
    document_title="Tax invoice",
)


@pytest.fixture
def book(services: Services) -> tuple[Services, Contact]:
    services.settings.save_business(SELLER)
    customer = services.contacts.create(
        Contact(
            first_name="Ann",
            last_name="Lee",
            email="ann@example.com",
            company="Lee Ltd",
            address=Address("1 Old Road", "Leeds", "", "LS1 1AA", "United Kingdom"),
        )
    )
    return services, customer


def _content(contact_id: int) -> InvoiceContent:
    return InvoiceContent(
        contact_id=contact_id,
        currency="GBP",
        issue_date=date(2026, 3, 2),
        due_date=date(2026, 4, 1),
        lines=(LineItem("Design work", Decimal(3), 25000),),
    )


def _edit_everything(services: Services, customer: Contact) -> None:
    services.contacts.update(
        replace(
            customer,
            first_name="Anna",
            company="Other Co",
            email="anna@elsewhere.example",
            address=Address("99 New Street", "York", "", "YO1 7HH", "United Kingdom"),
        )
    )
    business = services.settings.business()
    services.settings.save_business(
        replace(
            business,
            company_name="Renamed Ltd",
            address=Address("5 Other Lane", "Bath", "", "BA1 1AA", "United Kingdom"),
            email="new@renamed.example",
            tax_id="GB999999999",
            logo_png=None,
            locale="fr_FR",
            document_title="Facture",
        )
    )


def test_an_issued_invoice_prints_the_same_after_customer_and_business_edits(
    book: tuple[Services, Contact],
) -> None:
    services, customer = book
    invoices = services.invoices
    issued = invoices.issue(invoices.save_draft(_content(customer.id)))
    before = invoices.render_pdf(issued.id, services.renderer)
    draft = invoices.save_draft(_content(customer.id))

    _edit_everything(services, customer)

    assert invoices.render_pdf(issued.id, services.renderer) == before
    document = invoices.document(issued.id)
    assert document.business.company_name == "Northwind Studio"
    assert document.business.logo_png == LOGO
    assert (document.business.locale, document.business.document_title) == ("en_GB", "Tax invoice")
    assert document.customer is not None
    assert (document.customer.first_name, document.customer.company) == ("Ann", "Lee Ltd")
    assert document.customer.address.city == "Leeds"
    # A draft is not issued yet: it prints what is there now.
    live = invoices.document(draft)
    assert live.business.company_name == "Renamed Ltd"
    assert live.customer is not None and live.customer.first_name == "Anna"


def test_the_snapshot_is_stored_with_the_issue(book: tuple[Services, Contact]) -> None:
    services, customer = book
    invoices = services.invoices
    draft = invoices.save_draft(_content(customer.id))
    assert invoices.get(draft).seller is None and invoices.get(draft).buyer is None

    issued = invoices.issue(draft)

    assert issued.seller is not None and issued.buyer is not None
    assert issued.seller.company_name == "Northwind Studio"
    assert issued.seller.address == SELLER.address
    assert issued.buyer == customer


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = open_database(tmp_path / "book.sqlite3")
    yield db
    db.close()


@pytest.mark.parametrize("column", ["seller_snapshot", "buyer_snapshot"])
def test_the_database_locks_the_snapshot_once_issued(database: Database, column: str) -> None:
    from leadcartel_desktop.domain.business import Seller
    from leadcartel_desktop.domain.invoice_status import InvoiceStatus

    now = datetime(2026, 3, 10, tzinfo=UTC)
    with database.unit_of_work() as uow:
        contact_id = uow.contacts.add(Contact(first_name="Ann"))
        content = _content(contact_id)
        invoice_id = uow.invoices.add(content, content.totals(), now)
        buyer = uow.contacts.get(contact_id)
        uow.invoices.mark_issued(
            invoice_id, "A-1", InvoiceStatus.SENT, now, seller=Seller.of(SELLER), buyer=buyer
        )
        uow.commit()

    for value in ("'{}'", "NULL"):
        with (
            pytest.raises((IntegrityError, OperationalError), match="issued and locked"),
            database.engine.begin() as connection,
        ):
            connection.exec_driver_sql(f"UPDATE invoices SET {column} = {value}")
    with database.unit_of_work(read_only=True) as uow:
        stored = uow.invoices.get(invoice_id)
    assert stored.seller == Seller.of(SELLER)
    assert stored.buyer == buyer


def test_invoices_issued_before_the_upgrade_are_frozen_as_they_printed(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import text

    from leadcartel_desktop.storage.engine import create_sqlite_engine
    from leadcartel_desktop.storage.migrate import alembic_config

    path = tmp_path / "old.sqlite3"
    engine = create_sqlite_engine(path)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0002")
        for statement in (
            "INSERT INTO business_settings VALUES (1, 'Old Co', 'Quay 1', 'Cork', '', 'T12', "
            "'Ireland', 'a@old.example', '', 'IE1', x'89504e47', 'EUR', 'UTC', 'IE', "
            "'INV-{SEQ:4}', 30, '', '', 'en_IE', '')",
            "INSERT INTO contacts (id, first_name, company, city) VALUES (7, 'Ann', 'Lee', 'Cork')",
            "INSERT INTO invoices (id, contact_id, number, status, currency, issue_date, "
            "due_date) VALUES (1, 7, 'INV-0001', 'sent', 'EUR', '2026-01-02', '2026-02-01')",
            "INSERT INTO invoices (id, contact_id, status, currency, issue_date, due_date) "
            "VALUES (2, 7, 'draft', 'EUR', '2026-01-02', '2026-02-01')",
        ):
            connection.execute(text(statement))
    engine.dispose()

    database = open_database(path)
    try:
        with database.unit_of_work(read_only=True) as uow:
            issued, draft = uow.invoices.get(1), uow.invoices.get(2)
        with (
            pytest.raises((IntegrityError, OperationalError), match="issued and locked"),
            database.engine.begin() as connection,
        ):
            connection.exec_driver_sql("UPDATE invoices SET buyer_snapshot = NULL WHERE id = 1")
    finally:
        database.close()
    assert issued.seller is not None and issued.buyer is not None
    assert (issued.seller.company_name, issued.seller.address.city) == ("Old Co", "Cork")
    assert (issued.seller.logo_png, issued.seller.locale) == (b"\x89PNG", "en_IE")
    assert (issued.buyer.id, issued.buyer.first_name, issued.buyer.company) == (7, "Ann", "Lee")
    assert draft.seller is None and draft.buyer is None
