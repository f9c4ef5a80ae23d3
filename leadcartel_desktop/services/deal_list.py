"""The deal list's order: by raw values (money as integers, dates as dates), ties by id.

Money sorts within its currency: by Value and by Currency alike, currency code then amount.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from leadcartel_desktop.domain.deals import DealStatus
from leadcartel_desktop.services.deal_views import ROW_SORT_KEYS, DealRow

_STATUS_ORDER = {status: order for order, status in enumerate(DealStatus)}

_KEYS: dict[str, Callable[[DealRow], Any]] = {
    "name": lambda row: row.name.casefold(),
    "contact": lambda row: row.contact_name.casefold(),
    # Amounts in different currencies are never compared (¥500 is not less than $6.00, nor
    # 500 minor units less than 600): grouped by currency code, then by value within each.
    "value": lambda row: (row.currency, row.value_minor),
    "currency": lambda row: (row.currency, row.value_minor),
    "close": lambda row: row.expected_close or date.max,  # no date sorts after every date
    "stage": lambda row: (row.pipeline.casefold(), row.pipeline_id, row.stage_position),
    "pipeline": lambda row: (row.pipeline.casefold(), row.pipeline_id, row.stage_position),
    "status": lambda row: _STATUS_ORDER[row.status],
    "probability": lambda row: row.probability,
}
assert set(_KEYS) == set(ROW_SORT_KEYS)


def sorted_rows(rows: Sequence[DealRow], sort_key: str, descending: bool) -> list[DealRow]:
    """Sorted by `sort_key` (one of ROW_SORT_KEYS); equal keys keep id order either way."""
    key = _KEYS.get(sort_key)
    if key is None:
        raise ValueError(f"unknown sort key {sort_key!r}; one of {', '.join(ROW_SORT_KEYS)}")
    by_id = sorted(rows, key=lambda row: row.id)
    return sorted(by_id, key=key, reverse=descending)
