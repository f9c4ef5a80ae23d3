"""Payment reminders: steps N days after the due date, each sent at most once per invoice."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.merge_fields import check_template
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.whatsapp import (
    TEMPLATE_FIELD,
    VARIABLES_FIELD,
    check_template_id,
    parse_variables,
)

MERGE_FIELDS = (
    "customer_first_name",
    "invoice_number",
    "amount_due",
    "due_date",
    "days_overdue",
    "payment_link",
    "business_name",
)
MAX_DAYS = 365
MAX_STEPS = 10
REMINDER_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.WHATSAPP)


@dataclass(frozen=True, slots=True)
class ReminderStep:
    """Send on `channel` once the invoice is `days` days past its due date."""

    days: int
    channel: Channel = Channel.EMAIL


@dataclass(frozen=True, slots=True)
class ReminderTemplate:
    """The message for one channel; `subject` is for email only.

    `template_id` and `variables` are WhatsApp's approved template and its numbered variables
    ("1={customer_first_name}; 2={invoice_number}"): outside the 24-hour window WhatsApp
    refuses the free text `body`, so the template goes instead.
    """

    body: str
    subject: str = ""
    template_id: str = ""
    variables: str = ""


DEFAULT_TEMPLATES: Mapping[Channel, ReminderTemplate] = {
    Channel.EMAIL: ReminderTemplate(
        subject="Reminder: invoice {invoice_number} is {days_overdue} days overdue",
        body=(
            "Hi {customer_first_name},\n\nInvoice {invoice_number} for {amount_due} was due on "
            "{due_date}. You can pay it here: {payment_link}\n\nThank you,\n{business_name}"
        ),
    ),
    Channel.SMS: ReminderTemplate(
        body="{business_name}: invoice {invoice_number} ({amount_due}) was due {due_date}. "
        "Pay: {payment_link}"
    ),
    Channel.WHATSAPP: ReminderTemplate(
        body="Hi {customer_first_name}, invoice {invoice_number} ({amount_due}) from "
        "{business_name} was due on {due_date}. Pay here: {payment_link}"
    ),
}


@dataclass(frozen=True, slots=True)
class ReminderSchedule:
    """The reminder settings: steps ordered by days, and a template per channel."""

    steps: tuple[ReminderStep, ...] = ()
    templates: Mapping[Channel, ReminderTemplate] = field(
        default_factory=lambda: dict(DEFAULT_TEMPLATES)
    )
    enabled: bool = True

    def template(self, channel: Channel) -> ReminderTemplate:
        return self.templates.get(channel) or DEFAULT_TEMPLATES[channel]

    def check(self) -> ReminderSchedule:
        """The schedule with steps sorted; ValidationError for what cannot be saved."""
        if len(self.steps) > MAX_STEPS:
            raise ValidationError("Schedule", f"at most {MAX_STEPS} steps")
        days = [step.days for step in self.steps]
        for step in self.steps:
            if not 1 <= step.days <= MAX_DAYS:
                raise ValidationError("Days", f"must be between 1 and {MAX_DAYS}")
            if step.channel not in REMINDER_CHANNELS:
                raise ValidationError("Channel", "reminders go by email, SMS or WhatsApp")
        if len(set(days)) != len(days):
            raise ValidationError("Schedule", "two steps have the same number of days")
        for channel, template in self.templates.items():
            label = channel.value.capitalize()
            if not template.body.strip():
                raise ValidationError(f"{label} message", "is empty")
            check_template(template.body, MERGE_FIELDS, f"{label} message")
            check_template(template.subject, MERGE_FIELDS, f"{label} subject")
        templates = dict(self.templates)
        if Channel.WHATSAPP in templates:
            templates[Channel.WHATSAPP] = _checked_whatsapp(templates[Channel.WHATSAPP])
        ordered = tuple(sorted(self.steps, key=lambda step: step.days))
        return ReminderSchedule(ordered, templates, self.enabled)


def _checked_whatsapp(template: ReminderTemplate) -> ReminderTemplate:
    """The template id trimmed; its variables parse and name only reminder merge fields.

    The provider's own id format (Twilio's Content SID) is judged when the reminder is
    queued: the provider can change after the schedule is saved.
    """
    template_id = template.template_id.strip()
    if not template_id:
        if template.variables.strip():
            raise ValidationError(TEMPLATE_FIELD, "enter the approved template's id")
        return replace(template, template_id="", variables="")
    check_template_id(template_id, twilio=False)
    for value in parse_variables(template.variables).values():
        check_template(value, MERGE_FIELDS, VARIABLES_FIELD)
    return replace(template, template_id=template_id, variables=template.variables.strip())


DEFAULT_SCHEDULE = ReminderSchedule(
    steps=(ReminderStep(3), ReminderStep(7), ReminderStep(14)), enabled=False
)


def days_overdue(due_date: date, today: date) -> int:
    return max(0, (today - due_date).days)


@dataclass(frozen=True, slots=True)
class ReminderPlan:
    """What one run does for one invoice: send at most one step, log the others as skipped."""

    send: ReminderStep | None = None
    skip: tuple[ReminderStep, ...] = ()


def plan_steps(
    schedule: ReminderSchedule,
    due_date: date,
    today: date,
    logged: Collection[int],
    reminded_on: date | None = None,
    *,
    stopped: bool = False,
) -> ReminderPlan:
    """The one step to send now, and the due steps to skip for good.

    A customer gets at most one reminder per run: of the steps due and not logged (sent or
    skipped) only the latest goes; the earlier ones are skipped, never to be sent (a long
    overdue invoice gets the 14-day reminder, not the 3-, 7- and 14-day ones at once). A
    step is also skipped when a reminder already covered it: one at or below the highest
    step logged, or one that fell due on or before `reminded_on` (the business day the last
    reminder was queued) -- steps 3/7/14 changed to 4/8/14 after 3 and 7 went send neither
    4 nor 8 that day.
    """
    due = due_steps(schedule, due_date, today, logged, stopped)
    covered = max(logged, default=0)
    if reminded_on is not None:
        covered = max(covered, days_overdue(due_date, reminded_on))
    skip = [step for step in due if step.days <= covered]
    fresh = [step for step in due if step.days > covered]
    if not fresh:
        return ReminderPlan(None, tuple(skip))
    return ReminderPlan(fresh[-1], tuple(skip + fresh[:-1]))


def due_steps(
    schedule: ReminderSchedule,
    due_date: date,
    today: date,
    sent: Collection[int],
    stopped: bool = False,
) -> list[ReminderStep]:
    """Steps due now that were not logged yet (all of them when several were missed).

    plan_steps() chooses the one of them to send. The caller passes only open invoices with
    a balance; `today` is in the business's zone, so an invoice due today is not overdue and
    gets nothing.
    """
    if stopped or not schedule.enabled or today <= due_date:
        return []
    late = days_overdue(due_date, today)
    return [step for step in schedule.steps if step.days <= late and step.days not in sent]
