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
from leadcartel_desktop.domain.money import format_plain
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.services.outbox import OutboxService, new_item
from leadcartel_desktop.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from leadcartel_desktop.services.sync_ports import (
    CloudInvoiceReader,
    RemoteInvoice,
    RemotePayment,
    SyncedInvoice,
    UnpushedPayment,
)

log = logging.getLogger(__name__)
RECORD_PAYMENT = "record_payment"
VOID_INVOICE = "void_invoice"


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


def void_key(invoice_id: int) -> str:
    """The void of a cancelled invoice's cloud copy (storage's cancelled_synced reads it)."""
    return f"invoice:{invoice_id}:void"


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
        """Read every open synced invoice from the cloud and bring back views and payments.

        Each invoice is read and applied on its own: one the cloud answers about with
        something unreadable (or that trips a bug) is a problem for that invoice only.
        Cancelled invoices whose cloud copy may still take money are read too, so that a
        payment made there is reported (never recorded, never lost).
        """
        now = now or self._clock.now()
        pushed = self.push_pending()
        self.void_pending()
        with self._uow(read_only=True) as uow:
            synced = uow.invoice_sync.open_synced() + uow.invoice_sync.cancelled_synced()
            # For the problems: the periodic job shows their text without the invoice id.
            numbers = {
                item.id: uow.invoices.get(item.id).number or f"#{item.id}" for item in synced
            }
        if not synced:
            return SyncRun(pushed=pushed)
        reader = self._cloud()
        viewed = payments = 0
        problems: list[tuple[int, str]] = []
        for invoice in synced:
            try:
                remote = reader.remote_invoice(invoice.remote_id)
                was_viewed, added, skipped = self._apply(invoice, remote, now)
            except UserFacingError as error:
                problems.append((invoice.id, f"Invoice {numbers[invoice.id]}: {error.message}"))
                continue
            except Exception:  # a bug: logged with its traceback, the other invoices go on
                log.exception("invoice %d: the cloud status sync failed", invoice.id)
                said = f"Invoice {numbers[invoice.id]} could not be synced (see the log)"
                problems.append((invoice.id, said))
                continue
            viewed += was_viewed
            payments += added
            problems.extend((invoice.id, text) for text in skipped)
        return SyncRun(len(synced), viewed, payments, pushed, tuple(problems))

    def _apply(
        self, synced: SyncedInvoice, remote: RemoteInvoice, now: datetime
    ) -> tuple[int, int, list[str]]:
        """One invoice, in one transaction: (1 if it was first seen viewed, payments, skipped).

        `skipped` says why an online payment was not recorded, for the operator to do by hand.
        """
        viewed = added = 0
        skipped: list[str] = []
        with self._uow() as uow:
            invoice = uow.invoices.get(synced.id)
            number = invoice.number or f"#{invoice.id}"
            if invoice.status is InvoiceStatus.CANCELLED:
                return 0, 0, _paid_while_cancelled(uow, number, remote)
            if invoice.status is InvoiceStatus.PAID:  # read while its payments reach the cloud
                return 0, 0, _paid_after_settled(uow, number, remote)
            if invoice.status not in OPEN_STATUSES:
                return 0, 0, []
            if remote.viewed and not invoice.viewed:
                # Remembered whatever the status: Partially Paid stays so (status follows the
                # balance below), and deleting the payment later brings back Viewed.
                uow.invoices.set_status(invoice.id, InvoiceStatus.VIEWED)
                viewed = 1
            zone = ZoneInfo(uow.settings.business().time_zone)
            for payment in remote.online_payments:
                # Checked inside the write transaction (and payments.remote_id is UNIQUE), so
                # two pulls, even racing, record a cloud payment once.
                if uow.invoice_sync.has_remote_payment(payment.id):
                    continue
                problem = _not_recordable(invoice.content.currency, remote, payment)
                if problem:
                    log.warning("invoice %d: cloud payment %s: %s", synced.id, payment.id, problem)
                    skipped.append(f"Invoice {number}: {problem}")
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
            if viewed or added:
                _follow_balance(uow, invoice.id)
                uow.commit()
        return viewed, added, skipped

    # The cloud copy of a cancelled invoice -------------------------------------------------

    def queue_void_in(self, uow: UnitOfWork, invoice_id: int) -> bool:
        """In the caller's transaction (the cancel): void the invoice's cloud copy, if any.

        Key invoice:<id>:void, so once. Returns whether a row was queued; call notify() after
        the commit so the worker wakes.
        """
        synced = uow.invoice_sync.remote(invoice_id)
        if synced is None:
            return False
        self._queue_void(uow, synced)
        return True

    def void_pending(self) -> int:
        """Queue the void of every cancelled invoice's cloud copy not queued yet.

        Catches an invoice linked to the cloud after it was cancelled (the create's answer
        came late). Returns how many were queued.
        """
        with self._uow() as uow:
            pending = uow.invoice_sync.unvoided()
            for synced in pending:
                self._queue_void(uow, synced)
            if pending:
                uow.commit()
        if pending:
            self._outbox.changed()
        return len(pending)

    def _queue_void(self, uow: UnitOfWork, synced: SyncedInvoice) -> int:
        payload: dict[str, object] = {"call": VOID_INVOICE, "invoice_id": synced.remote_id}
        item = new_item(
            Channel.CLOUD,
            synced.remote_id,
            payload,
            cause=void_key(synced.id),
            invoice_id=synced.id,  # listed with the invoice (the gate passes cloud calls)
        )
        return self._outbox.queue_in(uow, item)

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


def _money(minor: int, currency: str) -> str:
    return f"{currency} {format_plain(minor, currency)}"


def _not_recordable(currency: str, remote: RemoteInvoice, payment: RemotePayment) -> str:
    """Why an online payment cannot be recorded as it stands ("" when it can)."""
    if payment.unreadable:
        return (
            f"an online payment ({payment.id}) could not be read ({payment.unreadable}) and was "
            "not recorded; check it in the Lead Cartel account and record it by hand"
        )
    if remote.currency != currency:
        return (
            f"an online payment in {remote.currency} was not recorded (the invoice is in "
            f"{currency}); record it by hand"
        )
    if payment.currency != currency:
        return (
            f"an online payment of {_money(payment.amount, payment.currency)} was not recorded "
            f"(the invoice is in {currency}); record it by hand"
        )
    return ""


def _paid_while_cancelled(uow: UnitOfWork, number: str, remote: RemoteInvoice) -> list[str]:
    """Money the cloud took for an invoice cancelled in the app: told, never recorded."""
    return [
        f"Invoice {number} is cancelled, but the customer paid {_what(payment)} for it in the "
        "Lead Cartel account; refund it there, or issue a new invoice and record it by hand"
        for payment in _unrecorded(uow, remote)
    ]


def _paid_after_settled(uow: UnitOfWork, number: str, remote: RemoteInvoice) -> list[str]:
    """Money the cloud took for an invoice the app's own payments settled: paid twice."""
    return [
        f"Invoice {number} is paid, but the customer also paid {_what(payment)} for it in the "
        "Lead Cartel account: refund it there; or, if a payment recorded here never came, "
        "delete that one and the next sync records the online payment"
        for payment in _unrecorded(uow, remote)
    ]


def _unrecorded(uow: UnitOfWork, remote: RemoteInvoice) -> list[RemotePayment]:
    return [p for p in remote.online_payments if not uow.invoice_sync.has_remote_payment(p.id)]


def _what(payment: RemotePayment) -> str:
    if payment.unreadable:
        return f"online ({payment.id}: {payment.unreadable})"
    return _money(payment.amount, payment.currency)


def _follow_balance(uow: UnitOfWork, invoice_id: int) -> None:
    invoice = uow.invoices.get(invoice_id)
    status = status_for_balance(invoice.totals().total, invoice.paid, invoice.viewed)
    uow.invoices.set_paid(invoice_id, invoice.paid, status)


def no_cloud() -> CloudInvoiceReader:
    """The reader when no cloud account is wired in: a sync with synced invoices says so."""
    raise UserFacingError("No Lead Cartel cloud account is set up (Settings > Providers)")
