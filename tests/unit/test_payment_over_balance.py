"""A payment over the balance: refused with both amounts kept for the window to format."""

from __future__ import annotations

import pytest

from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.domain.payments import OverBalanceError, check_payment


def test_the_refusal_carries_the_amounts_and_keeps_the_plain_message() -> None:
    with pytest.raises(OverBalanceError) as refused:
        check_payment(InvoiceStatus.SENT, 9_999_900, 108_000, "EUR")

    error = refused.value
    assert isinstance(error, ValidationError)  # forms and the command line treat it as before
    assert (error.field, error.amount, error.balance, error.currency) == (
        "Amount",
        9_999_900,
        108_000,
        "EUR",
    )
    assert error.detail == "99999.00 EUR is more than the balance due of 1080.00 EUR"


def test_a_payment_of_exactly_the_balance_is_taken() -> None:
    check_payment(InvoiceStatus.PARTIALLY_PAID, 108_000, 108_000, "EUR")
