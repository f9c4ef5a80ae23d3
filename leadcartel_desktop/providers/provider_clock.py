"""The provider's clock against ours, read from an answer's `Date` header.

Matching a provider's record to an unknown row compares the provider's creation time with the
moment our attempt started. A PC whose clock runs fast (no time sync) or whose time zone is set
wrong would put that moment after the provider's copy and miss it, and the message would go a
second time; moving the moment onto the provider's clock first keeps the match exact.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import requests


def offset_of(response: requests.Response, our_now: datetime) -> timedelta | None:
    """How far the provider's clock is ahead of ours (negative: behind); None without a date."""
    said = response.headers.get("Date")
    if not said:
        return None
    try:
        theirs = parsedate_to_datetime(said)
    except (TypeError, ValueError):
        return None
    if theirs.tzinfo is None:
        return None
    return theirs - our_now


def on_their_clock(instant: datetime | None, offset: timedelta | None) -> datetime | None:
    """`instant` of our clock as the provider's clock read it."""
    if instant is None or offset is None:
        return instant
    return instant + offset
