"""Reminder schedules: which steps are due, once each, and what a schedule may hold."""

from __future__ import annotations

from datetime import date

import pytest

from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.merge_fields import without_field
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.reminders import (
    ReminderSchedule,
    ReminderStep,
    ReminderTemplate,
    due_steps,
)

SCHEDULE = ReminderSchedule(steps=(ReminderStep(3), ReminderStep(7), ReminderStep(14)))
DUE = date(2026, 3, 2)


def days(steps: list[ReminderStep]) -> list[int]:
    return [step.days for step in steps]


def test_an_invoice_eight_days_late_is_due_the_three_and_seven_day_steps():
    assert days(due_steps(SCHEDULE, DUE, date(2026, 3, 10), sent=())) == [3, 7]


def test_a_step_already_sent_is_not_due_again():
    assert days(due_steps(SCHEDULE, DUE, date(2026, 3, 10), sent={3, 7})) == []
    assert days(due_steps(SCHEDULE, DUE, date(2026, 3, 16), sent={3, 7})) == [14]


def test_nothing_is_due_on_the_due_date_or_when_stopped_or_disabled():
    assert due_steps(SCHEDULE, DUE, DUE, sent=()) == []
    assert due_steps(SCHEDULE, DUE, date(2026, 3, 4), sent=()) == []
    assert due_steps(SCHEDULE, DUE, date(2026, 3, 30), sent=(), stopped=True) == []
    off = ReminderSchedule(SCHEDULE.steps, enabled=False)
    assert due_steps(off, DUE, date(2026, 3, 30), sent=()) == []


def test_a_schedule_is_sorted_and_refuses_what_cannot_be_sent():
    checked = ReminderSchedule(steps=(ReminderStep(14), ReminderStep(3))).check()
    assert days(list(checked.steps)) == [3, 14]
    with pytest.raises(ValidationError, match="same number of days"):
        ReminderSchedule(steps=(ReminderStep(3), ReminderStep(3, Channel.SMS))).check()
    with pytest.raises(ValidationError, match="between 1 and"):
        ReminderSchedule(steps=(ReminderStep(0),)).check()
    with pytest.raises(ValidationError, match="email, SMS or WhatsApp"):
        ReminderSchedule(steps=(ReminderStep(3, Channel.CLOUD),)).check()


def test_a_template_with_an_unknown_merge_field_is_refused():
    bad = {Channel.SMS: ReminderTemplate("Pay {invoice_number} by {tomorrow}")}
    with pytest.raises(ValidationError, match=r"\{tomorrow\}"):
        ReminderSchedule(steps=(ReminderStep(3),), templates=bad).check()


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (
            "Due {due_date}. You can pay it here: {payment_link}\n\nThanks",
            "Due {due_date}.\n\nThanks",
        ),
        (
            "{business_name}: due {due_date}. Pay: {payment_link}",
            "{business_name}: due {due_date}.",
        ),
        ("Due {due_date}. {payment_link}", "Due {due_date}."),
        ("Link {payment_link} today", "Link today"),
        ("No link here: {amount_due}", "No link here: {amount_due}"),
        (
            "Invoice {n} for {a} is overdue, pay here: {payment_link}",
            "Invoice {n} for {a} is overdue",
        ),
        (
            "Invoice {n} ({a}, pay online: {payment_link}) is overdue.",
            "Invoice {n} ({a}) is overdue.",
        ),
        ("It is due. Pay online: {payment_link}. Thanks", "It is due. Thanks"),
        ("Pay {a}: {payment_link}. Again: {payment_link}. Thanks", "Pay {a}. Thanks"),
        ("Hi {f},\nPay: {payment_link}\n\nThank you,\n{b}", "Hi {f},\n\nThank you,\n{b}"),
        ("1={f}; 2=Pay here: {payment_link}", "1={f}; 2="),
    ],
)
def test_a_field_with_nothing_to_give_leaves_no_dangling_prompt(template: str, expected: str):
    assert without_field(template, "payment_link") == expected
