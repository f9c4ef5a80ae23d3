"""Recordings a claim-time gate writes for a row it stops: cancelled, or back to waiting."""

from __future__ import annotations

from datetime import datetime

from leadcartel_desktop.domain.outbox import OutboxMessage, OutboxState
from leadcartel_desktop.services.campaign_build import CONTACT_KEY
from leadcartel_desktop.services.outbox_outcomes import Recording


def cancelled(message: OutboxMessage, code: str, error: str, hint: str = "") -> Recording:
    return Recording(
        OutboxState.CANCELLED, message.attempts, error_code=code, error=error, hint=hint
    )


def waiting(message: OutboxMessage, until: datetime, hint: str) -> Recording:
    """Back to pending (not an attempt), due at `until`; the last error is kept."""
    return Recording(
        OutboxState.PENDING,
        message.attempts,
        next_attempt_at=until,
        error_code=message.last_error_code,
        error=message.last_error,
        hint=hint,
    )


def contact_id_of(message: OutboxMessage) -> int:
    """The contact a campaign or compose row names (0: none)."""
    try:
        return int(message.extra.get(CONTACT_KEY, "0"))
    except ValueError:
        return 0
