"""Frozen row types the services hand to the UI, CLI and PDF renderer (never ORM rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from leadcartel_desktop.domain.invoice_status import InvoiceStatus, StatusFilter

# Only InvoiceDocument's annotations name these: the list rows (and the first paint at
# start-up) do not load the invoice, totals and business modules.
if TYPE_CHECKING:
    from leadcartel_desktop.domain.business import BusinessSettings
    from leadcartel_desktop.domain.contact import Contact
    from leadcartel_desktop.domain.invoice import Invoice
    from leadcartel_desktop.domain.taxes import TaxRate
    from leadcartel_desktop.domain.totals import InvoiceTotals


@dataclass(frozen=True, slots=True)
class ContactSuggestion:
    """One type-ahead hit."""

    id: int
    display_name: str
    email: str
    phone: str
    company: str


@dataclass(frozen=True, slots=True)
class InvoiceRow:
    """One line of the invoice list; `status` is the display status (Overdue derived)."""

    id: int
    number: str
    customer: str
    issue_date: date
    due_date: date
    stored_status: InvoiceStatus
    status: str
    currency: str
    total: int
    balance: int


class InvoiceSort(StrEnum):
    NUMBER = "number"
    CUSTOMER = "customer"
    ISSUE_DATE = "issue_date"
    DUE_DATE = "due_date"
    STATUS = "status"
    TOTAL = "total"
    BALANCE = "balance"


@dataclass(frozen=True, slots=True)
class InvoiceQuery:
    """What the invoice list shows: a filter, a search (number or customer) and an order."""

    status: StatusFilter = StatusFilter.ALL
    search: str = ""
    sort: InvoiceSort = InvoiceSort.ISSUE_DATE
    descending: bool = True


@dataclass(frozen=True, slots=True)
class InvoicePage:
    """The first rows of the list in display order, and how many rows the whole list has."""

    count: int
    rows: list[InvoiceRow]


@dataclass(frozen=True, slots=True)
class ListStart:
    """What the invoice list paints first: the day Overdue is judged on, and its first page."""

    today: date
    locale: str
    page: InvoicePage


@dataclass(frozen=True, slots=True)
class CurrencyTotals:
    """Outstanding and overdue money in one currency (currencies are never added together)."""

    currency: str
    outstanding: int
    overdue: int
    outstanding_count: int
    overdue_count: int


@dataclass(frozen=True, slots=True)
class TransactionRow:
    """One payment in the transactions list."""

    id: int
    invoice_id: int
    invoice_number: str
    customer: str
    paid_on: date
    method: str
    reference: str
    currency: str
    amount: int


@dataclass(frozen=True, slots=True)
class InvoiceDocument:
    """Everything a renderer needs to print one invoice, all figures already computed."""

    business: BusinessSettings
    invoice: Invoice
    customer: Contact | None
    totals: InvoiceTotals
    display_status: str
    number_preview: str
    # The business's rates in Settings order: the order the totals block lists taxes in.
    tax_rates: tuple[TaxRate, ...] = ()


@dataclass(frozen=True, slots=True)
class PdfExportJob:
    """One invoice to write as a PDF file."""

    document: InvoiceDocument
    path: Path


@dataclass(frozen=True, slots=True)
class PdfExportFailure:
    path: Path
    message: str


@dataclass(frozen=True, slots=True)
class PdfExportResult:
    """What a batch export wrote; files already written stay when it was cancelled."""

    written: int
    failed: tuple[PdfExportFailure, ...]
    cancelled: bool
