"""A payment reminder without a cloud payment link (SMTP/Twilio only), and in JPY and BHD."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.reminders import ReminderSchedule, ReminderStep
from leadcartel_desktop.domain.totals import LineItem

DUE = date(2026, 3, 2)  # the fixed clock (2026-03-10) makes it 8 days overdue
TERMS = "Bank transfer to IBAN DE02 1203 0000 0000 2020 51."


def issue(context: Any, currency: str, unit_price: int) -> int:
    services = context.services
    customer = services.contacts.create(
        Contact(first_name="Ann", last_name="Lee", email="ann@example.com", phone="+6591234567")
    )
    content = InvoiceContent(
        contact_id=customer.id,
        currency=currency,
        issue_date=date(2026, 2, 20),
        due_date=DUE,
        lines=(LineItem("Work", Decimal(1), unit_price),),
        terms=TERMS,
    )
    return int(services.invoices.issue(services.invoices.save_draft(content)).id)


def reminder_body(context: Any, channel: Channel, currency: str = "USD", price: int = 10000):
    services = context.services
    services.settings.save_business(BusinessSettings(company_name="Acme"))
    services.reminders.save_schedule(ReminderSchedule(steps=(ReminderStep(7, channel),)))
    invoice_id = issue(context, currency, price)
    assert services.reminders.run_due() == 1
    (row,) = services.outbox.for_invoice(invoice_id)
    return str(row.payload["body"])


@pytest.mark.parametrize("channel", [Channel.EMAIL, Channel.SMS])
def test_reminder_without_cloud_link_does_not_end_in_an_empty_pay_here(context: Any, channel):
    """No cloud account (SMTP/Twilio only): there is no payment link to give."""
    body = reminder_body(context, channel)
    assert not re.search(r"(pay it here|Pay):\s*($|\n)", body), repr(body)


def test_email_reminder_without_cloud_link_carries_the_payment_instructions(context: Any):
    """As the invoice email has them: the invoice's payment instructions."""
    body = reminder_body(context, Channel.EMAIL)
    assert TERMS in body, repr(body)


@pytest.mark.parametrize(
    ("currency", "price", "shown"), [("JPY", 10000, "10,000"), ("BHD", 12345, "12.345")]
)
def test_reminder_amount_uses_the_currency_exponent(context: Any, currency, price, shown):
    body = reminder_body(context, Channel.EMAIL, currency, price)
    assert shown in body, body
