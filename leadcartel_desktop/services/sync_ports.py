"""Ports for the cloud status sync: synced invoices in the book, and the cloud's side of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.invoice import Invoice
from leadcartel_desktop.domain.outbox import OutboxState


@dataclass(frozen=True, slots=True)
class SyncedInvoice:
    id: int
    remote_id: str
    payment_link: str = ""


@dataclass(frozen=True, slots=True)
class UnpushedPayment:
    id: int
    invoice_id: int
    remote_invoice_id: str
    amount: int
    currency: str
    method: str
    reference: str


@dataclass(frozen=True, slots=True)
class PaymentInCloud:
    """Where a payment stands with the cloud: taken there (`remote_id`), or pushed by the app."""

    remote_id: str | None
    push_id: int | None
    push_state: OutboxState | None


@dataclass(frozen=True, slots=True)
class RemotePayment:
    """A payment the cloud took itself (online): amount in minor units of its own currency.

    `unreadable` says why the cloud's record of it could not be read (then `amount` is 0).
    """

    id: str
    amount: int
    currency: str
    unreadable: str = ""


@dataclass(frozen=True, slots=True)
class RemoteInvoice:
    id: str
    status: str
    currency: str
    amount_paid: int
    viewed: bool
    online_payments: tuple[RemotePayment, ...] = ()


class CloudInvoiceReader(Protocol):
    def remote_invoice(self, remote_id: str) -> RemoteInvoice:
        """The cloud's view of one invoice; UserFacingError when it cannot be read."""
        ...


class CloudInvoiceCreator(Protocol):
    def create_invoice(
        self, invoice: Invoice, customer: Contact, business: BusinessSettings, key: str
    ) -> tuple[str, str]:
        """Create (idempotently, by `key`) and mark sent; (remote id, hosted payment link)."""
        ...


class InvoiceSyncRepository(Protocol):
    def set_remote(self, invoice_id: int, remote_id: str, payment_link: str = "") -> None: ...

    def remote(self, invoice_id: int) -> SyncedInvoice | None: ...

    def payment_link(self, invoice_id: int) -> str: ...

    def payment_in_cloud(self, payment_id: int) -> PaymentInCloud | None:
        """None for an unknown payment."""
        ...

    def payment_exists(self, payment_id: int) -> bool: ...

    def settled_payment_link(self, invoice_id: int) -> str:
        """The payment link, or "" while a payment made in the app is not yet in the cloud.

        The hosted page asks for what the cloud thinks is owed: before the push lands that is
        more than the balance.
        """
        ...

    def open_synced(self) -> list[SyncedInvoice]: ...

    def cancelled_synced(self) -> list[SyncedInvoice]:
        """Cancelled invoices whose cloud copy is not known to be void (it may take money)."""
        ...

    def unvoided(self) -> list[SyncedInvoice]:
        """Cancelled synced invoices with no void of their cloud copy queued yet."""
        ...

    def has_remote_payment(self, remote_id: str) -> bool: ...

    def unpushed_payments(self, payment_id: int | None = None) -> list[UnpushedPayment]: ...
