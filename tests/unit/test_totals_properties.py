"""Property tests: the parts add up, line order is irrelevant, negation is symmetric."""

from __future__ import annotations

import random
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.domain.totals import (
    NO_DISCOUNT,
    Discount,
    DiscountKind,
    DiscountTiming,
    InvoiceTotals,
    LineItem,
    compute_totals,
)

RATES = [
    TaxRate("VAT", Decimal(20)),
    TaxRate("Reduced", Decimal("5.5")),
    TaxRate("GST", Decimal(7)),
    TaxRate("Levy", Decimal(3), compound=True),
]

lines_strategy = st.lists(
    st.builds(
        LineItem,
        description=st.just("x"),
        quantity=st.decimals(min_value=Decimal("0.001"), max_value=Decimal(1000), places=3),
        unit_price=st.integers(min_value=0, max_value=10_000_000),
        taxes=st.lists(st.sampled_from(RATES), max_size=3, unique=True).map(tuple),
    ),
    min_size=1,
    max_size=12,
)
discount_strategy = st.one_of(
    st.just(NO_DISCOUNT),
    st.builds(
        Discount,
        kind=st.just(DiscountKind.PERCENT),
        timing=st.sampled_from(list(DiscountTiming)),
        percent=st.decimals(min_value=0, max_value=100, places=2),
    ),
)


def parts_add_up(totals: InvoiceTotals) -> bool:
    return (
        totals.taxable == totals.subtotal - totals.discount_before_tax
        and totals.tax_total == sum(tax.amount for tax in totals.taxes)
        and totals.total == totals.taxable + totals.tax_total - totals.discount_after_tax
        and totals.balance == totals.total - totals.paid
    )


@settings(max_examples=300, deadline=None)
@given(lines_strategy, discount_strategy, st.booleans())
def test_parts_always_add_up_to_the_total(
    lines: list[LineItem], discount: Discount, inclusive: bool
) -> None:
    totals = compute_totals(lines, discount, inclusive)
    assert parts_add_up(totals)
    if not inclusive:
        assert totals.subtotal == sum(totals.line_amounts)
    if inclusive and discount.is_zero:
        assert totals.total == sum(totals.line_amounts)


@settings(max_examples=200, deadline=None)
@given(lines_strategy, discount_strategy, st.booleans(), st.randoms(use_true_random=False))
def test_reordering_lines_changes_nothing(
    lines: list[LineItem], discount: Discount, inclusive: bool, shuffler: random.Random
) -> None:
    shuffled = list(lines)
    shuffler.shuffle(shuffled)
    first = compute_totals(lines, discount, inclusive)
    second = compute_totals(shuffled, discount, inclusive)
    assert first.taxes == second.taxes
    assert (first.subtotal, first.tax_total, first.total) == (
        second.subtotal,
        second.tax_total,
        second.total,
    )


@settings(max_examples=200, deadline=None)
@given(lines_strategy, discount_strategy, st.booleans(), st.integers(0, 1_000_000))
def test_negating_every_quantity_negates_every_amount(
    lines: list[LineItem], discount: Discount, inclusive: bool, amount_off: int
) -> None:
    negated = [
        LineItem(item.description, -item.quantity, item.unit_price, item.taxes) for item in lines
    ]
    if discount.is_zero and amount_off:
        cap = abs(sum(item.amount for item in lines))
        discount = Discount(DiscountKind.AMOUNT, DiscountTiming.AFTER_TAX, min(amount_off, cap))
    plain = compute_totals(lines, discount, inclusive)
    mirrored = compute_totals(negated, discount, inclusive)
    assert mirrored.line_amounts == tuple(-amount for amount in plain.line_amounts)
    assert mirrored.subtotal == -plain.subtotal
    assert mirrored.discount == -plain.discount
    assert [tax.amount for tax in mirrored.taxes] == [-tax.amount for tax in plain.taxes]
    assert mirrored.total == -plain.total


@settings(max_examples=200, deadline=None)
@given(lines_strategy, st.integers(0, 10_000))
def test_amount_discounts_are_split_exactly(lines: list[LineItem], amount: int) -> None:
    subtotal = sum(item.amount for item in lines)
    discount = Discount(
        DiscountKind.AMOUNT, DiscountTiming.BEFORE_TAX, amount=min(amount, subtotal)
    )
    totals = compute_totals(lines, discount)
    assert totals.discount_before_tax == min(amount, subtotal)
    assert parts_add_up(totals)
