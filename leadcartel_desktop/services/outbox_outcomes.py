"""What an attempt's outcome does to its outbox row: the next state, when to try again, hints."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from leadcartel_desktop.domain.outbox import (
    OutboxMessage,
    OutboxState,
    OutcomeKind,
    SendOutcome,
)
from leadcartel_desktop.domain.retry import MAX_DELAY_SECONDS, next_attempt_at

WAITING_HINT = "It is sent again automatically; nothing to do."
GAVE_UP_HINT = (
    "The provider could not take it after several tries. Check the connection and the "
    "provider settings, then press Retry."
)
UNKNOWN_HINT = (
    "The provider may have received it. The app checks with the provider before sending "
    "it again, so it is never sent twice."
)
OPTED_OUT_HINT = (
    "The recipient asked for no more messages on this channel. Remove them from the opt-out "
    "register only if they ask to receive messages again."
)
NO_PROVIDER_HINT = "Choose a provider in Settings > Providers; it is sent once one is set up."
NO_PROVIDER_RECHECK = timedelta(minutes=1)
CREDENTIALS_HINT = (
    "The provider refused the credentials: fix them in Settings > Providers. Nothing was sent; "
    "the channel's messages wait, and go once new credentials are saved or Retry is pressed."
)
MIN_CHECK_SECONDS = 2


@dataclass(frozen=True, slots=True)
class Recording:
    """The row's new state and fields, as OutboxRepository.record takes them."""

    state: OutboxState
    attempts: int
    next_attempt_at: datetime | None = None
    provider_id: str = ""
    error_code: str = ""
    error: str = ""
    hint: str = ""
    opted_out: bool = False  # put the recipient on the opt-out register too


def after_send(
    message: OutboxMessage,
    outcome: SendOutcome,
    now: datetime,
    rng: random.Random,
    max_attempts: int,
) -> Recording:
    """The row after one send attempt (counted in `attempts`)."""
    attempts = message.attempts + 1
    if outcome.kind is OutcomeKind.ACCEPTED:
        return Recording(OutboxState.SENT, attempts, provider_id=outcome.provider_id)
    if outcome.kind is OutcomeKind.CREDENTIALS:
        return credentials_refused(message, outcome, now)
    if outcome.kind is OutcomeKind.PERMANENT:
        return Recording(
            OutboxState.FAILED,
            attempts,
            error_code=outcome.code,
            error=outcome.message,
            hint=outcome.hint,
            opted_out=outcome.opted_out,
        )
    if outcome.kind is OutcomeKind.AMBIGUOUS:
        return Recording(
            OutboxState.UNKNOWN,
            attempts,
            next_attempt_at=next_attempt_at(now, attempts, None, rng),
            error_code=outcome.code,
            error=outcome.message,
            hint=UNKNOWN_HINT,
        )
    if attempts >= max_attempts:
        return Recording(
            OutboxState.FAILED,
            attempts,
            error_code=outcome.code or "gave_up",
            error=f"Gave up after {attempts} attempts: {outcome.message}",
            hint=GAVE_UP_HINT,
        )
    return Recording(
        OutboxState.PENDING,
        attempts,
        next_attempt_at=next_attempt_at(now, attempts, outcome.retry_after_seconds, rng),
        error_code=outcome.code,
        error=outcome.message,
        hint=outcome.hint or WAITING_HINT,
    )


def after_check(
    message: OutboxMessage,
    answer: SendOutcome | None,
    now: datetime,
    rng: random.Random,
    max_attempts: int,
) -> Recording:
    """The unknown row after asking the provider whether it has the message."""
    if answer is None:
        if message.attempts >= max_attempts:
            return Recording(
                OutboxState.FAILED,
                message.attempts,
                error_code="gave_up",
                error=f"Not received by the provider after {message.attempts} attempts",
                hint=GAVE_UP_HINT,
            )
        # Certainly not there: sending it again is safe, and due at once.
        return Recording(
            OutboxState.PENDING,
            message.attempts,
            next_attempt_at=now,
            error_code=message.last_error_code,
            error=f"{message.last_error} (not received by the provider; sending again)",
            hint=WAITING_HINT,
        )
    if answer.kind is OutcomeKind.ACCEPTED:
        return Recording(OutboxState.SENT, message.attempts, provider_id=answer.provider_id)
    if answer.kind is OutcomeKind.PERMANENT:
        return Recording(
            OutboxState.FAILED,
            message.attempts,
            error_code=answer.code,
            error=answer.message,
            hint=answer.hint,
            opted_out=answer.opted_out,
        )
    # Ambiguous, or the credentials were refused (the check could not be made): ask later.
    return still_unknown(message, answer.message or message.last_error, now, rng)


def still_unknown(
    message: OutboxMessage, error: str, now: datetime, rng: random.Random
) -> Recording:
    """The provider cannot tell yet: ask again later, less often the longer it stays unknown."""
    return Recording(
        OutboxState.UNKNOWN,
        message.attempts,
        next_attempt_at=now + check_delay(message, now, rng),
        error_code=message.last_error_code,
        error=error,
        hint=UNKNOWN_HINT,
    )


def check_delay(message: OutboxMessage, now: datetime, rng: random.Random) -> timedelta:
    """Half the row's age, jittered, between 2 s and 15 min: checks thin out over time."""
    age = (now - message.created_at).total_seconds() if message.created_at else 0
    window = min(MAX_DELAY_SECONDS, max(MIN_CHECK_SECONDS, age / 2))
    return timedelta(seconds=rng.uniform(max(MIN_CHECK_SECONDS, window / 2), window))


def interrupted(message: OutboxMessage, now: datetime) -> Recording:
    """A row left sending (the app stopped mid-send): unknown, checked with the provider now."""
    return Recording(
        OutboxState.UNKNOWN,
        message.attempts,
        next_attempt_at=now,
        error_code="interrupted",
        error="The app stopped while this message was being sent",
        hint=UNKNOWN_HINT,
    )


def unrecorded(message: OutboxMessage, now: datetime) -> Recording:
    """A send whose outcome could not be written (the disk refused): unknown, checked now."""
    return Recording(
        OutboxState.UNKNOWN,
        message.attempts + 1,
        next_attempt_at=now,
        error_code="unrecorded",
        error="The outcome of this send could not be saved",
        hint=UNKNOWN_HINT,
    )


def opted_out(message: OutboxMessage) -> Recording:
    return Recording(
        OutboxState.CANCELLED,
        message.attempts,
        error_code="opted_out",
        error=f"{message.recipient} has opted out of {message.channel.value} messages",
        hint=OPTED_OUT_HINT,
    )


def no_provider(message: OutboxMessage, reason: str, now: datetime) -> Recording:
    """No provider is set up for the channel: wait (not an attempt) and look again soon."""
    return Recording(
        OutboxState.PENDING,
        message.attempts,
        next_attempt_at=now + NO_PROVIDER_RECHECK,
        error_code="no_provider",
        error=reason,
        hint=NO_PROVIDER_HINT,
    )


def credentials_refused(message: OutboxMessage, outcome: SendOutcome, now: datetime) -> Recording:
    """The provider refused the account's credentials (401/403), or they were refused earlier.

    A condition of the channel, not of the message: the provider processed nothing, so the row
    waits, due at once (not counted as an attempt against the recipient), and goes when the
    channel sends again (new credentials saved in Settings > Providers, Retry, a restart).
    """
    return Recording(
        OutboxState.PENDING,
        message.attempts,
        next_attempt_at=now,
        error_code=outcome.code or "credentials",
        error=outcome.message,
        hint=CREDENTIALS_HINT,
    )


def why_not(state: OutboxState) -> str:
    """Why a message in `state` cannot be cancelled or retried, for the operator."""
    return {
        OutboxState.SENDING: "it is being sent right now",
        OutboxState.SENT: "it was already sent",
        OutboxState.DELIVERED: "it was already delivered",
        OutboxState.UNKNOWN: "the provider may already have it (the app is checking)",
        OutboxState.FAILED: "it has already failed",
        OutboxState.CANCELLED: "it was already cancelled",
    }.get(state, state.value)
