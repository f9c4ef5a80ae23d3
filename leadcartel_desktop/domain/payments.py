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


class OverBalanceError(ValidationError):
    """A payment larger than the balance due, with both amounts for a caller to format.

    The message itself is plain ('99999.00 EUR'), as the command line prints amounts; a
    window re-words it in the money format it shows everywhere else ('€1,080.00').
    """

    def __init__(self, amount: int, balance: int, currency: str) -> None:
        super().__init__(
            "Amount",
            over_balance_detail(
                f"{format_plain(amount, currency)} {currency}",
                f"{format_plain(balance, currency)} {currency}",
            ),
        )
        self.amount = amount
        self.balance = balance
        self.currency = currency


def over_balance_detail(amount: str, balance: str) -> str:
    """The refusal, around two amounts already written out."""
    return f"{amount} is more than the balance due of {balance}"


def check_payment(status: InvoiceStatus, amount: int, balance: int, currency: str) -> None:
    """Refuse a payment that is not positive, is over the balance, or has nothing to pay."""
    if status not in OPEN_STATUSES:
        raise ValidationError("Payment", f"a {status.label.lower()} invoice cannot take payments")
    if amount <= 0:
        raise ValidationError("Amount", "must be more than zero")
    if amount > balance:
        raise OverBalanceError(amount, balance, currency)
