"""A deal's stage history as lines of text: when, and from which stage to which."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from leadcartel_desktop.i18n.formatting import format_date
from leadcartel_desktop.services.deal_views import StageChange


def history_line(change: StageChange, locale: str, zone: ZoneInfo) -> str:
    """'Mar 10, 2026 13:05 · Lead → Proposal' (in the business's time zone)."""
    local = change.changed_at.astimezone(zone)
    when = f"{format_date(local.date(), locale)} {local:%H:%M}"
    if change.from_stage is None:
        return f"{when} · Created in {change.to_stage}"
    return f"{when} · {change.from_stage} → {change.to_stage}"


def history_lines(changes: Sequence[StageChange], locale: str, zone: ZoneInfo) -> list[str]:
    """Newest first: the latest move is what the operator looks for."""
    return [history_line(change, locale, zone) for change in reversed(changes)]
