"""Forecast months: always "YYYY-MM" with four digits, so months sort as text in time order."""

from __future__ import annotations

from datetime import date

import pytest

from leadcartel_desktop.domain.forecast import NO_DATE, ForecastItem, forecast, month_of


@pytest.mark.parametrize(
    ("close", "month"),
    [
        (date(1, 1, 1), "0001-01"),
        (date(99, 12, 31), "0099-12"),
        (date(999, 7, 4), "0999-07"),
        (date(1000, 1, 1), "1000-01"),
        (date(2026, 5, 1), "2026-05"),
        (date(9999, 12, 31), "9999-12"),
        (None, NO_DATE),
    ],
)
def test_month_of_pads_the_year_to_four_digits(close: date | None, month: str) -> None:
    assert month_of(close) == month


def test_months_before_the_year_1000_sort_before_later_ones_and_no_date_last() -> None:
    closes = [date(2026, 5, 1), None, date(999, 1, 1), date(9999, 12, 1), date(5, 3, 2)]
    items = [ForecastItem(1000, "USD", 50, close) for close in closes]

    months = [row.month for row in forecast(items)]

    assert months == ["0005-03", "0999-01", "2026-05", "9999-12", NO_DATE]


def test_one_month_of_a_three_digit_year_sums_its_deals() -> None:
    items = [
        ForecastItem(1000, "USD", 25, date(999, 1, 1)),
        ForecastItem(3000, "USD", 25, date(999, 1, 31)),
    ]

    (row,) = forecast(items)

    assert (row.month, row.weighted_minor, row.value_minor, row.deals) == ("0999-01", 1000, 4000, 2)
