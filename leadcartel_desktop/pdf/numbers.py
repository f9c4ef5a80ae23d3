"""Quantities, tax percentages and phone numbers as printed on an invoice (babel, phonenumbers)."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from leadcartel_desktop.services.contact_fields import format_phone

__all__ = ["format_percent", "format_phone", "format_quantity"]


@cache
def _babel_numbers() -> Any:
    from babel import numbers

    return numbers


def _plain(value: Decimal) -> Decimal:
    """Without trailing zeros or an exponent: 2.50 -> 2.5, 1E+2 -> 100."""
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal


def format_quantity(value: Decimal, locale: str) -> str:
    """'2.5' (en), '2,5' (fr), '1 000' (fr), with every significant decimal kept."""
    return str(
        _babel_numbers().format_decimal(_plain(value), locale=locale, decimal_quantization=False)
    )


def format_percent(percent: Decimal, locale: str) -> str:
    """A rate given in percent: '20%' (en), '5,5 %' (fr), '%20' (tr)."""
    return str(
        _babel_numbers().format_percent(
            _plain(percent) / 100, locale=locale, decimal_quantization=False
        )
    )
