"""Synced invoices in SQLite: the cloud's id and payment link, and payments already brought back."""

from __future__ import annotations

from leadcartel_desktop.domain.outbox import OutboxState
from leadcartel_desktop.services.sync_ports import PaymentInCloud, SyncedInvoice, UnpushedPayment
from leadcartel_desktop.storage.sql import Statements

_OPEN = "('sent', 'viewed', 'partially_paid')"
_DONE = "('sent', 'delivered')"  # outbox states of a call the cloud accepted


class SqlInvoiceSyncRepository:
    def __init__(self, sql: Statements) -> None:
        self._sql = sql

    def set_remote(self, invoice_id: int, remote_id: str, payment_link: str = "") -> None:
        """Link an invoice to its copy in the cloud (allowed after issue: not locked content)."""
        self._sql.run(
            "UPDATE invoices SET remote_id = ?, payment_link = ? WHERE id = ?",
            (remote_id, payment_link, invoice_id),
        )

    def remote(self, invoice_id: int) -> SyncedInvoice | None:
        row = self._sql.run(
            "SELECT id, remote_id, payment_link FROM invoices WHERE id = ? "
            "AND remote_id IS NOT NULL",
            (invoice_id,),
        ).first()
        return None if row is None else SyncedInvoice(int(row[0]), str(row[1]), str(row[2]))

    def payment_link(self, invoice_id: int) -> str:
        found = self._sql.scalar("SELECT payment_link FROM invoices WHERE id = ?", (invoice_id,))
        return str(found or "")

    def payment_in_cloud(self, payment_id: int) -> PaymentInCloud | None:
        row = self._sql.run(
            "SELECT p.remote_id, o.id, o.state FROM payments p LEFT JOIN outbox o "
            "ON o.idempotency_key = 'payment:' || p.id WHERE p.id = ?",
            (payment_id,),
        ).first()
        if row is None:
            return None
        state = None if row[2] is None else OutboxState(row[2])
        push_id = None if row[1] is None else int(row[1])
        return PaymentInCloud(None if row[0] is None else str(row[0]), push_id, state)

    def payment_exists(self, payment_id: int) -> bool:
        return self._sql.scalar("SELECT 1 FROM payments WHERE id = ?", (payment_id,)) is not None

    def settled_payment_link(self, invoice_id: int) -> str:
        """The payment link, or "" while a payment made in the app is not yet in the cloud."""
        found = self._sql.scalar(
            "SELECT i.payment_link FROM invoices i WHERE i.id = :invoice AND NOT EXISTS "
            "(SELECT 1 FROM payments p WHERE p.invoice_id = i.id AND p.remote_id IS NULL "
            "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.idempotency_key = 'payment:' || p.id "
            f"AND o.state IN {_DONE}))",
            {"invoice": invoice_id},
        )
        return str(found or "")

    def open_synced(self) -> list[SyncedInvoice]:
        """Synced invoices the cloud may still take money for.

        Open ones, and paid ones whose payments made in the app have not all reached the
        cloud yet (until then its page still asks for money: the customer may pay twice).
        """
        rows = self._sql.tuples(
            "SELECT i.id, i.remote_id, i.payment_link FROM invoices i "
            f"WHERE i.remote_id IS NOT NULL AND (i.status IN {_OPEN} OR (i.status = 'paid' "
            "AND EXISTS (SELECT 1 FROM payments p WHERE p.invoice_id = i.id "
            "AND p.remote_id IS NULL AND NOT EXISTS (SELECT 1 FROM outbox o "
            f"WHERE o.idempotency_key = 'payment:' || p.id AND o.state IN {_DONE})))) "
            "ORDER BY i.id"
        )
        return [SyncedInvoice(int(r[0]), str(r[1]), str(r[2])) for r in rows]

    def cancelled_synced(self) -> list[SyncedInvoice]:
        """Cancelled invoices whose cloud copy is not known to be void, so it may take money.

        Known void: the void queued at the cancel (key invoice:<id>:void) was accepted.
        """
        rows = self._sql.tuples(
            "SELECT i.id, i.remote_id, i.payment_link FROM invoices i "
            "WHERE i.remote_id IS NOT NULL AND i.status = 'cancelled' AND NOT EXISTS "
            "(SELECT 1 FROM outbox o WHERE o.idempotency_key = 'invoice:' || i.id || ':void' "
            f"AND o.state IN {_DONE}) ORDER BY i.id"
        )
        return [SyncedInvoice(int(r[0]), str(r[1]), str(r[2])) for r in rows]

    def unvoided(self) -> list[SyncedInvoice]:
        """Cancelled synced invoices with no void of their cloud copy queued yet."""
        rows = self._sql.tuples(
            "SELECT i.id, i.remote_id, i.payment_link FROM invoices i "
            "WHERE i.remote_id IS NOT NULL AND i.status = 'cancelled' AND NOT EXISTS "
            "(SELECT 1 FROM outbox o WHERE o.idempotency_key = 'invoice:' || i.id || ':void') "
            "ORDER BY i.id"
        )
        return [SyncedInvoice(int(r[0]), str(r[1]), str(r[2])) for r in rows]

    def has_remote_payment(self, remote_id: str) -> bool:
        found = self._sql.scalar("SELECT 1 FROM payments WHERE remote_id = ?", (remote_id,))
        return found is not None

    def unpushed_payments(self, payment_id: int | None = None) -> list[UnpushedPayment]:
        """Payments made in the app on synced invoices with no push queued for them yet."""
        rows = self._sql.tuples(
            "SELECT p.id, p.invoice_id, i.remote_id, p.amount, i.currency, p.method, p.reference "
            "FROM payments p JOIN invoices i ON i.id = p.invoice_id "
            "WHERE i.remote_id IS NOT NULL AND p.remote_id IS NULL AND NOT EXISTS "
            "(SELECT 1 FROM outbox o WHERE o.idempotency_key = 'payment:' || p.id) "
            "AND (:payment IS NULL OR p.id = :payment) ORDER BY p.id",
            {"payment": payment_id},
        )
        return [
            UnpushedPayment(
                int(r[0]), int(r[1]), str(r[2]), int(r[3]), str(r[4]), str(r[5]), str(r[6])
            )
            for r in rows
        ]
