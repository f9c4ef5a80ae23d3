"""Python values to and from their stored text: ISO dates, UTC instants, decimals, tax lists."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

from leadcartel_desktop.domain.taxes import TaxRate


def date_text(value: date) -> str:
    return value.isoformat()


def to_date(text: str) -> date:
    return date.fromisoformat(text)


def instant_text(value: datetime) -> str:
    """UTC with milliseconds and 'Z', the same shape SQLite's strftime('%fZ') defaults write."""
    if value.tzinfo is None:
        raise ValueError("instants are stored in UTC and must be timezone-aware")
    utc = value.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


def to_instant(text: str | None) -> datetime | None:
    if text is None:
        return None
    return datetime.fromisoformat(text).astimezone(UTC)


def decimal_text(value: Decimal) -> str:
    return str(value)


def to_decimal(text: str) -> Decimal:
    return Decimal(text)


def taxes_json(taxes: Sequence[TaxRate]) -> str:
    """[[name, percent, compound], ...] with the percent as exact decimal text."""
    return json.dumps(
        [[rate.name, decimal_text(rate.percent), rate.compound] for rate in taxes],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def taxes_from_json(text: str) -> tuple[TaxRate, ...]:
    return tuple(
        TaxRate(str(name), to_decimal(str(percent)), bool(compound))
        for name, percent, compound in json.loads(text)
    )
