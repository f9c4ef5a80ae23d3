"""Forecast: each deal's value weighted by its stage's probability, per close month and currency."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

NO_DATE = "No date"


@dataclass(frozen=True, slots=True)
class ForecastRow:
    month: str  # "YYYY-MM", or NO_DATE
    currency: str
    weighted_minor: int
    value_minor: int
    deals: int


@dataclass(frozen=True, slots=True)
class ForecastItem:
    value_minor: int
    currency: str
    probability: int
    expected_close: date | None


def weighted(value_minor: int, probability: int) -> int:
    """value x probability / 100, rounded half-up to the minor unit (exact integer arithmetic).

    Values are never negative, so half-up and half-away-from-zero agree.
    """
    return (value_minor * probability * 2 + 100) // 200


def month_of(expected_close: date | None) -> str:
    """The close month as text that sorts in time order: the year always has four digits.

    %Y does not pad years before 1000 on every platform ("999-01" would sort after "2026-05").
    """
    if expected_close is None:
        return NO_DATE
    return f"{expected_close.year:04d}-{expected_close.month:02d}"


def forecast(items: Iterable[ForecastItem]) -> list[ForecastRow]:
    """One row per (month, currency): weighted per deal, then summed; never across currencies.

    Months in order, "No date" last; currencies alphabetical within a month.
    """
    sums: dict[tuple[str, str], list[int]] = {}
    for item in items:
        key = (month_of(item.expected_close), item.currency)
        row = sums.setdefault(key, [0, 0, 0])
        row[0] += weighted(item.value_minor, item.probability)
        row[1] += item.value_minor
        row[2] += 1
    keys = sorted(sums, key=lambda key: (key[0] == NO_DATE, key))
    return [ForecastRow(month, currency, *sums[(month, currency)]) for month, currency in keys]
