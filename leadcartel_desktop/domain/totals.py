"""Invoice arithmetic (EN 16931 style): line nets, discounts, per-rate tax, totals, balance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from leadcartel_desktop.domain.allocation import allocate
from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.money import round_half_up
from leadcartel_desktop.domain.taxes import TaxRate


class DiscountKind(StrEnum):
    AMOUNT = "amount"
    PERCENT = "percent"


class DiscountTiming(StrEnum):
    BEFORE_TAX = "before_tax"
    AFTER_TAX = "after_tax"


@dataclass(frozen=True, slots=True)
class Discount:
    """An invoice-level discount: `amount` in minor units, or `percent` of the base."""

    kind: DiscountKind = DiscountKind.AMOUNT
    timing: DiscountTiming = DiscountTiming.BEFORE_TAX
    amount: int = 0
    percent: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise ValidationError("Discount", "cannot be negative")
        if not Decimal(0) <= self.percent <= Decimal(100):
            raise ValidationError("Discount", "percent must be between 0 and 100")

    @property
    def is_zero(self) -> bool:
        return self.amount == 0 if self.kind is DiscountKind.AMOUNT else self.percent == 0

    def on(self, base: int) -> int:
        """The discount taken off `base`, with the sign of `base` (a credit note shrinks too)."""
        if self.kind is DiscountKind.PERCENT:
            value = round_half_up(Decimal(base) * self.percent / 100)
        else:
            value = self.amount if base >= 0 else -self.amount
        if abs(value) > abs(base):
            raise ValidationError("Discount", "is larger than the amount it applies to")
        return value


NO_DISCOUNT = Discount()


@dataclass(frozen=True, slots=True)
class LineItem:
    """One invoice line; `unit_price` is in minor units (gross when prices include tax)."""

    description: str
    quantity: Decimal
    unit_price: int
    taxes: tuple[TaxRate, ...] = ()
    unit: str = ""

    @property
    def amount(self) -> int:
        """Quantity x unit price, rounded half-up to the minor unit."""
        return round_half_up(self.quantity * self.unit_price)

    @property
    def tax_key(self) -> str:
        return ";".join(sorted(rate.key for rate in self.taxes))


@dataclass(frozen=True, slots=True)
class TaxAmount:
    rate: TaxRate
    base: int
    amount: int


@dataclass(frozen=True, slots=True)
class InvoiceTotals:
    """Every figure in minor units; subtotal - discounts + tax_total == total exactly."""

    line_amounts: tuple[int, ...]
    subtotal: int
    discount_before_tax: int
    taxable: int
    taxes: tuple[TaxAmount, ...]
    tax_total: int
    discount_after_tax: int
    total: int
    paid: int
    balance: int

    @property
    def discount(self) -> int:
        return self.discount_before_tax + self.discount_after_tax


@dataclass(slots=True)
class _TaxGroup:
    """Lines that carry the same set of taxes; rounding happens per rate, not per line."""

    key: str
    taxes: tuple[TaxRate, ...]
    gross: int = 0
    net: int = 0
    taxable: int = 0

    @property
    def simple_fraction(self) -> Decimal:
        return sum((rate.fraction for rate in self.taxes if not rate.compound), Decimal(0))

    @property
    def compound_fraction(self) -> Decimal:
        return sum((rate.fraction for rate in self.taxes if rate.compound), Decimal(0))

    def exact_tax(self, rate: TaxRate, taxable: int) -> Decimal:
        base = Decimal(taxable)
        if rate.compound:
            base *= 1 + self.simple_fraction
        return base * rate.fraction


def _group_lines(lines: Sequence[LineItem]) -> list[_TaxGroup]:
    groups: dict[str, _TaxGroup] = {}
    for line in lines:
        group = groups.get(line.tax_key)
        if group is None:
            ordered = tuple(sorted(set(line.taxes), key=lambda rate: rate.key))
            group = groups[line.tax_key] = _TaxGroup(line.tax_key, ordered)
        group.gross += line.amount
    return sorted(groups.values(), key=lambda group: group.key)


def _all_rates(groups: Sequence[_TaxGroup]) -> list[TaxRate]:
    rates = {rate.key: rate for group in groups for rate in group.taxes}
    return [rates[key] for key in sorted(rates)]


def _taxes_exclusive(groups: Sequence[_TaxGroup]) -> list[TaxAmount]:
    """One rounding per rate over the summed taxable amounts of the lines carrying it."""
    result = []
    for rate in _all_rates(groups):
        carrying = [group for group in groups if rate in group.taxes]
        exact = sum((group.exact_tax(rate, group.taxable) for group in carrying), Decimal(0))
        base = sum(group.taxable for group in carrying)
        result.append(TaxAmount(rate, base, round_half_up(exact)))
    return result


def _taxes_inclusive(groups: Sequence[_TaxGroup]) -> list[TaxAmount]:
    """Tax = gross - net per group, split over the group's rates so the typed gross is paid."""
    amounts: dict[str, int] = {}
    bases: dict[str, int] = {}
    for group in groups:
        remaining = group.gross - group.net
        exact = [group.exact_tax(rate, group.net) for rate in group.taxes]
        for index, rate in enumerate(group.taxes):
            is_last = index == len(group.taxes) - 1
            share = remaining if is_last else round_half_up(exact[index])
            remaining -= share
            amounts[rate.key] = amounts.get(rate.key, 0) + share
            bases[rate.key] = bases.get(rate.key, 0) + group.net
    return [TaxAmount(rate, bases[rate.key], amounts[rate.key]) for rate in _all_rates(groups)]


def compute_totals(
    lines: Sequence[LineItem],
    discount: Discount = NO_DISCOUNT,
    prices_include_tax: bool = False,
    paid: int = 0,
) -> InvoiceTotals:
    """The invoice's figures, all integers of minor units that add up exactly."""
    groups = _group_lines(lines)
    for group in groups:
        if prices_include_tax and group.taxes:
            factor = (1 + group.simple_fraction) * (1 + group.compound_fraction)
            group.net = round_half_up(Decimal(group.gross) / factor)
        else:
            group.net = group.gross
    subtotal = sum(group.net for group in groups)

    before = (
        discount.on(subtotal)
        if discount.timing is DiscountTiming.BEFORE_TAX and not discount.is_zero
        else 0
    )
    shares = allocate(before, [g.net for g in groups], [g.key for g in groups]) if before else []
    for index, group in enumerate(groups):
        group.taxable = group.net - (shares[index] if shares else 0)

    if prices_include_tax and before == 0:
        taxes = _taxes_inclusive(groups)
    else:
        taxes = _taxes_exclusive(groups)
    tax_total = sum(tax.amount for tax in taxes)
    taxable = subtotal - before
    gross_total = taxable + tax_total
    after = (
        discount.on(gross_total)
        if discount.timing is DiscountTiming.AFTER_TAX and not discount.is_zero
        else 0
    )
    total = gross_total - after
    return InvoiceTotals(
        line_amounts=tuple(line.amount for line in lines),
        subtotal=subtotal,
        discount_before_tax=before,
        taxable=taxable,
        taxes=tuple(taxes),
        tax_total=tax_total,
        discount_after_tax=after,
        total=total,
        paid=paid,
        balance=total - paid,
    )
