"""The Transactions search by the start of a payment reference."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.domain.totals import LineItem

PAID_ON = date(2026, 3, 5)


@pytest.fixture
def invoice_id(services: Any) -> int:
    services.settings.save_business(BusinessSettings(company_name="Acme"))
    customer = services.contacts.create(Contact(first_name="Ann", last_name="Lee"))
    content = InvoiceContent(
        contact_id=customer.id,
        currency="USD",
        issue_date=date(2026, 3, 1),
        due_date=date(2026, 3, 31),
        lines=(LineItem("Work", Decimal(1), 10000),),
    )
    return int(services.invoices.issue(services.invoices.save_draft(content)).id)


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
