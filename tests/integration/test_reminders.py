"""Payment reminders on a real database: each step queued once, stops, paid invoices, send now."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.errors import ConflictError, ValidationError
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.domain.reminders import ReminderSchedule, ReminderStep, ReminderTemplate
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.services.reminders import ReminderService
from tests.conftest import FixedClock

Context = Any  # leadcartel_desktop.app.AppContext
DUE = date(2026, 3, 2)  # the clock's 2026-03-10 makes it 8 days overdue
SCHEDULE = ReminderSchedule(steps=(ReminderStep(3), ReminderStep(7), ReminderStep(14)))


@pytest.fixture
def reminders(context: Context) -> ReminderService:
    services = context.services
    services.settings.save_business(BusinessSettings(company_name="Acme"))
    service: ReminderService = services.reminders
    service.save_schedule(SCHEDULE)
    return service


def issue(context: Context, email: str = "ann@example.com", phone: str = "") -> int:
    services = context.services
    customer = services.contacts.create(
        Contact(first_name="Ann", last_name="Lee", email=email, phone=phone)
    )
    content = InvoiceContent(
        contact_id=customer.id,
        currency="USD",
        issue_date=date(2026, 2, 20),
        due_date=DUE,
        lines=(LineItem("Work", Decimal(1), 10000),),
    )
    invoice_id: int = services.invoices.issue(services.invoices.save_draft(content)).id
    return invoice_id


def keys(context: Context, invoice_id: int) -> list[str]:
    return sorted(row.idempotency_key for row in context.services.outbox.for_invoice(invoice_id))


def test_eight_days_late_gets_the_seven_day_step_once_and_three_is_skipped(
    context: Context, reminders: ReminderService, clock: FixedClock
):
    invoice_id = issue(context)
    assert reminders.run_due() == 1  # one reminder per run: the latest step due
    assert reminders.run_due() == 0
    assert keys(context, invoice_id) == [f"reminder:{invoice_id}:7"]
    (first,) = context.services.outbox.for_invoice(invoice_id)
    assert first.channel is Channel.EMAIL and first.recipient == "ann@example.com"
    assert "Acme" in str(first.payload["body"]) and "$100.00" in str(first.payload["body"])
    clock.instant = datetime(2026, 3, 16, 12, 0, tzinfo=UTC)
    assert reminders.run_due() == 1
    assert reminders.run_due() == 0
    assert len(keys(context, invoice_id)) == 2  # 7 and 14; 3 was skipped for good


def test_nothing_is_queued_before_the_first_step_or_when_disabled(
    context: Context, reminders: ReminderService, clock: FixedClock
):
    invoice_id = issue(context)
    clock.instant = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)  # 2 days late
    assert reminders.run_due() == 0
    clock.instant = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    reminders.save_schedule(ReminderSchedule(SCHEDULE.steps, enabled=False))
    assert reminders.run_due() == 0
    assert keys(context, invoice_id) == []


def test_stopping_per_invoice_and_per_customer_stops(context: Context, reminders: ReminderService):
    stopped_invoice = issue(context, "a@example.com")
    customer_invoice = issue(context, "b@example.com")
    reminders.stop_for_invoice(stopped_invoice)
    contact_id = context.services.invoices.get(customer_invoice).content.contact_id
    reminders.stop_for_customer(contact_id)
    assert reminders.is_stopped(stopped_invoice) and reminders.is_stopped(customer_invoice)
    assert reminders.run_due() == 0
    reminders.stop_for_customer(contact_id, stopped=False)
    assert reminders.run_due() == 1  # the seven-day step (three is skipped)
    assert keys(context, stopped_invoice) == []


def test_a_paid_invoice_gets_no_reminder_and_none_can_be_sent_now(
    context: Context, reminders: ReminderService
):
    invoice_id = issue(context)
    context.services.payments.record(invoice_id, 10000, date(2026, 3, 1), PaymentMethod.CASH)
    assert reminders.run_due() == 0
    with pytest.raises(ConflictError, match="no balance due"):
        reminders.send_now(invoice_id)
    assert keys(context, invoice_id) == []


def test_send_now_queues_one_per_press(context: Context, reminders: ReminderService):
    invoice_id = issue(context)
    first = reminders.send_now(invoice_id, press="press-1")
    assert reminders.send_now(invoice_id, press="press-1") == first  # a double click
    assert keys(context, invoice_id) == [f"reminder:{invoice_id}:manual:press-1"]
    reminders.send_now(invoice_id, press="press-2")
    assert len(keys(context, invoice_id)) == 2
    assert reminders.run_due() == 0  # reminded today: the steps due by now are covered


def test_a_customer_without_an_address_for_the_channel_is_skipped_with_a_reason(
    context: Context, reminders: ReminderService
):
    sms = ReminderSchedule(steps=(ReminderStep(3, Channel.SMS),))
    reminders.save_schedule(sms)
    invoice_id = issue(context)  # email only
    run = reminders.run()
    assert run.queued == 0
    assert [(s.invoice_id, s.reason) for s in run.skipped] == [
        (invoice_id, "Ann Lee has no phone number for a sms reminder")
    ]
    with pytest.raises(ValidationError, match="no phone number"):
        reminders.send_now(invoice_id, channel=Channel.SMS)


def test_the_schedule_is_saved_and_a_bad_template_refused(reminders: ReminderService):
    assert [step.days for step in reminders.schedule().steps] == [3, 7, 14]
    bad = ReminderSchedule(SCHEDULE.steps, {Channel.EMAIL: ReminderTemplate("Hi {nickname}")})
    with pytest.raises(ValidationError, match="nickname"):
        reminders.save_schedule(bad)
    mine = ReminderTemplate("{customer_first_name}, {days_overdue} days", "Late")
    reminders.save_schedule(ReminderSchedule(SCHEDULE.steps, {Channel.EMAIL: mine}))
    assert reminders.schedule().template(Channel.EMAIL) == mine


def test_two_runs_at_once_queue_each_step_once(context: Context, reminders: ReminderService):
    invoice_id = issue(context)
    with ThreadPoolExecutor(max_workers=2) as pool:
        counts = list(pool.map(lambda _: reminders.run_due(), range(2)))
    assert sorted(counts) == [0, 1]
    assert len(keys(context, invoice_id)) == 1
