"""The order a totals block lists taxes in: as configured in Settings, simple before compound."""

from __future__ import annotations

from collections.abc import Sequence

from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.domain.totals import TaxAmount


def display_order(
    taxes: Sequence[TaxAmount], configured: Sequence[TaxRate]
) -> tuple[TaxAmount, ...]:
    """Simple taxes first, then compound ones (charged on the simple ones, so listed after).

    Within each, the order of the rates in Settings; a rate no longer configured comes after
    those, by name and percent. Presentation only: compute_totals keeps its own order (by key),
    and neither depends on the order of the lines.
    """
    position = {rate.key: index for index, rate in enumerate(configured)}
    missing = len(position)

    def sort_key(tax: TaxAmount) -> tuple[bool, int, str]:
        return (tax.rate.compound, position.get(tax.rate.key, missing), tax.rate.key)

    return tuple(sorted(taxes, key=sort_key))
