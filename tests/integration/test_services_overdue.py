"""Overdue in the business's time zone, through the list query and outstanding totals."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.invoice_status import StatusFilter
from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.services.views import CurrencyTotals, InvoiceQuery

Services = Any  # leadcartel_desktop.services.registry.Services
NEW_YORK = ZoneInfo("America/New_York")
OVERDUE = InvoiceQuery(status=StatusFilter.OVERDUE)


def _setup(services: Services) -> int:
    services.settings.save_business(
        BusinessSettings(company_name="Acme", time_zone="America/New_York")
    )
    return int(services.contacts.create(Contact(first_name="Ann")).id)


def _issue(
    services: Services, customer: int, currency: str, cents: int, due: date, issued: date
) -> int:
    content = InvoiceContent(
        contact_id=customer,
        currency=currency,
        issue_date=issued,
        due_date=due,
        lines=(LineItem("Work", Decimal(1), cents),),
    )
    invoice_id: int = services.invoices.issue(services.invoices.save_draft(content)).id
    return invoice_id


def _seen(services: Services, invoice_id: int) -> tuple[bool, str]:
    """(listed under Overdue, the row's display status) as the list shows them now."""
    today = services.invoice_list.today()
    listed = invoice_id in services.invoice_list.invoice_ids(OVERDUE, today)
    (row,) = services.invoice_list.invoice_rows([invoice_id], today)
    return listed, row.status


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (datetime(2016, 3, 30, 23, 59, 59), (False, "Sent")),
        (datetime(2016, 3, 31, 0, 0, 0), (False, "Sent")),
        (datetime(2016, 3, 31, 23, 59, 59), (False, "Sent")),
        (datetime(2016, 4, 1, 0, 0, 0), (True, "Overdue")),
    ],
)
def test_due_on_31_march_is_overdue_from_1_april_local_time(
    services: Services, clock: Any, local: datetime, expected: tuple[bool, str]
) -> None:
    customer = _setup(services)
    clock.instant = datetime(2016, 3, 1, 9, 0, tzinfo=NEW_YORK)
    invoice_id = _issue(services, customer, "USD", 10000, date(2016, 3, 31), date(2016, 3, 1))

    clock.instant = local.replace(tzinfo=NEW_YORK)

    assert _seen(services, invoice_id) == expected


def test_at_the_same_instant_utc_is_already_in_april(services: Services, clock: Any) -> None:
    """23:59:59 on 31 March in New York is 1 April in UTC: the business zone decides."""
    customer = _setup(services)
    clock.instant = datetime(2016, 3, 1, 9, 0, tzinfo=NEW_YORK)
    invoice_id = _issue(services, customer, "USD", 10000, date(2016, 3, 31), date(2016, 3, 1))
    clock.instant = datetime(2016, 3, 31, 23, 59, 59, tzinfo=NEW_YORK)

    assert clock.instant.astimezone(ZoneInfo("UTC")).date() == date(2016, 4, 1)
    assert _seen(services, invoice_id) == (False, "Sent")


def test_a_paid_invoice_is_never_overdue(services: Services, clock: Any) -> None:
    customer = _setup(services)
    clock.instant = datetime(2016, 3, 1, 9, 0, tzinfo=NEW_YORK)
    invoice_id = _issue(services, customer, "USD", 10000, date(2016, 3, 31), date(2016, 3, 1))
    services.payments.record(invoice_id, 10000, date(2016, 3, 2), PaymentMethod.CASH)
    clock.instant = datetime(2016, 5, 1, tzinfo=NEW_YORK)

    assert _seen(services, invoice_id) == (False, "Paid")


def test_outstanding_totals_keep_currencies_apart(services: Services, clock: Any) -> None:
    customer = _setup(services)
    clock.instant = datetime(2016, 4, 1, 12, 0, tzinfo=NEW_YORK)
    issued = date(2016, 3, 1)
    _issue(services, customer, "USD", 10000, date(2016, 3, 31), issued)
    late_eur = _issue(services, customer, "EUR", 5000, date(2016, 3, 15), issued)
    _issue(services, customer, "EUR", 700, date(2016, 4, 30), issued)
    _issue(services, customer, "JPY", 1200, date(2016, 4, 30), issued)
    services.payments.record(late_eur, 2000, date(2016, 3, 20), PaymentMethod.CARD)
    draft = InvoiceContent(customer, "GBP", issued, issued, (LineItem("x", Decimal(1), 99),))
    services.invoices.save_draft(draft)

    totals = services.invoice_list.outstanding(services.invoice_list.today())

    assert totals == [
        CurrencyTotals("EUR", outstanding=3700, overdue=3000, outstanding_count=2, overdue_count=1),
        CurrencyTotals("JPY", outstanding=1200, overdue=0, outstanding_count=1, overdue_count=0),
        CurrencyTotals(
            "USD", outstanding=10000, overdue=10000, outstanding_count=1, overdue_count=1
        ),
    ]
