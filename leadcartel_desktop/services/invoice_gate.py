"""The last look at a claimed invoice message: is the invoice still one to write about?

An invoice email or text, or a payment reminder (not a cloud call), can wait in the outbox
for a long time (offline, a provider's back-off, a paused channel) while the invoice moves
on. When it is claimed, inside the claim's transaction, a message about an invoice cancelled
meanwhile is cancelled, and a reminder is cancelled once nothing is owed or reminders were
stopped for the invoice or its customer: a customer who has paid is never asked to pay again.
"""

from __future__ import annotations

from collections.abc import Sequence

from leadcartel_desktop.domain.errors import NotFoundError
from leadcartel_desktop.domain.invoice import Invoice
from leadcartel_desktop.domain.invoice_status import OPEN_STATUSES, InvoiceStatus
from leadcartel_desktop.domain.outbox import Channel, OutboxMessage
from leadcartel_desktop.services.gate_recordings import cancelled
from leadcartel_desktop.services.outbox_outcomes import Recording
from leadcartel_desktop.services.ports import UnitOfWork

REMINDER_PREFIX = "reminder:"  # the idempotency keys of scheduled and "send now" reminders
PAYMENT_PREFIX = "payment:"  # a payment made in the app, pushed to the cloud
PAYMENT_DELETED_ERROR = "The payment was deleted before it reached the cloud"
CANCELLED_ERROR = "The invoice was cancelled before this message was sent"
GONE_ERROR = "The invoice no longer exists"
SETTLED_ERROR = "Nothing was owed on the invoice any more when this reminder was due"
STOPPED_ERROR = "Reminders were stopped for this invoice before this one was sent"
CUSTOMER_STOPPED_ERROR = "The customer asked for no payment reminders before this one was sent"
NOT_SENT_HINT = "Not sent, as the invoice changed after it was queued; nothing to do."


def is_reminder(message: OutboxMessage) -> bool:
    return message.idempotency_key.startswith(REMINDER_PREFIX)


def invoice_holds(uow: UnitOfWork, claimed: Sequence[OutboxMessage]) -> dict[int, Recording]:
    """The claimed invoice messages that must not go, each cancelled with the reason."""
    holds: dict[int, Recording] = {}
    invoices: dict[int, Invoice | None] = {}
    for message in claimed:
        if _pushes_a_deleted_payment(uow, message):
            holds[message.id] = cancelled(
                message, "payment_deleted", PAYMENT_DELETED_ERROR, NOT_SENT_HINT
            )
            continue
        # Cloud calls (a void, a payment push) keep the cloud in step with the invoice,
        # whatever became of it: they are the customer's business only through it.
        if message.invoice_id is None or message.channel is Channel.CLOUD:
            continue
        if message.invoice_id not in invoices:
            invoices[message.invoice_id] = _invoice(uow, message.invoice_id)
        reason = _why_not(uow, message, invoices[message.invoice_id])
        if reason:
            holds[message.id] = cancelled(message, "invoice_changed", reason, NOT_SENT_HINT)
    return holds


def _pushes_a_deleted_payment(uow: UnitOfWork, message: OutboxMessage) -> bool:
    """A payment push (retried from the outbox view, say) whose payment was deleted since."""
    key = message.idempotency_key
    if message.channel is not Channel.CLOUD or not key.startswith(PAYMENT_PREFIX):
        return False
    payment_id = key.removeprefix(PAYMENT_PREFIX)
    return payment_id.isdigit() and not uow.invoice_sync.payment_exists(int(payment_id))


def _invoice(uow: UnitOfWork, invoice_id: int) -> Invoice | None:
    try:
        return uow.invoices.get(invoice_id)
    except NotFoundError:
        return None


def _why_not(uow: UnitOfWork, message: OutboxMessage, invoice: Invoice | None) -> str:
    if invoice is None:
        return GONE_ERROR
    if invoice.status is InvoiceStatus.CANCELLED:
        return CANCELLED_ERROR
    if not is_reminder(message):
        return ""  # the invoice itself, or its receipt: still worth sending once paid
    if invoice.status not in OPEN_STATUSES or invoice.totals().balance <= 0:
        return SETTLED_ERROR
    contact_id = invoice.content.contact_id
    if contact_id is not None and uow.reminders.customer_stopped(contact_id):
        return CUSTOMER_STOPPED_ERROR  # said first: stopping a customer stops their invoices too
    if message.invoice_id is not None and uow.reminders.is_stopped(message.invoice_id):
        return STOPPED_ERROR
    return ""
