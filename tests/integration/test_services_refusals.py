"""Rules the services hold: one contact per email, no negative invoice, capped amounts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.errors import FormError, ValidationError
from leadcartel_desktop.domain.invoice import MAX_AMOUNT, InvoiceContent
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.domain.totals import LineItem

Services = Any  # leadcartel_desktop.services.registry.Services
ISSUED = date(2026, 3, 2)


def _content(contact_id: int, *lines: LineItem) -> InvoiceContent:
    return InvoiceContent(
        contact_id=contact_id,
        currency="EUR",
        issue_date=ISSUED,
        due_date=date(2026, 4, 1),
        lines=lines or (LineItem("Work", Decimal(1), 10000),),
    )


def test_a_second_contact_with_the_same_email_is_refused(services: Services) -> None:
    contacts = services.contacts
    ann = contacts.create(Contact(first_name="Ann", last_name="Lee", email="ann@example.com"))

    with pytest.raises(FormError) as refused:
        contacts.create(Contact(first_name="Other", email="ANN@Example.COM"))

    assert refused.value.for_field("Email") == "is already used by Ann Lee"
    assert contacts.count() == 1
    edited = contacts.update(replace(ann, company="Lee Ltd", email="Ann@Example.com"))
    assert (edited.company, contacts.get(ann.id).company) == ("Lee Ltd", "Lee Ltd")


def test_editing_a_contact_onto_another_ones_email_is_refused(services: Services) -> None:
    contacts = services.contacts
    contacts.create(Contact(first_name="Ann", email="ann@example.com"))
    ben = contacts.create(Contact(first_name="Ben", email="ben@example.com"))

    with pytest.raises(FormError, match="Email: is already used by Ann"):
        contacts.update(replace(ben, email="Ann@example.com"))
    assert contacts.get(ben.id).email == "ben@example.com"


def test_an_invoice_for_less_than_zero_is_not_issued(services: Services) -> None:
    customer = services.contacts.create(Contact(first_name="Ann")).id
    draft = services.invoices.save_draft(_content(customer, LineItem("Refund", Decimal(-1), 5000)))
    next_number = services.invoices.next_number(ISSUED)

    with pytest.raises(ValidationError, match="Total: an invoice cannot be issued for less"):
        services.invoices.issue(draft)

    assert services.invoices.get(draft).status is InvoiceStatus.DRAFT
    assert services.invoices.next_number(ISSUED) == next_number


def test_a_zero_invoice_is_paid_the_moment_it_is_issued(services: Services) -> None:
    customer = services.contacts.create(Contact(first_name="Ann")).id
    free = _content(customer, LineItem("Free sample", Decimal(1), 0))

    invoice = services.invoices.issue(services.invoices.save_draft(free))

    assert invoice.status is InvoiceStatus.PAID
    assert invoice.number is not None
    assert invoice.totals().balance == 0


def test_a_line_above_the_amount_cap_is_refused_naming_it(services: Services) -> None:
    customer = services.contacts.create(Contact(first_name="Ann")).id
    fine = LineItem("Fine", Decimal(1), 100)
    huge = LineItem("Huge", Decimal(2), MAX_AMOUNT // 2 + 1)  # each price fits, the amount not

    with pytest.raises(ValidationError, match="the amount is too large") as refused:
        services.invoices.save_draft(_content(customer, fine, huge))

    assert refused.value.field == "Item 2"
    assert services.invoice_list.invoice_count() == 0
