"""Payments: record and delete them, keeping the invoice's balance and status in step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from leadcartel_desktop.domain.errors import CloudCopyError, ConflictError, ValidationError
from leadcartel_desktop.domain.invoice import Invoice, Payment
from leadcartel_desktop.domain.invoice_status import InvoiceStatus, status_for_balance
from leadcartel_desktop.domain.outbox import OutboxState
from leadcartel_desktop.domain.payments import PaymentMethod, check_payment
from leadcartel_desktop.services.clock import SystemClock
from leadcartel_desktop.services.invoice_gate import PAYMENT_DELETED_ERROR
from leadcartel_desktop.services.outbox_operator import cancel_waiting
from leadcartel_desktop.services.ports import Clock, UnitOfWork, UnitOfWorkFactory

if TYPE_CHECKING:
    from leadcartel_desktop.services.invoice_sync import InvoiceSyncService


TAKEN_ONLINE = (
    "This payment was made online through your Lead Cartel account, so it cannot be deleted "
    "here (the next sync would bring it back): refund it in Lead Cartel."
)
IN_THE_CLOUD = (
    "This payment has been sent to your Lead Cartel account, and the app cannot take it out "
    "there. Delete it here only? Then remove or refund it in Lead Cartel too, or the two will "
    "show different balances."
)
MAYBE_IN_THE_CLOUD = (
    "This payment was being sent to your Lead Cartel account when the answer was lost: the "
    "account may hold it, and the app cannot take it out there. Delete it here only? Then "
    "check the invoice in Lead Cartel and remove the payment there if it is listed."
)

# A push in these states may have been taken by the cloud (sending, unknown: perhaps).
REACHED_THE_CLOUD = frozenset(
    {OutboxState.SENDING, OutboxState.UNKNOWN, OutboxState.SENT, OutboxState.DELIVERED}
)


class PaymentService:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        sync: Callable[[], InvoiceSyncService] | None = None,
        clock: Clock | None = None,
    ) -> None:
        """`sync` (made on first use) queues the cloud push of payments on synced invoices."""
        self._uow = unit_of_work
        self._sync = sync
        self._clock = clock or SystemClock()

    def record(
        self,
        invoice_id: int,
        amount: int,
        paid_on: date,
        method: PaymentMethod,
        reference: str = "",
    ) -> Invoice:
        """Add a payment; one larger than the balance is refused and nothing is saved."""
        if len(reference) > 200:
            raise ValidationError("Reference", "is longer than 200 characters")
        with self._uow() as uow:
            invoice = uow.invoices.get(invoice_id)
            totals = invoice.totals()
            check_payment(invoice.status, amount, totals.balance, invoice.content.currency)
            if paid_on < invoice.content.issue_date:
                raise ValidationError("Date", "a payment cannot be dated before the invoice")
            payment_id = uow.invoices.add_payment(
                invoice_id, Payment(amount, paid_on, method, reference.strip())
            )
            self._follow_balance(uow, invoice_id)
            pushed = self._sync is not None and self._sync().queue_push_in(uow, payment_id)
            uow.commit()
            recorded = uow.invoices.get(invoice_id)
        if pushed and self._sync is not None:
            self._sync().notify()
        return recorded

    def delete(self, payment_id: int, *, cloud_keeps_it: bool = False) -> Invoice:
        """Delete a payment made in the app; the balance and status follow.

        A payment taken online through the cloud is refused (the next sync would bring it
        back). One already sent to the cloud stays there (it has no call to take it out):
        refused with CloudCopyError unless `cloud_keeps_it` says the operator accepts that. A
        push still waiting is cancelled with it.
        """
        with self._uow() as uow:
            cloud = uow.invoice_sync.payment_in_cloud(payment_id)
            if cloud is not None and cloud.remote_id is not None:
                raise ConflictError(TAKEN_ONLINE)
            if cloud is not None and cloud.push_state in REACHED_THE_CLOUD and not cloud_keeps_it:
                accepted = cloud.push_state in {OutboxState.SENT, OutboxState.DELIVERED}
                raise CloudCopyError(IN_THE_CLOUD if accepted else MAYBE_IN_THE_CLOUD)
            invoice_id = uow.invoices.delete_payment(payment_id)
            if cloud is not None and cloud.push_id is not None:
                cancel_waiting(uow, cloud.push_id, PAYMENT_DELETED_ERROR, self._clock.now())
            self._follow_balance(uow, invoice_id)
            uow.commit()
            return uow.invoices.get(invoice_id)

    @staticmethod
    def _follow_balance(uow: UnitOfWork, invoice_id: int) -> None:
        invoice = uow.invoices.get(invoice_id)
        if invoice.status is InvoiceStatus.CANCELLED:
            return
        status = status_for_balance(invoice.totals().total, invoice.paid, invoice.viewed)
        uow.invoices.set_paid(invoice_id, invoice.paid, status)
