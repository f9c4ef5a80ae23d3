"""How deals read on screen: column headers, days in stage, totals per currency."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache

from leadcartel_desktop.i18n.formatting import format_date, format_money

SEPARATOR = " · "


# Cards repeat amounts and dates, and babel takes a while per call: each text is made once.
@lru_cache(maxsize=8192)
def money_text(minor: int, currency: str, locale: str) -> str:
    return format_money(minor, currency, locale)


@lru_cache(maxsize=2048)
def date_text(value: date, locale: str) -> str:
    return format_date(value, locale)


def totals_text(totals: Mapping[str, int], locale: str) -> str:
    """'€4,200.00 · $900.00': one figure per currency, never added together (sorted by code)."""
    return SEPARATOR.join(
        format_money(minor, currency, locale) for currency, minor in sorted(totals.items())
    )


def deals_count_text(count: int) -> str:
    return f"{count:,} deal{'' if count == 1 else 's'}"


def header_text(
    stage_name: str, probability: int, count: int, totals: Mapping[str, int], locale: str
) -> str:
    """'Proposal · 50% · 12 deals · €4,200.00 · $900.00'."""
    parts = [stage_name, f"{probability}%", deals_count_text(count)]
    money = totals_text(totals, locale)
    if money:
        parts.append(money)
    return SEPARATOR.join(parts)


def days_in_stage(entered_at: datetime, now: datetime) -> int:
    return max(0, (now - entered_at).days)


def days_in_stage_text(entered_at: datetime, now: datetime) -> str:
    days = days_in_stage(entered_at, now)
    if days == 0:
        return "Entered today"
    return f"{days} day{'' if days == 1 else 's'} in stage"
