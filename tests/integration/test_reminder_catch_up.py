"""Reminder catch-up: one reminder per invoice per run, missed steps skipped for good."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.errors import ConflictError
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.reminders import (
    ReminderPlan,
    ReminderSchedule,
    ReminderStep,
    plan_steps,
)
from leadcartel_desktop.domain.totals import LineItem
from tests.conftest import FixedClock

DUE = date(2026, 3, 2)
STEPS = ReminderSchedule(steps=(ReminderStep(3), ReminderStep(7), ReminderStep(14)))
SHIFTED = ReminderSchedule(steps=(ReminderStep(4), ReminderStep(8), ReminderStep(14)))


def at(day: int) -> datetime:
    return datetime(2026, 3, day, 12, 0, tzinfo=UTC)


def overdue_invoice(services: Any, due: date = DUE) -> int:
    customer = services.contacts.create(Contact("Ann", "Lee", "ann@example.com"))
    content = InvoiceContent(
        contact_id=customer.id,
        currency="USD",
        issue_date=date(2026, 2, 1),
        due_date=due,
        lines=(LineItem("Work", Decimal(1), 10_000),),
    )
    return int(services.invoices.issue(services.invoices.save_draft(content)).id)


def queued_steps(services: Any, invoice_id: int) -> list[str]:
    keys = (row.idempotency_key for row in services.outbox.for_invoice(invoice_id))
    return sorted(key.rsplit(":", 1)[1] for key in keys)


def skipped_steps(context: Any, invoice_id: int) -> list[int]:
    with context.database.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT step FROM reminder_log WHERE invoice_id = :i AND outbox_id IS NULL"),
            {"i": invoice_id},
        )
        return sorted(int(row[0]) for row in rows)


# The rule, without a database ---------------------------------------------------------------


def days(plan: ReminderPlan) -> tuple[int | None, list[int]]:
    return (plan.send.days if plan.send else None, [step.days for step in plan.skip])


@pytest.mark.parametrize(
    ("today", "logged", "reminded_on", "expected"),
    [
        (date(2026, 3, 20), (), None, (14, [3, 7])),  # 18 days late: the latest only
        (date(2026, 3, 10), (), None, (7, [3])),
        (date(2026, 3, 10), (3,), date(2026, 3, 5), (7, [])),  # on schedule: each step
        (date(2026, 3, 16), (3, 7), date(2026, 3, 10), (14, [])),
        (date(2026, 3, 4), (), None, (None, [])),  # nothing due yet
    ],
)
def test_the_latest_due_step_goes_and_the_earlier_ones_are_skipped(
    today: date, logged: tuple[int, ...], reminded_on: date | None, expected: Any
) -> None:
    assert days(plan_steps(STEPS, DUE, today, logged, reminded_on)) == expected


def test_shifted_steps_already_covered_are_skipped() -> None:
    # 3 and 7 went (the last on day 8); the steps became 4/8/14 that day.
    assert days(plan_steps(SHIFTED, DUE, date(2026, 3, 10), {3, 7}, date(2026, 3, 10))) == (
        None,
        [4, 8],
    )
    # A new step above every reminder sent still goes when it falls due.
    assert days(plan_steps(SHIFTED, DUE, date(2026, 3, 16), {3, 7, 4, 8}, date(2026, 3, 10))) == (
        14,
        [],
    )


# On a real database -----------------------------------------------------------------------


def test_an_invoice_18_days_late_gets_the_14_day_reminder_only(
    context: Any, clock: FixedClock
) -> None:
    services = context.services
    services.reminders.save_schedule(STEPS)
    invoice_id = overdue_invoice(services, due=date(2026, 2, 20))
    assert services.reminders.run_due() == 1
    assert queued_steps(services, invoice_id) == ["14"]
    assert skipped_steps(context, invoice_id) == [3, 7]
    clock.instant = at(28)
    assert services.reminders.run_due() == 0  # skipped steps never go
    assert queued_steps(services, invoice_id) == ["14"]


def test_steps_shifted_after_some_went_do_not_send_again_at_once(
    context: Any, clock: FixedClock
) -> None:
    services = context.services
    services.reminders.save_schedule(STEPS)
    invoice_id = overdue_invoice(services)
    clock.instant = at(5)
    assert services.reminders.run_due() == 1  # 3
    clock.instant = at(10)
    assert services.reminders.run_due() == 1  # 7 (8 days late)
    services.reminders.save_schedule(SHIFTED)
    assert services.reminders.run_due() == 0  # 4 and 8 were covered by 3 and 7
    clock.instant = at(11)
    assert services.reminders.run_due() == 0
    assert skipped_steps(context, invoice_id) == [4, 8]
    clock.instant = at(16)
    assert services.reminders.run_due() == 1  # 14
    assert queued_steps(services, invoice_id) == ["14", "3", "7"]


def test_send_now_is_refused_for_a_customer_who_asked_for_no_reminders(context: Any) -> None:
    services = context.services
    services.reminders.save_schedule(STEPS)
    invoice_id = overdue_invoice(services)
    contact_id = services.invoices.get(invoice_id).content.contact_id
    services.reminders.stop_for_customer(contact_id)
    with pytest.raises(ConflictError, match="Ann Lee asked for no payment reminders"):
        services.reminders.send_now(invoice_id, press="p")
    assert services.outbox.for_invoice(invoice_id) == []
    services.reminders.stop_for_customer(contact_id, stopped=False)
    assert services.reminders.send_now(invoice_id, press="p")
