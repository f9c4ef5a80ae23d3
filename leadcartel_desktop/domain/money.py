"""Money as an integer count of a currency's minor unit; Decimal only to parse and apply rates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from leadcartel_desktop.domain.currencies import ISO_4217
from leadcartel_desktop.domain.errors import ValidationError

# ISO 4217 minor-unit exponents that differ from the usual 2.
_EXPONENT_EXCEPTIONS: dict[str, int] = {
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
    "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0,
    "XPF": 0, "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    "CLF": 4, "UYW": 4,
}  # fmt: skip

# Currencies offered in pickers; any other well-formed ISO code is still accepted.
COMMON_CURRENCIES: tuple[str, ...] = (
    "USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK",
    "TRY", "JPY", "SGD", "HKD", "INR", "ZAR", "MXN", "BRL", "AED", "KWD", "BHD",
)  # fmt: skip


def check_currency(code: str) -> str:
    """Return the upper-cased ISO 4217 code, or raise if it is not one ('ZZZ' neither)."""
    normalized = code.strip().upper()
    if len(normalized) != 3 or not normalized.isascii() or not normalized.isalpha():
        raise ValidationError("Currency", f"'{code}' is not a three-letter ISO 4217 code")
    if normalized not in ISO_4217:
        raise ValidationError("Currency", f"'{code}' is not an ISO 4217 currency code")
    return normalized


def exponent(currency: str) -> int:
    """Digits after the decimal point for the currency (JPY 0, USD 2, KWD 3)."""
    return _EXPONENT_EXCEPTIONS.get(currency.upper(), 2)


def round_half_up(value: Decimal) -> int:
    """Round to an integer, halves away from zero (so negation commutes with rounding)."""
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def to_minor(amount: Decimal, currency: str) -> int:
    """Convert a major-unit Decimal to minor units, rounding half-up."""
    return round_half_up(amount.scaleb(exponent(currency)))


def to_major(minor: int, currency: str) -> Decimal:
    """Exact Decimal of major units, with the currency's number of decimals."""
    return Decimal(minor).scaleb(-exponent(currency))


MAX_DIGITS = 18  # beyond this no invoice figure is meaningful and SQLite INTEGER overflows
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
# Digits grouped by thousands (1,234,567) or the Indian way (12,34,567): the last group has three.
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:G\d{2,3})*G\d{3}")


def _guess_decimal_mark(cleaned: str, text: str, field: str) -> str:
    """Which of ',' and '.' is the decimal mark, when the caller does not know the locale."""
    if "," in cleaned and "." in cleaned:
        return "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
    if "," in cleaned:
        if cleaned.count(",") > 1:
            return "."
        head, _, tail = cleaned.partition(",")
        if len(tail) == 3:
            raise ValidationError(
                field,
                f"'{text}' could mean {head}{tail} or {head}.{tail}: "
                "type it without the comma, or with a point for decimals",
            )
        return ","
    if cleaned.count(".") > 1:
        return ","
    return "."


def parse_decimal(text: str, field: str, decimal_mark: str | None = None) -> Decimal:
    """Parse operator input such as '1,234.50', '1 234,50' or '-3' into a Decimal.

    `decimal_mark` ('.' or ',') comes from the locale when known; without it an input
    that could be read both ways ('1,000') is refused rather than guessed.
    """
    cleaned = "".join(text.split()).replace("\u00a0", "").replace("\u202f", "").replace("'", "")
    if not cleaned:
        raise ValidationError(field, "is required")
    mark = decimal_mark or _guess_decimal_mark(cleaned, text, field)
    grouping = "," if mark == "." else "."
    whole = cleaned.partition(mark)[0]
    if grouping in whole and not _GROUPED.fullmatch(whole.replace(grouping, "G")):
        # '2,5' where ',' groups thousands is a slip for 2.5, not 25: refuse it, never guess.
        raise ValidationError(
            field, f"'{text}' is not a number here: '{mark}' marks decimals, '{grouping}' thousands"
        )
    normalized = cleaned.replace(grouping, "").replace(mark, ".")
    if not _PLAIN_NUMBER.fullmatch(normalized):
        raise ValidationError(field, f"'{text}' is not a number")
    if sum(char.isdigit() for char in normalized.lstrip("+-").lstrip("0.")) > MAX_DIGITS:
        raise ValidationError(field, f"'{text}' is too large")
    return Decimal(normalized)


def parse_money(
    text: str, currency: str, field: str = "Amount", decimal_mark: str | None = None
) -> int:
    """Parse an amount typed in major units into minor units; refuses excess decimals."""
    value = parse_decimal(text, field, decimal_mark)
    places = exponent(currency)
    if value.scaleb(places) != value.scaleb(places).to_integral_value():
        if places == 0:
            raise ValidationError(field, f"{currency} amounts have no decimals")
        raise ValidationError(field, f"{currency} amounts have at most {places} decimals")
    return to_minor(value, currency)


def format_plain(minor: int, currency: str) -> str:
    """Machine-friendly decimal string: '1234.50', '-3', '12.345'."""
    return f"{to_major(minor, currency):.{exponent(currency)}f}"


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in minor units of a currency."""

    minor: int
    currency: str

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot mix {self.currency} and {other.currency}")

    @property
    def decimal(self) -> Decimal:
        return to_major(self.minor, self.currency)

    def plain(self) -> str:
        return format_plain(self.minor, self.currency)
