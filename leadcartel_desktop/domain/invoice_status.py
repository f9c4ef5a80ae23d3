"""Invoice statuses: the stored ones, and Overdue derived from the due date and balance."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo


class InvoiceStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    VIEWED = "viewed"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").title()


class StatusFilter(StrEnum):
    """What the invoice list can be filtered by: stored statuses plus derived ones."""

    ALL = "all"
    DRAFT = "draft"
    SENT = "sent"
    VIEWED = "viewed"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    CANCELLED = "cancelled"
    OVERDUE = "overdue"
    BALANCE_PENDING = "balance_pending"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize() if self is not StatusFilter.ALL else "All"


# Statuses in which money is still owed, so an invoice can be overdue or take payments.
OPEN_STATUSES: frozenset[InvoiceStatus] = frozenset(
    {InvoiceStatus.SENT, InvoiceStatus.VIEWED, InvoiceStatus.PARTIALLY_PAID}
)


def business_today(now: datetime, zone: ZoneInfo) -> date:
    """The calendar date in the business's time zone at the instant `now` (aware)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(zone).date()


def is_overdue(status: InvoiceStatus, due_date: date, balance: int, today: date) -> bool:
    """Past its due date with money owed; an invoice due today is not overdue."""
    return status in OPEN_STATUSES and balance > 0 and due_date < today


def display_status(status: InvoiceStatus, due_date: date, balance: int, today: date) -> str:
    return "Overdue" if is_overdue(status, due_date, balance, today) else status.label


def status_for_balance(total: int, paid: int, viewed: bool) -> InvoiceStatus:
    """The stored status of an issued invoice once payments change `paid`."""
    if paid <= 0:
        return InvoiceStatus.VIEWED if viewed else InvoiceStatus.SENT
    if paid >= total:
        return InvoiceStatus.PAID
    return InvoiceStatus.PARTIALLY_PAID
