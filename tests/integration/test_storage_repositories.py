"""Invoices, payments, settings, tax rates and counters round-trip through SQLite exactly."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Address, Contact
from leadcartel_desktop.domain.errors import NotFoundError
from leadcartel_desktop.domain.invoice import InvoiceContent, Payment
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.domain.totals import Discount, DiscountKind, DiscountTiming, LineItem
from leadcartel_desktop.storage.database import Database, open_database

NOW = datetime(2026, 3, 10, 12, 30, 15, 123000, tzinfo=UTC)
VAT = TaxRate("VAT", Decimal("20.00"))
LEVY = TaxRate("Levy", Decimal("2.5"), compound=True)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = open_database(tmp_path / "book.sqlite3")
    yield db
    db.close()


def _content(contact_id: int | None) -> InvoiceContent:
    return InvoiceContent(
        contact_id=contact_id,
        currency="KWD",
        issue_date=date(2026, 3, 1),
        due_date=date(2026, 3, 15),
        lines=(
            LineItem("Design — 2 days", Decimal("1.125"), 299330, (VAT, LEVY), unit="day"),
            LineItem("Hosting", Decimal("0.5"), 1, ()),
            LineItem("Support", Decimal("3"), 99340, (VAT,)),
        ),
        discount=Discount(DiscountKind.PERCENT, DiscountTiming.AFTER_TAX, 0, Decimal("12.5")),
        prices_include_tax=True,
        terms="Net 14",
        notes="Thank you — 谢谢",
        net_days=14,
    )


def test_an_invoice_round_trips_with_exact_decimals(database: Database) -> None:
    with database.unit_of_work() as uow:
        contact_id = uow.contacts.add(Contact(first_name="Ann"))
        content = _content(contact_id)
        invoice_id = uow.invoices.add(content, content.totals(), NOW)
        uow.commit()

    with database.unit_of_work(read_only=True) as uow:
        invoice = uow.invoices.get(invoice_id)
    assert invoice.content == content
    assert [line.quantity.as_tuple() for line in invoice.content.lines] == [
        line.quantity.as_tuple() for line in content.lines
    ]
    assert invoice.content.lines[0].taxes[0].percent.as_tuple() == Decimal("20.00").as_tuple()
    assert invoice.status is InvoiceStatus.DRAFT
    assert invoice.number is None
    assert invoice.created_at == NOW
    assert invoice.totals() == content.totals()


def test_stored_figures_are_integers_dates_iso_text_and_decimals_text(database: Database) -> None:
    with database.unit_of_work() as uow:
        content = _content(None)
        invoice_id = uow.invoices.add(content, content.totals(), NOW)
        uow.commit()

    with database.engine.connect() as connection:
        row = connection.exec_driver_sql(
            "SELECT typeof(total), typeof(subtotal), typeof(balance), issue_date, "
            "typeof(discount_percent), created_at FROM invoices WHERE id = ?",
            (invoice_id,),
        ).one()
        line = connection.exec_driver_sql(
            "SELECT typeof(unit_price), quantity, taxes FROM invoice_lines "
            "WHERE invoice_id = ? ORDER BY position LIMIT 1",
            (invoice_id,),
        ).one()
    assert tuple(row) == (
        "integer",
        "integer",
        "integer",
        "2026-03-01",
        "text",
        "2026-03-10T12:30:15.123Z",
    )
    assert tuple(line) == ("integer", "1.125", '[["VAT","20.00",false],["Levy","2.5",true]]')


def test_payments_and_status_round_trip(database: Database) -> None:
    with database.unit_of_work() as uow:
        content = _content(uow.contacts.add(Contact(first_name="Ann")))
        invoice_id = uow.invoices.add(content, content.totals(), NOW)
        uow.invoices.mark_issued(invoice_id, "K-1", InvoiceStatus.SENT, NOW)
        first = uow.invoices.add_payment(
            invoice_id, Payment(1000, date(2026, 3, 5), PaymentMethod.CARD, "ref 1")
        )
        second = uow.invoices.add_payment(
            invoice_id, Payment(500, date(2026, 3, 2), PaymentMethod.CASH, remote_id="r-9")
        )
        uow.invoices.set_paid(invoice_id, 1500, InvoiceStatus.PARTIALLY_PAID)
        uow.commit()

    with database.unit_of_work() as uow:
        invoice = uow.invoices.get(invoice_id)
        assert invoice.status is InvoiceStatus.PARTIALLY_PAID
        assert invoice.number == "K-1"
        assert invoice.issued_at == NOW
        assert [payment.id for payment in invoice.payments] == [second, first]
        assert invoice.payments[0] == Payment(
            500, date(2026, 3, 2), PaymentMethod.CASH, "", second, "r-9"
        )
        assert uow.invoices.delete_payment(first) == invoice_id
        with pytest.raises(NotFoundError, match=f"Payment {first} was not found"):
            uow.invoices.delete_payment(first)
        uow.invoices.set_status(invoice_id, InvoiceStatus.VIEWED)
        assert uow.invoices.get(invoice_id).viewed
        uow.commit()


def test_a_missing_invoice_is_not_found_with_a_clear_message(database: Database) -> None:
    content = _content(None)
    with database.unit_of_work() as uow:
        with pytest.raises(NotFoundError, match=r"^Invoice 12 was not found$"):
            uow.invoices.get(12)
        with pytest.raises(NotFoundError, match="Invoice 12 was not found"):
            uow.invoices.replace_content(12, content, content.totals())
        with pytest.raises(NotFoundError, match="Invoice 12 was not found"):
            uow.invoices.delete(12)
        with pytest.raises(NotFoundError, match="Invoice 12 was not found"):
            uow.invoices.set_status(12, InvoiceStatus.PAID)
        assert uow.invoices.id_for_number("NOPE") is None


def test_business_settings_default_until_saved_then_round_trip(database: Database) -> None:
    settings = BusinessSettings(
        company_name="Acme Ltd",
        address=Address("1 Main St", "Springfield", "IL", "62701", "US"),
        email="billing@acme.test",
        phone="+12175550100",
        tax_id="US-123",
        logo_png=b"\x89PNG\r\n\x1a\n\x00binary",
        default_currency="EUR",
        time_zone="Europe/Paris",
        default_country="FR",
        number_format="F{YY}{MM}-{SEQ:3}",
        payment_terms_days=45,
        default_terms="Pay on time",
        default_notes="Merci",
        locale="fr_FR",
        document_title="Facture",
    )
    with database.unit_of_work() as uow:
        assert uow.settings.business() == BusinessSettings()
        uow.settings.save_business(settings)
        uow.settings.save_business(settings)
        uow.commit()
    with database.unit_of_work(read_only=True) as uow:
        assert uow.settings.business() == settings


def test_tax_rates_keep_their_order_and_are_replaced_as_a_list(database: Database) -> None:
    rates = [TaxRate("VAT", Decimal("20")), LEVY, TaxRate("No Tax", Decimal("0"))]
    with database.unit_of_work() as uow:
        uow.settings.save_tax_rates(rates)
        uow.commit()
    with database.unit_of_work() as uow:
        assert uow.settings.tax_rates() == rates
        uow.settings.save_tax_rates(rates[::-1][:2])
        uow.commit()
    with database.unit_of_work(read_only=True) as uow:
        assert uow.settings.tax_rates() == [TaxRate("No Tax", Decimal("0")), LEVY]


def test_counters_peek_without_taking_and_take_in_the_callers_transaction(
    database: Database,
) -> None:
    with database.unit_of_work() as uow:
        assert uow.counters.peek("INV@2026") == 1
        assert uow.counters.peek("INV@2026") == 1
        assert [uow.counters.take("INV@2026") for _ in range(3)] == [1, 2, 3]
        assert uow.counters.take("INV@2027") == 1
        uow.commit()
    with database.unit_of_work() as uow:
        assert uow.counters.take("INV@2026") == 4
        # not committed: rolled back with the unit, so the number is not lost
    with database.unit_of_work(read_only=True) as uow:
        assert uow.counters.peek("INV@2026") == 4
        assert uow.counters.peek("INV@2027") == 2
