"""A message about an invoice that changed while it waited in the outbox is not sent.

Send pressed offline, then the invoice cancelled; a reminder queued, then the invoice paid or
the customer asking for no reminders: each is cancelled when claimed, with the reason, and the
customer gets nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.domain.reminders import ReminderSchedule, ReminderStep
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.services.invoice_gate import (
    CANCELLED_ERROR,
    CUSTOMER_STOPPED_ERROR,
    SETTLED_ERROR,
    STOPPED_ERROR,
)
from leadcartel_desktop.services.send_invoice import DEFAULT_TEMPLATES
from tests.conftest import FixedClock
from tests.integration.send_support import draft_for_ada, sandbox_app

DUE = date(2026, 3, 6)  # four days before the fixed clock's 2026-03-10


def overdue_invoice(services: Any, email: str = "ann@example.com") -> int:
    customer = services.contacts.create(Contact("Ann", "Lee", email))
    content = InvoiceContent(
        contact_id=customer.id,
        currency="USD",
        issue_date=date(2026, 2, 20),
        due_date=DUE,
        lines=(LineItem("Work", Decimal(1), 10_000),),
    )
    return int(services.invoices.issue(services.invoices.save_draft(content)).id)


def only_row(services: Any, invoice_id: int) -> Any:
    (row,) = services.outbox.for_invoice(invoice_id)
    return row


def test_an_invoice_cancelled_after_send_was_pressed_is_not_sent(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        invoice_id = draft_for_ada(services)
        services.send_invoice.send(
            invoice_id,
            [Channel.EMAIL],
            subject=DEFAULT_TEMPLATES.subject,
            message=DEFAULT_TEMPLATES.message,
            sms_message=DEFAULT_TEMPLATES.sms_message,
            send_key="press-1",
        )
        services.invoices.cancel(invoice_id, "wrong customer")
        services.outbox.process_due(clock.now())
        assert sandbox.received("smtp") == []
        row = only_row(services, invoice_id)
        assert (row.state, row.last_error) == (OutboxState.CANCELLED, CANCELLED_ERROR)


def reminder_queued(services: Any) -> int:
    services.reminders.save_schedule(ReminderSchedule(steps=(ReminderStep(3),)))
    invoice_id = overdue_invoice(services)
    assert services.reminders.run_due() == 1  # queued, say while offline
    return invoice_id


def test_a_reminder_for_an_invoice_paid_meanwhile_is_not_sent(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        invoice_id = reminder_queued(services)
        services.payments.record(invoice_id, 10_000, date(2026, 3, 9), PaymentMethod.CASH)
        services.outbox.process_due(clock.now())
        assert sandbox.received("smtp") == []
        row = only_row(services, invoice_id)
        assert (row.state, row.last_error) == (OutboxState.CANCELLED, SETTLED_ERROR)


def test_a_reminder_for_an_invoice_part_paid_meanwhile_still_goes(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        invoice_id = reminder_queued(services)
        services.payments.record(invoice_id, 4_000, date(2026, 3, 9), PaymentMethod.CASH)
        services.outbox.process_due(clock.now())
        assert len(sandbox.received("smtp")) == 1
        assert only_row(services, invoice_id).state is OutboxState.SENT


def test_a_reminder_stopped_for_the_invoice_or_the_customer_meanwhile_is_not_sent(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        by_invoice = reminder_queued(services)
        services.reminders.stop_for_invoice(by_invoice)
        services.outbox.process_due(clock.now())
        assert only_row(services, by_invoice).last_error == STOPPED_ERROR

        by_customer = overdue_invoice(services, "ann.lee@example.com")
        assert services.reminders.run_due() == 1
        contact_id = services.invoices.get(by_customer).content.contact_id
        services.reminders.stop_for_customer(contact_id)
        services.outbox.process_due(clock.now())
        row = only_row(services, by_customer)
        assert (row.state, row.last_error) == (OutboxState.CANCELLED, CUSTOMER_STOPPED_ERROR)
        assert sandbox.received("smtp") == []
