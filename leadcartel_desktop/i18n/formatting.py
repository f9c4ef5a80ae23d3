"""Money and dates formatted for a locale (CLDR data through babel, imported on first use)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from leadcartel_desktop.domain.money import exponent, format_plain, to_major

DEFAULT_LOCALE = "en_US"


@cache
def _babel_numbers() -> Any:
    from babel import numbers

    return numbers


@cache
def _babel_dates() -> Any:
    from babel import dates

    return dates


def format_money(minor: int, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """'€4,399.99' (en_US), '4 399,99 €' (fr_FR, narrow no-break space), '¥100'."""
    # The ISO 4217 number of decimals wins where CLDR's currency data differs.
    return str(
        _babel_numbers().format_currency(
            to_major(minor, currency),
            currency,
            locale=locale,
            currency_digits=False,
            format=_currency_pattern(locale, exponent(currency)),
        )
    )


@cache
def _currency_pattern(locale: str, places: int) -> str:
    from babel import Locale

    base = Locale.parse(locale).currency_formats["standard"].pattern.split(";")[0]
    decimals = "0" * places
    integer_part, _, _ = base.partition(".")
    if "." in base:
        fraction = base.split(".", 1)[1]
        suffix = fraction.lstrip("0#")
        body = integer_part + (f".{decimals}" if places else "") + suffix
    else:
        body = base
    return body


def format_amount(minor: int, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """The number without the currency sign, for table cells: '4,399.99'."""
    places = exponent(currency)
    return str(
        _babel_numbers().format_decimal(
            to_major(minor, currency),
            format=f"#,##0{'.' + '0' * places if places else ''}",
            locale=locale,
        )
    )


def format_date(value: date, locale: str = DEFAULT_LOCALE) -> str:
    return str(_babel_dates().format_date(value, format="medium", locale=locale))


def format_month(value: date, locale: str = DEFAULT_LOCALE) -> str:
    """A month as the locale names it: 'Mar 2026' (en_US), 'mars 2026' (fr_FR), '2026年3月'."""
    return str(_babel_dates().format_skeleton("yMMM", value, locale=locale))


@cache
def decimal_mark(locale: str = DEFAULT_LOCALE) -> str:
    """How numbers typed in the window are read: ',' for fr_FR or de_DE, '.' for en_GB or ja_JP.

    CLDR's decimal symbol for the locale; a locale whose symbol is neither (Arabic digits'
    '٫') falls back to '.', the only other mark parse_decimal knows.
    """
    from babel.core import UnknownLocaleError

    try:
        symbol = str(_babel_numbers().get_decimal_symbol(locale))
    except (UnknownLocaleError, ValueError, TypeError):  # a locale still being typed
        return "."
    return symbol if symbol in {".", ","} else "."


def editable_amount(minor: int, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """An amount as an editor shows it to be typed over: '1234.50' (en), '1234,50' (fr)."""
    return format_plain(minor, currency).replace(".", decimal_mark(locale))


def editable_decimal(value: Decimal, locale: str = DEFAULT_LOCALE) -> str:
    """A quantity or percent to type over, without trailing zeros: '2.5' (en), '2,5' (de)."""
    normal = value.normalize()
    plain = f"{normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal:f}"
    return plain.replace(".", decimal_mark(locale))
