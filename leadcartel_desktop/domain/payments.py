"""Payments against an issued invoice: methods and the rules a new payment must meet."""

from __future__ import annotations

from enum import StrEnum

from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.invoice_status import OPEN_STATUSES, InvoiceStatus
from leadcartel_desktop.domain.money import format_plain


class PaymentMethod(StrEnum):
    CASH = "cash"
    CHECK = "check"
    BANK_TRANSFER = "bank_transfer"
    CARD = "card"
    ONLINE = "online"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


def check_payment(status: InvoiceStatus, amount: int, balance: int, currency: str) -> None:
    """Refuse a payment that is not positive, is over the balance, or has nothing to pay."""
    if status not in OPEN_STATUSES:
        raise ValidationError("Payment", f"a {status.label.lower()} invoice cannot take payments")
    if amount <= 0:
        raise ValidationError("Amount", "must be more than zero")
    if amount > balance:
        raise ValidationError(
            "Amount",
            f"{format_plain(amount, currency)} {currency} is more than the balance due of "
            f"{format_plain(balance, currency)} {currency}",
        )
