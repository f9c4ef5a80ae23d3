"""Status changes and the won deal's invoice, through the real services."""

from __future__ import annotations

from decimal import Decimal

import pytest

from leadcartel_desktop.domain.deals import DealStatus
from leadcartel_desktop.domain.errors import ConflictError, NotFoundError, ValidationError
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.domain.taxes import TaxRate
from tests.integration.deal_support import Book, Services, sales_book


@pytest.fixture
def book(services: Services) -> Book:
    return sales_book(services)


def test_a_won_deal_makes_one_draft_invoice(book: Book) -> None:
    services = book.services
    services.settings.save_tax_rates([TaxRate("VAT", Decimal(20)), TaxRate("Eco", Decimal(1))])
    deal_id = book.deal("Website redesign", value=123456, currency="EUR", contact=book.ann)
    services.deals.set_status(deal_id, DealStatus.WON)

    invoice_id = services.deals.create_invoice(deal_id)

    assert services.deals.create_invoice(deal_id) == invoice_id
    assert services.deals.get(deal_id).invoice_id == invoice_id
    invoice = services.invoices.get(invoice_id)
    assert invoice.status is InvoiceStatus.DRAFT
    assert invoice.content.contact_id == book.ann
    assert invoice.content.currency == "EUR"
    [line] = invoice.content.lines
    assert (line.description, line.quantity, line.unit_price) == (
        "Website redesign",
        Decimal(1),
        123456,
    )
    assert line.taxes == (TaxRate("VAT", Decimal(20)),)
    assert services.invoice_list.invoice_count() == 1


@pytest.mark.parametrize("status", [DealStatus.OPEN, DealStatus.LOST, DealStatus.ABANDONED])
def test_only_a_won_deal_is_invoiced(book: Book, status: DealStatus) -> None:
    services = book.services
    deal_id = book.deal("A", contact=book.ann)
    services.deals.set_status(deal_id, status)
    with pytest.raises(ConflictError) as raised:
        services.deals.create_invoice(deal_id)
    assert "only a won deal can be invoiced" in raised.value.message
    assert services.deals.get(deal_id).invoice_id is None


def test_a_won_deal_without_contact_says_so(book: Book) -> None:
    services = book.services
    deal_id = book.deal("A")
    services.deals.set_status(deal_id, DealStatus.WON)
    with pytest.raises(ValidationError) as raised:
        services.deals.create_invoice(deal_id)
    assert raised.value.field == "Contact"
    assert services.invoice_list.invoice_count() == 0


def test_status_and_lost_reason_are_kept(book: Book) -> None:
    services = book.services
    deal_id = book.deal("A")
    services.deals.set_status(deal_id, DealStatus.LOST, "  Went with a rival ")
    detail = services.deals.get(deal_id)
    assert (detail.status, detail.lost_reason) == (DealStatus.LOST, "Went with a rival")
    services.deals.set_status(deal_id, DealStatus.OPEN)
    detail = services.deals.get(deal_id)
    assert (detail.status, detail.lost_reason) == (DealStatus.OPEN, "")


def test_a_deleted_deal_is_gone_with_its_history(book: Book) -> None:
    services = book.services
    deal_id = book.deal("A")
    services.deals.move(deal_id, book.stage_ids[1], 0)
    services.deals.delete(deal_id)
    with pytest.raises(NotFoundError):
        services.deals.get(deal_id)
    with pytest.raises(NotFoundError):
        services.deals.history(deal_id)
    assert book.column(1) == []


def test_a_cancelled_invoice_makes_way_for_a_new_draft(book: Book) -> None:
    services = book.services
    deal_id = book.deal("Logo", value=5000, contact=book.ann)
    services.deals.set_status(deal_id, DealStatus.WON)
    first = services.deals.create_invoice(deal_id)
    services.invoices.issue(first)
    assert services.deals.create_invoice(deal_id) == first  # issued: still the deal's invoice
    services.invoices.cancel(first, "Wrong customer")

    second = services.deals.create_invoice(deal_id)

    assert second != first
    assert services.invoices.get(second).status is InvoiceStatus.DRAFT
    assert services.deals.get(deal_id).invoice_id == second
    assert services.deals.create_invoice(deal_id) == second
