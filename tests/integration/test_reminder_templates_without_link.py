"""Reminders without a cloud link: custom templates with {payment_link} in odd places."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.reminders import ReminderSchedule, ReminderStep, ReminderTemplate
from leadcartel_desktop.domain.totals import LineItem

DUE = date(2026, 3, 2)


def issue(context: Any) -> int:
    services = context.services
    customer = services.contacts.create(
        Contact(first_name="Ann", last_name="Lee", email="ann@example.com", phone="+6591234567")
    )
    content = InvoiceContent(
        contact_id=customer.id,
        currency="USD",
        issue_date=date(2026, 2, 20),
        due_date=DUE,
        lines=(LineItem("Work", Decimal(1), 12345),),
    )
    return int(services.invoices.issue(services.invoices.save_draft(content)).id)


def queued(context: Any, channel: Channel, template: ReminderTemplate) -> dict[str, Any]:
    services = context.services
    services.settings.save_business(BusinessSettings(company_name="Acme"))
    services.reminders.save_schedule(
        ReminderSchedule(steps=(ReminderStep(7, channel),), templates={channel: template})
    )
    invoice_id = issue(context)
    assert services.reminders.run_due() == 1
    (row,) = services.outbox.for_invoice(invoice_id)
    return dict(row.payload)


@pytest.mark.parametrize(
    "template",
    [
        # one sentence, the prompt after a comma: the amount and number must survive
        "Invoice {invoice_number} for {amount_due} is overdue, pay here: {payment_link}",
        # inside parentheses
        "Invoice {invoice_number} ({amount_due}, pay online: {payment_link}) is overdue.",
        # greeting then the prompt in the same sentence
        "Hi {customer_first_name}, {amount_due} is due on invoice {invoice_number}; "
        "pay: {payment_link}",
    ],
)
def test_sms_reminder_keeps_the_amount_and_number_when_the_link_is_left_out(
    context: Any, template: str
) -> None:
    body = str(queued(context, Channel.SMS, ReminderTemplate(template))["body"])
    assert "$123.45" in body, repr(body)
    assert "INV" in body, repr(body)


def test_email_subject_with_link_leaves_no_dangling_prompt(context: Any) -> None:
    payload = queued(
        context,
        Channel.EMAIL,
        ReminderTemplate(
            "Hi {customer_first_name}, please pay {amount_due}.",
            subject="Invoice {invoice_number} - pay here: {payment_link}",
        ),
    )
    subject = str(payload["subject"])
    assert not subject.rstrip().endswith(":"), repr(subject)


def test_link_twice_leaves_no_dangling_prompt(context: Any) -> None:
    body = str(
        queued(
            context,
            Channel.SMS,
            ReminderTemplate(
                "Pay {amount_due}: {payment_link}. Link again: {payment_link}. Thanks"
            ),
        )["body"]
    )
    assert "$123.45" in body, repr(body)


def test_link_mid_text_with_period_after(context: Any) -> None:
    body = str(
        queued(
            context,
            Channel.SMS,
            ReminderTemplate("Invoice {invoice_number} is due. Pay online: {payment_link}. Thanks"),
        )["body"]
    )
    assert ".." not in body, repr(body)


def test_no_link_template_unchanged(context: Any) -> None:
    text = "Invoice {invoice_number}: {amount_due} due. Call: 555 0100"
    body = str(queued(context, Channel.SMS, ReminderTemplate(text))["body"])
    assert body.endswith("$123.45 due. Call: 555 0100"), repr(body)


def test_start_of_text(context: Any) -> None:
    body = str(
        queued(
            context, Channel.SMS, ReminderTemplate("{payment_link} Invoice {invoice_number} due.")
        )["body"]
    )
    assert body.startswith("Invoice"), repr(body)
