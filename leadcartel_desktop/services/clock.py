"""Today's date in the business time zone, from an injected clock."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from leadcartel_desktop.domain.invoice_status import business_today

if TYPE_CHECKING:
    from leadcartel_desktop.services.ports import Clock


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def today_in(clock: Clock, time_zone: str) -> date:
    return business_today(clock.now(), ZoneInfo(time_zone))
