"""When to try again: capped exponential backoff with jitter, honouring Retry-After."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

BASE_DELAY_SECONDS = 2
MAX_DELAY_SECONDS = 15 * 60
MAX_ATTEMPTS = 12
# A Retry-After beyond this is a provider's mistake (or years, which no date can hold): wait a
# day, then ask again.
MAX_RETRY_AFTER_SECONDS = 24 * 60 * 60


def parse_retry_after(value: str | None, now: datetime) -> int | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date, at most a day."""
    if value is None:
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():  # "²".isdigit() is true, and int() refuses it
        return min(int(text), MAX_RETRY_AFTER_SECONDS)
    # Imported here: email.utils costs ~6 ms, and the outbox's modules load before first paint.
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max(0, int((when - now).total_seconds() + 0.999)), MAX_RETRY_AFTER_SECONDS)


def backoff_seconds(attempt: int, rng: random.Random) -> float:
    """Full jitter over a doubling window: attempt 1 waits up to 2 s, capped at 15 min."""
    window = min(MAX_DELAY_SECONDS, BASE_DELAY_SECONDS * 2 ** max(0, attempt - 1))
    return rng.uniform(window / 2, window)


def next_attempt_at(
    now: datetime, attempt: int, retry_after_seconds: int | None, rng: random.Random
) -> datetime:
    """The earliest next try: never sooner than the provider's Retry-After."""
    delay = backoff_seconds(attempt, rng)
    if retry_after_seconds is not None:
        delay = max(delay, min(retry_after_seconds, MAX_RETRY_AFTER_SECONDS))
    return now + timedelta(seconds=delay)
