"""Today's date in the business time zone, from an injected clock."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from leadcartel_desktop.domain.invoice_status import business_today

if TYPE_CHECKING:
    from leadcartel_desktop.services.ports import Clock


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def today_in(clock: Clock, time_zone: str) -> date:
    return business_today(clock.now(), shown_zone(time_zone))


@lru_cache(maxsize=64)
def shown_zone(name: str) -> ZoneInfo:
    """The zone `name` as domain/send_windows.zone reads it, or UTC when it refuses the name.

    Saved settings are checked, but an old book may hold a name in another case
    ('europe/berlin': the same zone), a region folder ('Europe'), a name too long for a file,
    or a zone this machine's data lacks: times are then shown in UTC rather than raising.
    """
    key = name.strip()
    if _LISTED_FORM.fullmatch(key) and not key.startswith(("posix/", "right/")):
        try:  # the usual case, a name as the zone list spells it: no need to read the list
            return ZoneInfo(key)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    # Imported here: reading the zone list costs ~20 ms, and today's date is read before the
    # first paint.
    from leadcartel_desktop.domain.errors import ValidationError
    from leadcartel_desktop.domain.send_windows import zone

    try:
        return zone(name)
    except ValidationError:
        return ZoneInfo("UTC")


# How the zone list spells a place's zone ("Europe/Berlin", "America/Argentina/Salta", "UTC");
# "Factory", "localtime" and "posixrules" are files beside the zones, not zones.
_LISTED_FORM = re.compile(r"(?!Factory$|posixrules$)[A-Z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*")
