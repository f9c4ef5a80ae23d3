"""Status sync with the cloud: viewed and online payments come back; offline payments go up."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.invoice import Payment
from leadcartel_desktop.domain.invoice_status import (
    OPEN_STATUSES,
    InvoiceStatus,
    business_today,
    status_for_balance,
)
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.services.outbox import OutboxService, new_item
from leadcartel_desktop.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from leadcartel_desktop.services.sync_ports import (
    CloudInvoiceReader,
    RemoteInvoice,
    SyncedInvoice,
    UnpushedPayment,
)

log = logging.getLogger(__name__)
RECORD_PAYMENT = "record_payment"


@dataclass(frozen=True, slots=True)
class SyncRun:
    """What one pull changed, and the invoices it could not read (with why)."""

    checked: int = 0
    viewed: int = 0
    payments: int = 0
    pushed: int = 0
    problems: tuple[tuple[int, str], ...] = ()


def payment_key(payment_id: int) -> str:
    return f"payment:{payment_id}"


class InvoiceSyncService:
    """`cloud` builds the cloud reader on demand (UserFacingError when none is set up)."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        clock: Clock,
        outbox: OutboxService,
        cloud: Callable[[], CloudInvoiceReader],
    ) -> None:
        self._uow = unit_of_work
        self._clock = clock
        self._outbox = outbox
        self._cloud = cloud

    def link(self, invoice_id: int, remote_id: str, payment_link: str = "") -> None:
        """Remember the invoice's copy in the cloud (after it was created there)."""
        with self._uow() as uow:
            uow.invoices.get(invoice_id)
            uow.invoice_sync.set_remote(invoice_id, remote_id, payment_link)
            uow.commit()

    # Down: what the customer did ---------------------------------------------------------

    def pull(self, now: datetime | None = None) -> SyncRun:
        """Read every open synced invoice from the cloud and bring back views and payments."""
        now = now or self._clock.now()
        pushed = self.push_pending()
        with self._uow(read_only=True) as uow:
            synced = uow.invoice_sync.open_synced()
        if not synced:
            return SyncRun(pushed=pushed)
        reader = self._cloud()
        viewed = payments = 0
        problems: list[tuple[int, str]] = []
        for invoice in synced:
            try:
                remote = reader.remote_invoice(invoice.remote_id)
            except UserFacingError as error:
                problems.append((invoice.id, error.message))
                continue
            was_viewed, added, skipped = self._apply(invoice, remote, now)
            viewed += was_viewed
            payments += added
            problems.extend((invoice.id, text) for text in skipped)
        return SyncRun(len(synced), viewed, payments, pushed, tuple(problems))

    def _apply(
        self, synced: SyncedInvoice, remote: RemoteInvoice, now: datetime
    ) -> tuple[int, int, list[str]]:
        """One invoice, in one transaction: (1 if it became Viewed, payments recorded, skipped).

        `skipped` says why an online payment was not recorded, for the operator to do by hand.
        """
        viewed = added = 0
        skipped: list[str] = []
        with self._uow() as uow:
            invoice = uow.invoices.get(synced.id)
            if invoice.status not in OPEN_STATUSES:
                return 0, 0, []
            number = invoice.number or f"#{invoice.id}"
            if remote.viewed and invoice.status is InvoiceStatus.SENT:
                uow.invoices.set_status(invoice.id, InvoiceStatus.VIEWED)
                viewed = 1
            zone = ZoneInfo(uow.settings.business().time_zone)
            for payment in remote.online_payments:
                # Checked inside the write transaction (and payments.remote_id is UNIQUE), so
                # two pulls, even racing, record a cloud payment once.
                if uow.invoice_sync.has_remote_payment(payment.id):
                    continue
                if remote.currency != invoice.content.currency:
                    log.warning("invoice %d: cloud currency %s differs", synced.id, remote.currency)
                    skipped.append(
                        f"Invoice {number}: an online payment in {remote.currency} was not "
                        f"recorded (the invoice is in {invoice.content.currency}); "
                        "record it by hand"
                    )
                    continue
                balance = uow.invoices.get(invoice.id).totals().balance
                if not 0 < payment.amount <= balance:
                    log.warning("invoice %d: cloud payment %s > balance", synced.id, payment.id)
                    skipped.append(
                        f"Invoice {number}: an online payment larger than the balance was not "
                        "recorded; check it in the Lead Cartel account and record it by hand"
                    )
                    continue
                paid_on = max(business_today(now, zone), invoice.content.issue_date)
                record = Payment(payment.amount, paid_on, PaymentMethod.ONLINE,
                                 f"Online payment {payment.id}", remote_id=payment.id)  # fmt: skip
                uow.invoices.add_payment(invoice.id, record)
                added += 1
            if added:
                _follow_balance(uow, invoice.id)
            if viewed or added:
                uow.commit()
        return viewed, added, skipped

    # Up: payments recorded in the app ----------------------------------------------------

    def push_payment(self, payment_id: int) -> int | None:
        """Queue an offline payment for the cloud (key payment:<id>, so once).

        Returns the outbox row id; None when its invoice is not synced or it is queued already.
        """
        with self._uow() as uow:
            found = uow.invoice_sync.unpushed_payments(payment_id)
            if not found:
                return None
            message_id = self._queue_push(uow, found[0])
            uow.commit()
        self._outbox.changed()
        return message_id

    def queue_push_in(self, uow: UnitOfWork, payment_id: int) -> bool:
        """In the caller's transaction: queue `payment_id` for the cloud if its invoice is synced.

        Returns whether a row was queued; call notify() after the commit so the worker wakes.
        """
        found = uow.invoice_sync.unpushed_payments(payment_id)
        for payment in found:
            self._queue_push(uow, payment)
        return bool(found)

    def notify(self) -> None:
        self._outbox.changed()

    def push_pending(self) -> int:
        """Queue every offline payment on a synced invoice not queued yet; returns how many."""
        with self._uow() as uow:
            pending = uow.invoice_sync.unpushed_payments()
            for payment in pending:
                self._queue_push(uow, payment)
            if pending:
                uow.commit()
        if pending:
            self._outbox.changed()
        return len(pending)

    def _queue_push(self, uow: UnitOfWork, payment: UnpushedPayment) -> int:
        payload: dict[str, object] = {
            "call": RECORD_PAYMENT,
            "invoice_id": payment.remote_invoice_id,
            "amount": payment.amount,
            "currency": payment.currency,
            "method": payment.method,
            "notes": payment.reference or f"Recorded in Lead Cartel Desktop (payment {payment.id})",
        }
        item = new_item(
            Channel.CLOUD,
            payment.remote_invoice_id,
            payload,
            cause=payment_key(payment.id),
            invoice_id=payment.invoice_id,
        )
        return self._outbox.queue_in(uow, item)


def _follow_balance(uow: UnitOfWork, invoice_id: int) -> None:
    invoice = uow.invoices.get(invoice_id)
    status = status_for_balance(invoice.totals().total, invoice.paid, invoice.viewed)
    uow.invoices.set_paid(invoice_id, invoice.paid, status)


def no_cloud() -> CloudInvoiceReader:
    """The reader when no cloud account is wired in: a sync with synced invoices says so."""
    raise UserFacingError("No Lead Cartel cloud account is set up (Settings > Providers)")
