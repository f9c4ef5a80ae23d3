"""The invoice arithmetic cases the issue fixes, to the cent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.domain.totals import (
    Discount,
    DiscountKind,
    DiscountTiming,
    LineItem,
    compute_totals,
)

VAT20 = TaxRate("VAT", Decimal(20))
VAT21 = TaxRate("VAT", Decimal(21))
REDUCED10 = TaxRate("Reduced", Decimal(10))


def line(price: int, *taxes: TaxRate, quantity: str = "1") -> LineItem:
    return LineItem("item", Decimal(quantity), price, tuple(taxes))


def test_per_rate_rounding_not_per_line() -> None:
    totals = compute_totals([line(29933, VAT20), line(17933, VAT20), line(9934, VAT20)])
    assert (totals.subtotal, totals.tax_total, totals.total) == (57800, 11560, 69360)


def test_discount_before_tax_reduces_the_taxable_amount() -> None:
    discount = Discount(DiscountKind.AMOUNT, DiscountTiming.BEFORE_TAX, amount=6000)
    totals = compute_totals([line(4500, VAT21, quantity="3")], discount)
    assert (totals.taxable, totals.tax_total, totals.total) == (7500, 1575, 9075)


def test_discount_after_tax_leaves_the_tax_alone() -> None:
    discount = Discount(DiscountKind.AMOUNT, DiscountTiming.AFTER_TAX, amount=6000)
    totals = compute_totals([line(4500, VAT21, quantity="3")], discount)
    assert (totals.tax_total, totals.total) == (2835, 10335)


def test_discount_is_spread_over_rates_in_proportion() -> None:
    discount = Discount(DiscountKind.AMOUNT, DiscountTiming.BEFORE_TAX, amount=2000)
    totals = compute_totals([line(10000, VAT20), line(10000, REDUCED10)], discount)
    by_name = {tax.rate.name: tax.amount for tax in totals.taxes}
    assert by_name == {"VAT": 1800, "Reduced": 900}
    assert totals.total == 20700


@pytest.mark.parametrize(
    ("gross", "percent", "net", "tax"),
    [(11500, 15, 10000, 1500), (10000, 19, 8403, 1597)],
)
def test_prices_including_tax_keep_the_typed_gross(
    gross: int, percent: int, net: int, tax: int
) -> None:
    totals = compute_totals([line(gross, TaxRate("T", Decimal(percent)))], prices_include_tax=True)
    assert (totals.subtotal, totals.tax_total, totals.total) == (net, tax, gross)


def test_compound_tax_is_charged_on_net_plus_simple_taxes() -> None:
    simple = TaxRate("A", Decimal(5))
    compound = TaxRate("B", Decimal(20), compound=True)
    totals = compute_totals([line(10000, simple, compound)])
    assert [(tax.rate.name, tax.amount) for tax in totals.taxes] == [("A", 500), ("B", 2100)]
    assert totals.total == 12600


def test_percent_discount_rounds_half_up() -> None:
    discount = Discount(DiscountKind.PERCENT, DiscountTiming.BEFORE_TAX, percent=Decimal("12.5"))
    totals = compute_totals([line(1004)], discount)
    assert totals.discount_before_tax == 126  # 125.5 rounds up


def test_a_discount_larger_than_the_subtotal_is_refused() -> None:
    discount = Discount(DiscountKind.AMOUNT, DiscountTiming.BEFORE_TAX, amount=10001)
    with pytest.raises(ValidationError, match="Discount"):
        compute_totals([line(10000, VAT20)], discount)


def test_no_tax_lines_carry_no_tax() -> None:
    totals = compute_totals([line(1234), line(100, VAT20)])
    assert totals.tax_total == 20
    assert [tax.base for tax in totals.taxes] == [100]


def test_paid_and_balance() -> None:
    totals = compute_totals([line(10000)], paid=3000)
    assert (totals.paid, totals.balance) == (3000, 7000)


def test_fractional_quantities_round_half_up_away_from_zero() -> None:
    assert line(5, quantity="0.5").amount == 3
    assert line(5, quantity="-0.5").amount == -3
