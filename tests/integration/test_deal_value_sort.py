"""The deal list sorted by Value: amounts are compared within a currency, never across."""

from __future__ import annotations

import pytest

from tests.integration.deal_support import Book, Services, sales_book


@pytest.fixture
def book(services: Services) -> Book:
    book = sales_book(services)
    book.deal("Dollars", value=600, currency="USD")  # $6.00: 600 minor units
    book.deal("Yen", value=500, currency="JPY")  # ¥500: 500 minor units
    book.deal("Dinars", value=1000, currency="KWD")  # KWD 1.000: 1000 minor units
    book.deal("Cents", value=5, currency="USD")  # $0.05
    book.deal("More yen", value=20, currency="JPY")  # ¥20
    return book


def _shown(book: Book, descending: bool = False) -> list[tuple[str, int]]:
    rows = book.services.deals.rows(book.pipeline_id, sort_key="value", descending=descending)
    return [(row.currency, row.value_minor) for row in rows]


def test_value_sort_groups_by_currency_then_amount(book: Book) -> None:
    assert _shown(book) == [
        ("JPY", 20), ("JPY", 500), ("KWD", 1000), ("USD", 5), ("USD", 600),
    ]  # fmt: skip


def test_value_sort_descending_is_the_same_order_reversed(book: Book) -> None:
    assert _shown(book, descending=True) == list(reversed(_shown(book)))


def test_equal_values_in_one_currency_keep_id_order_either_way(book: Book) -> None:
    first = book.deal("Again", value=600, currency="USD")
    second = book.deal("And again", value=600, currency="USD")
    for descending in (False, True):
        rows = book.services.deals.rows(book.pipeline_id, sort_key="value", descending=descending)
        tied = [row.id for row in rows if (row.currency, row.value_minor) == ("USD", 600)]
        assert tied == sorted(tied) and set(tied) >= {first, second}
