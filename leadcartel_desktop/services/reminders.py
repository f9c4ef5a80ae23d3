"""Payment reminders: the schedule, queueing the steps due, "Send reminder now", stop flags."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import uuid4
from zoneinfo import ZoneInfo

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.errors import ConflictError, ValidationError
from leadcartel_desktop.domain.invoice import Invoice
from leadcartel_desktop.domain.invoice_status import OPEN_STATUSES, business_today
from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.domain.reminders import ReminderSchedule, ReminderStep, plan_steps
from leadcartel_desktop.domain.whatsapp import TEMPLATE_FIELD
from leadcartel_desktop.services.outbox import OutboxService
from leadcartel_desktop.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from leadcartel_desktop.services.reminder_messages import (
    NO_WHATSAPP_TEMPLATE,
    Skipped,
    no_address,
    recipient,
    reminder_item,
    template_missing,
    whatsapp_state,
)


@dataclass(frozen=True, slots=True)
class ReminderRun:
    queued: int
    skipped: tuple[Skipped, ...] = ()


# Reminders that did not reach the customer do not count as reminding them.
_NOT_REMINDED = {OutboxState.CANCELLED, OutboxState.FAILED}


def step_key(invoice_id: int, step: int) -> str:
    """The outbox idempotency key of a scheduled step: one row whatever happens."""
    return f"reminder:{invoice_id}:{step}"


class ReminderService:
    def __init__(
        self, unit_of_work: UnitOfWorkFactory, clock: Clock, outbox: OutboxService
    ) -> None:
        self._uow = unit_of_work
        self._clock = clock
        self._outbox = outbox

    def schedule(self) -> ReminderSchedule:
        with self._uow(read_only=True) as uow:
            return uow.reminders.schedule()

    def save_schedule(self, schedule: ReminderSchedule) -> ReminderSchedule:
        """Validated (steps, channels, merge fields) and saved; returns the stored form."""
        checked = schedule.check()
        with self._uow() as uow:
            uow.reminders.save_schedule(checked)
            uow.commit()
        return checked

    def run_due(self, now: datetime | None = None) -> int:
        """Queue every scheduled step due at `now`; returns how many were queued."""
        return self.run(now).queued

    def run(self, now: datetime | None = None) -> ReminderRun:
        """run_due() with the reminders skipped and why (a customer with no address).

        At most one reminder per invoice per run: the latest step due goes, and the earlier
        steps not sent are logged as skipped (a reminder_log row with no outbox row), never
        to be sent -- see plan_steps().
        """
        now = now or self._clock.now()
        queued, skipped = 0, []
        with self._uow() as uow:
            schedule = uow.reminders.schedule()
            if not schedule.enabled or not schedule.steps:
                return ReminderRun(0)
            business = uow.settings.business()
            today = business_today(now, ZoneInfo(business.time_zone))
            first = min(step.days for step in schedule.steps)
            zone = ZoneInfo(business.time_zone)
            for overdue in uow.reminders.overdue(today, first):
                logged = uow.reminders.sent_steps(overdue.id)
                reminded = _reminded_on(uow, overdue.id, zone)
                plan = plan_steps(schedule, overdue.due_date, today, logged, reminded)
                reason: str | None = ""
                if plan.send is not None:
                    invoice = uow.invoices.get(overdue.id)
                    customer = uow.contacts.get(overdue.contact_id)
                    reason = self._queue_step(
                        uow, schedule, step=plan.send, invoice=invoice, customer=customer, now=now
                    )
                    if reason is None:
                        queued += 1
                    elif reason:
                        skipped.append(Skipped(invoice.id, reason))
                if not reason:  # the latest step went (here or in a run racing this one)
                    for step in plan.skip:  # logged with no outbox row: never sent
                        uow.reminders.claim_step(overdue.id, step.days, now)
            uow.commit()
        if queued:
            self._outbox.changed()
        return ReminderRun(queued, tuple(skipped))

    def _queue_step(
        self,
        uow: UnitOfWork,
        schedule: ReminderSchedule,
        *,
        step: ReminderStep,
        invoice: Invoice,
        customer: Contact,
        now: datetime,
    ) -> str | None:
        """Queue one step in the caller's transaction.

        None when queued, "" when another run queued it first, else why it cannot be. A step
        that cannot go stays unclaimed, so a later run sends it once the cause is fixed (an
        approved WhatsApp template set, the customer's window open).
        """
        if not recipient(customer, step.channel):
            return no_address(customer, step.channel)
        whatsapp = whatsapp_state(uow, step.channel, customer, now)
        if template_missing(schedule, step.channel, whatsapp):
            return NO_WHATSAPP_TEMPLATE
        business = uow.settings.business()
        today = business_today(now, ZoneInfo(business.time_zone))
        try:
            item = reminder_item(
                schedule,
                step.channel,
                invoice,
                customer,
                business,
                today=today,
                payment_link=uow.invoice_sync.settled_payment_link(invoice.id),
                cause=step_key(invoice.id, step.days),
                whatsapp=whatsapp,
            )
        except ValidationError as error:  # e.g. not a Twilio Content SID, an empty variable
            return error.message
        if not uow.reminders.claim_step(invoice.id, step.days, now):
            return ""
        outbox_id = self._outbox.queue_in(uow, item)
        uow.reminders.set_outbox(invoice.id, step.days, outbox_id)
        return None

    def send_now(
        self, invoice_id: int, press: str | None = None, channel: Channel | None = None
    ) -> int:
        """Send reminder now: one extra reminder; returns its outbox row id.

        `press` names one press of the button (the UI makes it once per dialog), so a double
        click queues one message; an invoice with nothing owed is refused.
        """
        now = self._clock.now()
        with self._uow() as uow:
            invoice = uow.invoices.get(invoice_id)
            balance = invoice.totals().balance
            if invoice.status not in OPEN_STATUSES or balance <= 0:
                raise ConflictError(
                    f"Invoice {invoice.number or invoice_id} has no balance due: no reminder"
                )
            schedule = uow.reminders.schedule()
            channel = channel or (schedule.steps[0].channel if schedule.steps else Channel.EMAIL)
            contact_id = invoice.content.contact_id
            assert contact_id is not None  # an issued invoice always has its customer
            customer = uow.contacts.get(contact_id)
            if uow.reminders.customer_stopped(contact_id):  # their wish, not a schedule setting
                raise ConflictError(customer_asked_for_none(customer))
            if not recipient(customer, channel):
                raise ValidationError("Customer", no_address(customer, channel))
            whatsapp = whatsapp_state(uow, channel, customer, now)
            if template_missing(schedule, channel, whatsapp):
                raise ValidationError(TEMPLATE_FIELD, NO_WHATSAPP_TEMPLATE)
            business = uow.settings.business()
            item = reminder_item(
                schedule,
                channel,
                invoice,
                customer,
                business,
                today=business_today(now, ZoneInfo(business.time_zone)),
                payment_link=uow.invoice_sync.settled_payment_link(invoice_id),
                cause=f"reminder:{invoice_id}:manual:{press or uuid4().hex}",
                whatsapp=whatsapp,
            )
            outbox_id = self._outbox.queue_in(uow, item)
            uow.commit()
        self._outbox.changed()
        return outbox_id

    def stop_for_invoice(self, invoice_id: int, stopped: bool = True) -> None:
        with self._uow() as uow:
            uow.invoices.get(invoice_id)  # NotFoundError for an unknown invoice
            uow.reminders.stop_invoice(invoice_id, stopped)
            uow.commit()

    def stop_for_customer(self, contact_id: int, stopped: bool = True) -> None:
        with self._uow() as uow:
            uow.contacts.get(contact_id)
            uow.reminders.stop_customer(contact_id, stopped, self._clock.now())
            uow.commit()

    def is_stopped_for_customer(self, contact_id: int) -> bool:
        """Whether the customer asked for no payment reminders (the contact form's switch)."""
        with self._uow(read_only=True) as uow:
            return uow.reminders.customer_stopped(contact_id)

    def is_stopped(self, invoice_id: int) -> bool:
        with self._uow(read_only=True) as uow:
            return uow.reminders.is_stopped(invoice_id)


def customer_asked_for_none(customer: Contact) -> str:
    """Why "Send reminder now" is refused for a customer who stopped reminders."""
    return (
        f"{customer.display_name} asked for no payment reminders, so none is sent. To send "
        'one, first untick "Don\'t send payment reminders to this customer" on their contact.'
    )


def _reminded_on(uow: UnitOfWork, invoice_id: int, zone: ZoneInfo) -> date | None:
    """The business day the invoice's latest reminder (scheduled or sent now) was queued.

    One cancelled or failed did not remind the customer and is not counted.
    """
    prefix = f"reminder:{invoice_id}:"
    queued = [
        row.created_at
        for row in uow.outbox.for_invoice(invoice_id)
        if row.idempotency_key.startswith(prefix)
        and row.created_at is not None
        and row.state not in _NOT_REMINDED
    ]
    return business_today(max(queued), zone) if queued else None
