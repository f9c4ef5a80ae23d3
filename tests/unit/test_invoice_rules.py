"""Numbering, due dates, overdue and status rules of the invoice life."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from leadcartel_desktop.domain.allocation import allocate
from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.invoice_status import (
    InvoiceStatus,
    business_today,
    display_status,
    is_overdue,
    status_for_balance,
)
from leadcartel_desktop.domain.numbering import render_number, series_key, validate_number_format
from leadcartel_desktop.domain.payments import check_payment
from leadcartel_desktop.domain.terms import due_date_for_net

NEW_YORK = ZoneInfo("America/New_York")


def test_net_30_from_the_last_of_january_in_a_leap_year() -> None:
    assert due_date_for_net(date(2024, 1, 31), 30) == date(2024, 3, 1)


def test_number_tokens() -> None:
    assert render_number("R{YYYY}-{SEQ:4}", date(2026, 5, 2), 7) == "R2026-0007"
    assert render_number("{YY}{MM}/{SEQ}", date(2026, 5, 2), 12) == "2605/12"


def test_year_series_restart_each_year() -> None:
    assert series_key("R{YYYY}-{SEQ:4}", date(2026, 1, 1)) != series_key(
        "R{YYYY}-{SEQ:4}", date(2027, 1, 1)
    )
    assert series_key("INV-{SEQ:5}", date(2026, 1, 1)) == series_key(
        "INV-{SEQ:5}", date(2030, 1, 1)
    )


@pytest.mark.parametrize("bad", ["INV-{YYYY}", "{SEQ}{SEQ}", "INV-{DD}-{SEQ}"])
def test_bad_formats_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError, match="Invoice number format"):
        validate_number_format(bad)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=NEW_YORK).astimezone(UTC)


@pytest.mark.parametrize(
    ("instant", "overdue"),
    [
        (local(2016, 3, 31, 0, 0, 0), False),
        (local(2016, 3, 31, 23, 59, 59), False),
        (local(2016, 4, 1, 0, 0, 0), True),
        (local(2016, 4, 1, 0, 0, 0) - timedelta(microseconds=1), False),
    ],
)
def test_overdue_follows_the_business_calendar(instant: datetime, overdue: bool) -> None:
    today = business_today(instant, NEW_YORK)
    assert is_overdue(InvoiceStatus.SENT, date(2016, 3, 31), 100, today) is overdue


def test_paid_and_cancelled_invoices_are_never_overdue() -> None:
    today = date(2030, 1, 1)
    assert not is_overdue(InvoiceStatus.PAID, date(2016, 3, 31), 0, today)
    assert not is_overdue(InvoiceStatus.CANCELLED, date(2016, 3, 31), 100, today)
    assert display_status(InvoiceStatus.PARTIALLY_PAID, date(2016, 3, 31), 5, today) == "Overdue"


def test_status_follows_the_balance() -> None:
    assert status_for_balance(10000, 0, viewed=False) is InvoiceStatus.SENT
    assert status_for_balance(10000, 0, viewed=True) is InvoiceStatus.VIEWED
    assert status_for_balance(10000, 3000, viewed=False) is InvoiceStatus.PARTIALLY_PAID
    assert status_for_balance(10000, 10000, viewed=False) is InvoiceStatus.PAID


def test_payment_over_the_balance_names_both_amounts() -> None:
    with pytest.raises(ValidationError, match=r"40\.01 EUR is more than the balance due of 40\.00"):
        check_payment(InvoiceStatus.PARTIALLY_PAID, 4001, 4000, "EUR")
    with pytest.raises(ValidationError, match="draft invoice cannot take payments"):
        check_payment(InvoiceStatus.DRAFT, 100, 4000, "EUR")


def test_allocation_is_exact_and_order_free() -> None:
    assert sum(allocate(100, [1, 1, 1], ["a", "b", "c"])) == 100
    assert allocate(100, [1, 1, 1], ["a", "b", "c"]) == [34, 33, 33]
    assert allocate(-100, [-1, -1, -1], ["a", "b", "c"]) == [-34, -33, -33]
