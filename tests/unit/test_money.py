"""Money in minor units: exponents, parsing operator input, plain formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest

from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.money import (
    Money,
    check_currency,
    format_plain,
    parse_decimal,
    parse_money,
    to_major,
)
from leadcartel_desktop.i18n.formatting import format_money


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [("100", "JPY", 100), ("100.00", "USD", 10000), ("12.345", "KWD", 12345)],
)
def test_minor_units_follow_iso_4217(text: str, currency: str, minor: int) -> None:
    assert parse_money(text, currency) == minor
    assert to_major(minor, currency) == Decimal(text)


def test_jpy_shows_without_decimals() -> None:
    assert format_plain(100, "JPY") == "100"
    assert format_money(100, "JPY", "en_US") == "¥100"
    assert format_money(10000, "USD", "en_US") == "$100.00"
    assert format_money(12345, "KWD", "en_US").endswith("12.345")


def test_french_total_uses_narrow_no_break_space() -> None:
    assert format_money(439999, "EUR", "fr_FR") == "4\u202f399,99\u00a0€"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("1 234,50", "1234.50"),
        ("12,5", "12.5"),
        ("-3", "-3"),
        ("1,234,567", "1234567"),
    ],
)
def test_parse_decimal_accepts_common_notations(text: str, expected: str) -> None:
    assert parse_decimal(text, "Amount") == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "1.2.3x", "NaN", "Infinity", "1e3", "--1"])
def test_parse_decimal_names_the_field(text: str) -> None:
    with pytest.raises(ValidationError, match=r"^Unit price: "):
        parse_decimal(text, "Unit price")


def test_too_many_decimals_are_refused() -> None:
    with pytest.raises(ValidationError, match="at most 2 decimals"):
        parse_money("1.005", "EUR")
    assert parse_money("1.500", "EUR") == 150


def test_currency_codes() -> None:
    assert check_currency(" eur ") == "EUR"
    with pytest.raises(ValidationError, match="Currency"):
        check_currency("EURO")


def test_money_refuses_mixed_currencies() -> None:
    assert (Money(100, "EUR") + Money(5, "EUR")).minor == 105
    with pytest.raises(ValueError, match="cannot mix"):
        _ = Money(100, "EUR") + Money(5, "USD")


def test_a_lone_comma_before_three_digits_is_not_guessed() -> None:
    with pytest.raises(ValidationError, match=r"could mean 1000 or 1\.000"):
        parse_decimal("1,000", "Amount")
    assert parse_decimal("1,000", "Amount", decimal_mark=".") == Decimal(1000)
    assert parse_decimal("1,000", "Amount", decimal_mark=",") == Decimal(1)
    assert parse_money("1.234,50", "EUR", decimal_mark=",") == 123450


def test_absurdly_large_numbers_are_refused_not_crashed() -> None:
    with pytest.raises(ValidationError, match="too large"):
        parse_money("12345678901234567890123456789.001", "EUR")


@pytest.mark.parametrize("code", ["ZZZ", "xxx", "XTS", "XAU", "ABC"])
def test_a_well_formed_code_that_is_no_currency_is_refused(code: str) -> None:
    with pytest.raises(ValidationError, match="is not an ISO 4217 currency code") as raised:
        check_currency(code)
    assert raised.value.field == "Currency"


@pytest.mark.parametrize("code", ["usd", "JPY", "KWD", "CHF", "XOF", "INR", "BRL"])
def test_real_currencies_are_accepted(code: str) -> None:
    assert check_currency(code) == code.upper()
