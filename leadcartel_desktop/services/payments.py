"""Payments: record and delete them, keeping the invoice's balance and status in step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.invoice import Invoice, Payment
from leadcartel_desktop.domain.invoice_status import InvoiceStatus, status_for_balance
from leadcartel_desktop.domain.payments import PaymentMethod, check_payment
from leadcartel_desktop.services.ports import UnitOfWork, UnitOfWorkFactory

if TYPE_CHECKING:
    from leadcartel_desktop.services.invoice_sync import InvoiceSyncService


class PaymentService:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        sync: Callable[[], InvoiceSyncService] | None = None,
    ) -> None:
        """`sync` (made on first use) queues the cloud push of payments on synced invoices."""
        self._uow = unit_of_work
        self._sync = sync

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

    def delete(self, payment_id: int) -> Invoice:
        with self._uow() as uow:
            invoice_id = uow.invoices.delete_payment(payment_id)
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
