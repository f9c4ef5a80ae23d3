"""An invoice's editable content and its stored state (number, status, payments)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from leadcartel_desktop.domain.business import Seller
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.domain.money import check_currency
from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.domain.terms import check_due_date
from leadcartel_desktop.domain.text import check_no_control
from leadcartel_desktop.domain.totals import (
    NO_DISCOUNT,
    Discount,
    InvoiceTotals,
    LineItem,
    compute_totals,
)

MAX_LINES = 500
# In minor units: far beyond any real invoice, and safely inside SQLite's 64-bit INTEGER.
MAX_AMOUNT = 10**15


@dataclass(frozen=True, slots=True)
class InvoiceContent:
    """What the operator edits on a draft; locked once the invoice is issued."""

    contact_id: int | None
    currency: str
    issue_date: date
    due_date: date
    lines: tuple[LineItem, ...] = ()
    discount: Discount = NO_DISCOUNT
    prices_include_tax: bool = False
    terms: str = ""
    notes: str = ""
    net_days: int | None = None

    def totals(self, paid: int = 0) -> InvoiceTotals:
        return compute_totals(self.lines, self.discount, self.prices_include_tax, paid)

    def check(self) -> None:
        """Rules every saved draft meets (issuing adds its own)."""
        check_currency(self.currency)
        check_due_date(self.issue_date, self.due_date)
        if len(self.lines) > MAX_LINES:
            raise ValidationError("Items", f"an invoice holds at most {MAX_LINES} lines")
        for row, line in enumerate(self.lines, start=1):
            if len(line.description) > 5000:
                raise ValidationError(f"Item {row}", "description is longer than 5000 characters")
            if abs(line.quantity) > 10**9:
                raise ValidationError(f"Item {row}", "quantity is too large")
            if abs(line.unit_price) > MAX_AMOUNT or abs(line.amount) > MAX_AMOUNT:
                raise ValidationError(f"Item {row}", "the amount is too large")
            check_no_control(f"Item {row}", line.description, multiline=True, what="description")
            check_no_control(f"Item {row}", line.unit, what="unit")
        check_no_control("Terms", self.terms, multiline=True)
        check_no_control("Notes", self.notes, multiline=True)
        self.totals()  # refuses a discount larger than what it applies to

    def check_issuable(self) -> None:
        self.check()
        if self.contact_id is None:
            raise ValidationError("Customer", "choose a customer before issuing")
        if not self.lines:
            raise ValidationError("Items", "add at least one item before issuing")
        if self.totals().total < 0:
            raise ValidationError("Total", "an invoice cannot be issued for less than zero")
        for row, line in enumerate(self.lines, start=1):
            if not line.description.strip():
                raise ValidationError(f"Item {row}", "description is required")


@dataclass(frozen=True, slots=True)
class Payment:
    amount: int
    paid_on: date
    method: PaymentMethod
    reference: str = ""
    id: int | None = None
    remote_id: str | None = None


@dataclass(frozen=True, slots=True)
class Invoice:
    """A stored invoice: its content plus the state the invoice life gives it."""

    id: int
    content: InvoiceContent
    status: InvoiceStatus
    number: str | None
    payments: tuple[Payment, ...] = ()
    viewed: bool = False
    cancel_reason: str = ""
    issued_at: datetime | None = None
    created_at: datetime | None = None
    manual_number: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    # What the invoice printed about the business and the customer when it was issued (None on
    # drafts, and on invoices issued before snapshots were kept).
    seller: Seller | None = None
    buyer: Contact | None = None

    @property
    def paid(self) -> int:
        return sum(payment.amount for payment in self.payments)

    def totals(self) -> InvoiceTotals:
        return self.content.totals(self.paid)

    @property
    def is_draft(self) -> bool:
        return self.status is InvoiceStatus.DRAFT
