"""Money as an integer count of a currency's minor unit; Decimal only to parse and apply rates."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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
    """Return the upper-cased ISO 4217 code, or raise if it is not three letters."""
    normalized = code.strip().upper()
    if len(normalized) != 3 or not normalized.isascii() or not normalized.isalpha():
        raise ValidationError("Currency", f"'{code}' is not a three-letter ISO 4217 code")
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


def parse_decimal(text: str, field: str) -> Decimal:
    """Parse operator input such as '1,234.50', '1 234,50' or '-3' into a Decimal."""
    cleaned = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    cleaned = cleaned.replace("'", "")
    if not cleaned:
        raise ValidationError(field, "is required")
    if "," in cleaned and "." in cleaned:
        # The separator that comes last is the decimal one.
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif "," in cleaned:
        head, _, tail = cleaned.rpartition(",")
        cleaned = cleaned.replace(",", "") if len(tail) == 3 and "," in head else f"{head}.{tail}"
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(field, f"'{text}' is not a number") from None
    if not value.is_finite():
        raise ValidationError(field, f"'{text}' is not a number")
    return value


def parse_money(text: str, currency: str, field: str = "Amount") -> int:
    """Parse an amount typed in major units into minor units; refuses excess decimals."""
    value = parse_decimal(text, field)
    places = exponent(currency)
    exponent_of_value = value.as_tuple().exponent
    if (
        isinstance(exponent_of_value, int)
        and -exponent_of_value > places
        and value != value.quantize(Decimal(1).scaleb(-places))
    ):
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
