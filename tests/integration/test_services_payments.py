"""Payments through the real services: balance and status follow, over-payment refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.errors import UserFacingError, ValidationError
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.services.views import InvoiceQuery

Services = Any  # leadcartel_desktop.services.registry.Services
PAID_ON = date(2026, 3, 5)


@pytest.fixture
def invoice_id(services: Services) -> int:
    services.settings.save_business(BusinessSettings(company_name="Acme"))
    customer = services.contacts.create(Contact(first_name="Ann", last_name="Lee"))
    content = InvoiceContent(
        contact_id=customer.id,
        currency="USD",
        issue_date=date(2026, 3, 1),
        due_date=date(2026, 3, 31),
        lines=(LineItem("Work", Decimal(1), 10000),),
    )
    invoice_id: int = services.invoices.issue(services.invoices.save_draft(content)).id
    return invoice_id


def _state(services: Services, invoice_id: int) -> tuple[InvoiceStatus, int, int]:
    invoice = services.invoices.get(invoice_id)
    today = services.invoice_list.today()
    (row,) = services.invoice_list.invoice_rows([invoice_id], today)
    assert row.balance == invoice.totals().balance
    assert row.stored_status is invoice.status
    return invoice.status, invoice.totals().balance, len(invoice.payments)


def _pay(services: Services, invoice_id: int, cents: int) -> Any:
    return services.payments.record(invoice_id, cents, PAID_ON, PaymentMethod.BANK_TRANSFER)


def test_status_and_balance_follow_the_payments(services: Services, invoice_id: int) -> None:
    _pay(services, invoice_id, 3000)
    assert _state(services, invoice_id) == (InvoiceStatus.PARTIALLY_PAID, 7000, 1)

    _pay(services, invoice_id, 3000)
    assert _state(services, invoice_id) == (InvoiceStatus.PARTIALLY_PAID, 4000, 2)

    last = _pay(services, invoice_id, 4000)
    assert _state(services, invoice_id) == (InvoiceStatus.PAID, 0, 3)

    services.payments.delete(last.payments[-1].id)
    assert _state(services, invoice_id) == (InvoiceStatus.PARTIALLY_PAID, 4000, 2)


def test_a_payment_over_the_balance_is_refused_and_nothing_is_saved(
    services: Services, invoice_id: int
) -> None:
    _pay(services, invoice_id, 3000)
    _pay(services, invoice_id, 3000)
    transactions = services.invoice_list.transaction_ids()

    with pytest.raises(ValidationError, match=r"40\.01 USD is more than the balance due of 40\.00"):
        _pay(services, invoice_id, 4001)

    assert _state(services, invoice_id) == (InvoiceStatus.PARTIALLY_PAID, 4000, 2)
    assert services.invoice_list.transaction_ids() == transactions


def test_balance_pending_lists_it_until_paid(services: Services, invoice_id: int) -> None:
    from leadcartel_desktop.domain.invoice_status import StatusFilter

    today = services.invoice_list.today()
    pending = InvoiceQuery(status=StatusFilter.BALANCE_PENDING)

    _pay(services, invoice_id, 9999)
    assert services.invoice_list.invoice_ids(pending, today) == [invoice_id]
    _pay(services, invoice_id, 1)
    assert services.invoice_list.invoice_ids(pending, today) == []


def test_a_payment_that_is_gone_is_not_found(services: Services, invoice_id: int) -> None:
    with pytest.raises(UserFacingError, match="Payment 99 was not found"):
        services.payments.delete(99)


def _payment_ids(services: Services, invoice_id: int, *references: str) -> list[int]:
    for reference in references:
        services.payments.record(invoice_id, 100, PAID_ON, PaymentMethod.BANK_TRANSFER, reference)
    return [payment.id for payment in services.invoices.get(invoice_id).payments]


def test_transactions_are_found_by_their_reference(services: Services, invoice_id: int) -> None:
    """The Transactions search box promises the reference: by its start, in any case."""
    wire, plain, none = _payment_ids(services, invoice_id, "Wire 50%_off", "wire 500", "")
    search = services.invoice_list.transaction_ids

    assert sorted(search("WIRE")) == sorted([wire, plain])
    assert search("wire 50%_") == [wire]  # % and _ are taken literally, not as LIKE wildcards
    assert search("WIRE 50%") == [wire]
    assert search("wire 500") == [plain]
    assert search("50%_off") == []  # the start of a reference, as for invoice numbers
    assert sorted(search("lee")) == sorted([wire, plain, none])  # the customer still matches
    assert search("no such ref") == []


def test_a_reference_search_reads_only_the_matching_payments(context: Any, invoice_id: int) -> None:
    """Each part of the search through its index: no pass over every payment or invoice."""
    services = context.services
    _payment_ids(services, invoice_id, "TR-1")
    seen: list[str] = []
    with context.database.unit_of_work(read_only=True) as uow:
        uow._connection.set_trace_callback(seen.append)
        try:
            uow.queries.transaction_ids("tr-1")
        finally:
            uow._connection.set_trace_callback(None)
        (statement,) = [text for text in seen if "FROM payments" in text]
        plan = [row[3] for row in uow._connection.execute(f"EXPLAIN QUERY PLAN {statement}")]

    reference = "SEARCH r USING COVERING INDEX ix_payments_reference (reference>? AND reference<?)"
    assert reference in plan, plan
    assert any("USING INDEX ux_invoices_number" in step for step in plan), plan
    assert "SCAN contacts_fts VIRTUAL TABLE INDEX 0:M" in " | ".join(plan)
    assert not any(step.startswith(("SCAN p", "SCAN q", "SCAN r", "SCAN i")) for step in plan)


# The Transactions search by the start of a payment reference -------------------------------


def pay(services: Any, invoice_id: int, reference: str) -> int:
    invoice = services.payments.record(invoice_id, 100, PAID_ON, PaymentMethod.CASH, reference)
    return invoice.payments[-1].id


@pytest.mark.parametrize(
    ("reference", "search"),
    [
        ("Überweisung 12", "Überweisung"),  # letters beyond A-Z match as typed (SQLite NOCASE)
        ("chq 12", "CHQ 12"),
        ("  padded", "padded"),
        ("a\\b ref", "a\\b"),
        ("INV-2026-0001 part", "inv-2026-0001 part"),
    ],
)
def test_reference_found_by_its_start_in_any_ascii_case(
    services: Any, invoice_id: int, reference: str, search: str
) -> None:
    payment_id = pay(services, invoice_id, reference)
    assert payment_id in services.invoice_list.transaction_ids(search)
