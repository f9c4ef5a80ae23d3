"""The ports the services need; storage, pdf and providers implement them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Protocol

from leadcartel_desktop.domain.business import BusinessSettings, Seller
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.invoice import Invoice, InvoiceContent, Payment
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.domain.outbox import OutboxState
from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.domain.totals import InvoiceTotals
from leadcartel_desktop.services.campaign_ports import (
    CampaignRepository,
    ContactTagRepository,
    GroupRepository,
)
from leadcartel_desktop.services.deal_ports import (
    DealQueries,
    DealRepository,
    DealSyncRepository,
    PipelineRepository,
)
from leadcartel_desktop.services.messaging_ports import (
    OptOutRegister,
    OutboxRepository,
    OutboxWorkerRegistry,
    ProviderSettingsRepository,
)
from leadcartel_desktop.services.receipt_ports import ReceiptRepository
from leadcartel_desktop.services.reminder_ports import ReminderRepository
from leadcartel_desktop.services.sync_ports import InvoiceSyncRepository
from leadcartel_desktop.services.thread_ports import MessageRepository
from leadcartel_desktop.services.views import (
    ContactSuggestion,
    CurrencyTotals,
    InvoiceDocument,
    InvoicePage,
    InvoiceQuery,
    InvoiceRow,
    PdfExportJob,
    PdfExportResult,
    TransactionRow,
)


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware."""
        ...


class ContactRepository(Protocol):
    def add(self, contact: Contact) -> int: ...

    def update(self, contact: Contact) -> None:
        """Raises NotFoundError when the contact is gone."""
        ...

    def get(self, contact_id: int) -> Contact:
        """Raises NotFoundError."""
        ...

    def find_by_email(self, email: str) -> Contact | None: ...

    def search(self, text: str, limit: int) -> list[ContactSuggestion]:
        """Prefix search over name, email, phone and company words (full-text index)."""
        ...

    def count(self) -> int: ...


class InvoiceRepository(Protocol):
    def add(self, content: InvoiceContent, totals: InvoiceTotals, now: datetime) -> int:
        """Store a new draft; returns its id."""
        ...

    def replace_content(
        self, invoice_id: int, content: InvoiceContent, totals: InvoiceTotals
    ) -> None:
        """Overwrite a draft's content; the database refuses it for an issued invoice."""
        ...

    def get(self, invoice_id: int) -> Invoice:
        """Raises NotFoundError."""
        ...

    def id_for_number(self, number: str) -> int | None:
        """The invoice holding this number, issued or typed by hand on a draft."""
        ...

    def set_manual_number(self, invoice_id: int, number: str | None) -> None:
        """Keep (or clear) the number typed on a draft, used when it is issued."""
        ...

    def delete(self, invoice_id: int) -> None:
        """Delete a draft; the database refuses to delete an issued invoice."""
        ...

    def mark_issued(
        self,
        invoice_id: int,
        number: str,
        status: InvoiceStatus,
        now: datetime,
        *,
        seller: Seller | None = None,
        buyer: Contact | None = None,
    ) -> None:
        """Number and status, and what it prints about seller and buyer from now on (locked)."""
        ...

    def set_status(
        self, invoice_id: int, status: InvoiceStatus, cancel_reason: str = ""
    ) -> None: ...

    def add_payment(self, invoice_id: int, payment: Payment) -> int: ...

    def delete_payment(self, payment_id: int) -> int:
        """Delete one payment and return the id of its invoice; NotFoundError if gone."""
        ...

    def set_paid(self, invoice_id: int, paid: int, status: InvoiceStatus) -> None:
        """Keep the stored paid amount (and balance) and status in step with the payments."""
        ...


class NumberCounters(Protocol):
    def peek(self, series: str) -> int:
        """The sequence number the next issued invoice of the series will get."""
        ...

    def take(self, series: str) -> int:
        """Consume and return the next number (inside the caller's transaction)."""
        ...


class SettingsRepository(Protocol):
    def business(self) -> BusinessSettings: ...

    def save_business(self, settings: BusinessSettings) -> None: ...

    def tax_rates(self) -> list[TaxRate]: ...

    def save_tax_rates(self, rates: Sequence[TaxRate]) -> None: ...


class InvoiceQueries(Protocol):
    """Read side for lists: fast, index-backed, no ORM objects."""

    def invoice_ids(self, query: InvoiceQuery, today: date) -> list[int]:
        """Ids of the matching invoices in display order."""
        ...

    def invoice_page(self, query: InvoiceQuery, today: date, limit: int) -> InvoicePage:
        """The row count and the first `limit` rows in display order (no OFFSET, ever)."""
        ...

    def invoice_rows(self, ids: Sequence[int], today: date) -> list[InvoiceRow]:
        """The rows for these ids, in the order given."""
        ...

    def outstanding(self, today: date) -> list[CurrencyTotals]: ...

    def states_by_invoice(self, invoice_ids: Sequence[int]) -> dict[int, frozenset[OutboxState]]:
        """The states of each invoice's messages (invoices without any are left out)."""
        ...

    def transaction_ids(self, search: str) -> list[int]:
        """Payment ids, newest first."""
        ...

    def transaction_rows(self, ids: Sequence[int]) -> list[TransactionRow]: ...

    def invoice_count(self) -> int: ...


class UnitOfWork(Protocol):
    """One database transaction: commit on success, roll back on error."""

    contacts: ContactRepository
    invoices: InvoiceRepository
    counters: NumberCounters
    settings: SettingsRepository
    queries: InvoiceQueries
    outbox: OutboxRepository
    outbox_workers: OutboxWorkerRegistry
    receipts: ReceiptRepository
    opt_outs: OptOutRegister
    providers: ProviderSettingsRepository
    reminders: ReminderRepository
    invoice_sync: InvoiceSyncRepository
    pipelines: PipelineRepository
    deals: DealRepository
    deal_queries: DealQueries
    deal_sync: DealSyncRepository
    contact_tags: ContactTagRepository
    groups: GroupRepository
    campaigns: CampaignRepository
    messages: MessageRepository

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, read_only: bool = False) -> UnitOfWork: ...


class InvoiceRenderer(Protocol):
    def render(self, document: InvoiceDocument) -> bytes:
        """PDF bytes; raises UserFacingError naming characters the font cannot draw."""
        ...

    def check(self, document: InvoiceDocument) -> None:
        """Raise what render() would about the text (undrawable characters), without drawing."""
        ...


class PdfBatchExporter(Protocol):
    def export(
        self,
        jobs: Sequence[PdfExportJob],
        on_progress: Callable[[int, int], None],
        cancelled: Callable[[], bool],
    ) -> PdfExportResult:
        """Write every job's PDF; `jobs` may load each document only when it is indexed.

        `on_progress(done, total)` after each file; `cancelled()` is checked between files.
        Raises nothing for one file that fails: it is reported in the result.
        """
        ...
