"""The operator's decisions on one outbox row: cancel, retry now, settle an unknown outcome.

Each runs inside the caller's write transaction and re-reads the row there, so a decision
never lands on a row the worker changed meanwhile.
"""

from __future__ import annotations

from datetime import datetime

from leadcartel_desktop.domain.errors import ConflictError
from leadcartel_desktop.domain.outbox import OutboxMessage, OutboxState
from leadcartel_desktop.services import outbox_outcomes as outcomes
from leadcartel_desktop.services.outbox_view import LIST_LIMIT
from leadcartel_desktop.services.ports import UnitOfWork

ARRIVED = "Marked as sent by the operator (the provider could not confirm it)"
SENT_AGAIN = "Sent again at the operator's request (same message id, so a copy is recognisable)"


def require_unknown(message: OutboxMessage, action: str) -> None:
    """Refuse `action` (e.g. "marked as sent") unless the row's outcome is unknown."""
    if message.state is not OutboxState.UNKNOWN:
        why = _unknown_only(message.state)
        raise ConflictError(
            f"Only a message whose delivery is unknown can be {action}: this one {why}."
        )


def _unknown_only(state: OutboxState) -> str:
    return {
        OutboxState.PENDING: "is still waiting to be sent",
        OutboxState.SENDING: "is being sent right now",
        OutboxState.SENT: "was already sent",
        OutboxState.DELIVERED: "was already delivered",
        OutboxState.FAILED: "has failed (use Retry now)",
        OutboxState.CANCELLED: "was cancelled (use Retry now)",
    }.get(state, f"is {state.value}")


def cancel(uow: UnitOfWork, message_id: int, now: datetime) -> OutboxState:
    """Stop a message that is still waiting; one being sent or maybe sent cannot be."""
    if not cancel_waiting(uow, message_id, "Cancelled by the operator", now):
        why = outcomes.why_not(uow.outbox.get(message_id).state)
        raise ConflictError(f"This message cannot be cancelled: {why}")
    return OutboxState.CANCELLED


def cancel_waiting(uow: UnitOfWork, message_id: int, reason: str, now: datetime) -> bool:
    """Cancel the message with `reason` if it is still waiting; returns whether it was."""
    message = uow.outbox.get(message_id)
    if message.state is not OutboxState.PENDING:
        return False
    uow.outbox.record(
        message.id,
        OutboxState.CANCELLED,
        attempts=message.attempts,
        error_code="cancelled",
        error=reason,
        now=now,
    )
    return True


def retry_now(uow: UnitOfWork, message_id: int, now: datetime) -> OutboxState:
    """Due at once: a failed or cancelled message is tried afresh, an unknown one checked."""
    message = uow.outbox.get(message_id)
    if message.state in {OutboxState.SENDING, OutboxState.SENT, OutboxState.DELIVERED}:
        why = outcomes.why_not(message.state)
        raise ConflictError(f"This message cannot be retried: {why}")
    if message.state is OutboxState.PENDING and _held_behind(uow, message):
        raise ConflictError(
            "This message cannot be tried now: it waits for an earlier message to the same "
            "recipient whose delivery is unknown. Settle that one first."
        )
    fresh = message.state in {OutboxState.FAILED, OutboxState.CANCELLED}
    state = OutboxState.PENDING if fresh else message.state
    uow.outbox.record(
        message.id,
        state,
        attempts=0 if fresh else message.attempts,
        next_attempt_at=now,
        error_code=message.last_error_code,
        error=message.last_error,
        hint=message.last_error_hint,
        now=now,
    )
    return state


def _held_behind(uow: UnitOfWork, message: OutboxMessage) -> bool:
    """Whether an earlier message to its recipient, of unknown outcome, holds it back."""
    unknown = uow.outbox.listing((OutboxState.UNKNOWN,), LIST_LIMIT)
    return any(
        (row.channel, row.recipient) == (message.channel, message.recipient) and row.id < message.id
        for row in unknown
    )


def mark_arrived(uow: UnitOfWork, message_id: int, now: datetime) -> OutboxState:
    """The operator saw it arrive (a Sent folder, the customer): sent, never sent again."""
    message = uow.outbox.get(message_id)
    require_unknown(message, "marked as sent")
    uow.outbox.record(
        message.id,
        OutboxState.SENT,
        attempts=message.attempts,
        error_code="operator",
        error=ARRIVED,
        now=now,
    )
    return OutboxState.SENT


def send_again(uow: UnitOfWork, message_id: int, now: datetime) -> OutboxState:
    """It did not arrive: due at once, with the row's own idempotency key (and Message-ID)."""
    message = uow.outbox.get(message_id)
    require_unknown(message, "sent again")
    uow.outbox.record(
        message.id,
        OutboxState.PENDING,
        attempts=message.attempts,
        next_attempt_at=now,
        error_code=message.last_error_code,
        error=SENT_AGAIN,
        hint=outcomes.WAITING_HINT,
        now=now,
    )
    return OutboxState.PENDING
