"""The deal list and the forecast through the real services: raw-value sorts, exact sums."""

from __future__ import annotations

from datetime import date

import pytest

from leadcartel_desktop.domain.deals import DealStatus
from leadcartel_desktop.services.deal_views import DealFilter
from tests.integration.deal_support import Book, Services, sales_book

EVERY_STATUS = DealFilter(statuses=frozenset())


@pytest.fixture
def book(services: Services) -> Book:
    book = sales_book(services)
    book.deal("beta", value=900, currency="USD", stage=2, contact=book.bob, close=date(2026, 5, 2))
    book.deal("Alpha", value=10000, currency="EUR", stage=0, close=date(2026, 4, 30))
    book.deal("gamma", value=25, currency="USD", stage=1, contact=book.ann)
    won = book.deal("Delta", value=333, currency="USD", stage=3, close=date(2026, 4, 1))
    services.deals.set_status(won, DealStatus.WON)
    return book


def _names(book: Book, key: str, descending: bool = False) -> list[str]:
    rows = book.services.deals.rows(book.pipeline_id, EVERY_STATUS, key, descending)
    return [row.name for row in rows]


def test_rows_sort_by_raw_values(book: Book) -> None:
    assert _names(book, "name") == ["Alpha", "beta", "Delta", "gamma"]
    # By currency, then the amount as a number (not text); currencies are never compared.
    assert _names(book, "value") == ["Alpha", "gamma", "Delta", "beta"]
    assert _names(book, "value", descending=True) == ["beta", "Delta", "gamma", "Alpha"]
    assert _names(book, "close") == ["Delta", "Alpha", "beta", "gamma"]  # no date last
    assert _names(book, "stage") == ["Alpha", "gamma", "beta", "Delta"]
    assert _names(book, "probability", descending=True) == ["Delta", "beta", "gamma", "Alpha"]
    assert _names(book, "contact") == ["Alpha", "Delta", "gamma", "beta"]
    assert _names(book, "status") == ["beta", "Alpha", "gamma", "Delta"]


def test_rows_carry_stage_pipeline_and_probability(book: Book) -> None:
    rows = book.services.deals.rows(None, DealFilter(), "name", False)
    assert [(r.name, r.stage, r.pipeline, r.probability, r.status) for r in rows] == [
        ("Alpha", "Lead", "Sales", 10, DealStatus.OPEN),
        ("beta", "Proposal", "Sales", 50, DealStatus.OPEN),
        ("gamma", "Qualified", "Sales", 25, DealStatus.OPEN),
    ]
    with pytest.raises(ValueError, match="unknown sort key"):
        book.services.deals.rows(None, DealFilter(), "colour", False)


def test_the_forecast_of_a_fixed_set(book: Book) -> None:
    book.deal("Odd", value=5, currency="USD", stage=2, close=date(2026, 5, 20))  # 2.5 -> 3
    book.deal("Half", value=1, currency="USD", stage=2, close=date(2026, 5, 21))  # 0.5 -> 1
    rows = book.services.deals.forecast(book.pipeline_id, EVERY_STATUS)
    assert [(r.month, r.currency, r.weighted_minor, r.value_minor, r.deals) for r in rows] == [
        ("2026-04", "EUR", 1000, 10000, 1),
        ("2026-04", "USD", 333, 333, 1),
        ("2026-05", "USD", 454, 906, 3),  # 450 + 3 + 1
        ("No date", "USD", 6, 25, 1),  # 6.25 -> 6
    ]
    open_only = book.services.deals.forecast(None, DealFilter())
    assert [(r.month, r.currency, r.weighted_minor) for r in open_only] == [
        ("2026-04", "EUR", 1000),
        ("2026-05", "USD", 454),
        ("No date", "USD", 6),
    ]
