"""Invoice numbers through the real services on a real file: gapless, never reused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.errors import ConflictError
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.domain.totals import LineItem

Services = Any  # leadcartel_desktop.services.registry.Services


@pytest.fixture
def book(services: Services) -> tuple[Services, int]:
    services.settings.save_business(
        BusinessSettings(company_name="Acme", number_format="R{YYYY}-{SEQ:4}")
    )
    customer = services.contacts.create(Contact(first_name="Ann", last_name="Lee"))
    return services, customer.id


def _content(contact_id: int, issued: date = date(2026, 3, 2)) -> InvoiceContent:
    return InvoiceContent(
        contact_id=contact_id,
        currency="USD",
        issue_date=issued,
        due_date=issued,
        lines=(LineItem("Work", Decimal(1), 10000),),
    )


def test_numbers_are_gapless_and_never_reused(book: tuple[Services, int]) -> None:
    services, customer = book
    invoices = services.invoices

    issued = [invoices.issue(invoices.save_draft(_content(customer))) for _ in range(4)]
    invoices.cancel(issued[1].id, "wrong amount")
    draft = invoices.save_draft(_content(customer))
    assert invoices.next_number(date(2026, 3, 2)) == "R2026-0005"
    invoices.delete_draft(draft)
    last = invoices.issue(invoices.save_draft(_content(customer)))

    numbers = [invoice.number for invoice in [*issued, last]]
    assert numbers == [f"R2026-{n:04d}" for n in range(1, 6)]
    assert invoices.get(issued[1].id).status is InvoiceStatus.CANCELLED
    assert invoices.get(issued[1].id).number == "R2026-0002"
    assert services.invoice_list.invoice_count() == 5


def test_a_new_year_starts_its_own_series(book: tuple[Services, int]) -> None:
    services, customer = book
    invoices = services.invoices

    first = invoices.issue(invoices.save_draft(_content(customer, date(2026, 12, 31))))
    second = invoices.issue(invoices.save_draft(_content(customer, date(2027, 1, 1))))

    assert (first.number, second.number) == ("R2026-0001", "R2027-0001")


def test_a_hand_typed_duplicate_is_refused_and_nothing_is_saved(
    book: tuple[Services, int],
) -> None:
    services, customer = book
    invoices = services.invoices
    first = invoices.issue(invoices.save_draft(_content(customer)))
    assert services.invoice_list.invoice_count() == 1

    with pytest.raises(ConflictError, match="R2026-0001 is already used"):
        invoices.save_draft(_content(customer), manual_number="R2026-0001")

    assert services.invoice_list.invoice_count() == 1
    assert invoices.get(first.id).number == "R2026-0001"


def test_a_hand_typed_number_is_used_on_issue_and_skipped_by_the_counter(
    book: tuple[Services, int],
) -> None:
    services, customer = book
    invoices = services.invoices
    typed = invoices.save_draft(_content(customer), manual_number="R2026-0002")

    first = invoices.issue(invoices.save_draft(_content(customer)))
    second = invoices.issue(typed)
    third = invoices.issue(invoices.save_draft(_content(customer)))

    assert [first.number, second.number, third.number] == [
        "R2026-0001",
        "R2026-0002",
        "R2026-0003",
    ]


def test_an_issued_invoice_cannot_be_edited_through_the_service(
    book: tuple[Services, int],
) -> None:
    services, customer = book
    invoices = services.invoices
    issued = invoices.issue(invoices.save_draft(_content(customer)))

    changed = InvoiceContent(
        customer, "USD", date(2026, 3, 2), date(2026, 3, 2), (LineItem("X", Decimal(2), 1),)
    )
    with pytest.raises(ConflictError, match="R2026-0001 is issued and locked"):
        invoices.save_draft(changed, invoice_id=issued.id)

    assert invoices.get(issued.id).content == issued.content
