"""The outbox: every message that leaves the app, its states and how a send attempt ended."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    WHATSAPP = "whatsapp"
    CLOUD = "cloud"  # a call to the Lead Cartel cloud API (invoice create, payment push, ...)


class OutboxState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    UNKNOWN = "unknown"  # the provider may have it: reconcile before any resend
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        return self in {
            OutboxState.SENT,
            OutboxState.DELIVERED,
            OutboxState.FAILED,
            OutboxState.CANCELLED,
        }


class OutcomeKind(StrEnum):
    ACCEPTED = "accepted"  # the provider took it: it has an id
    RETRY = "retry"  # certainly not processed (refused connection, 429, 502/503/504)
    PERMANENT = "permanent"  # refused for good (bad number, unsubscribed)
    AMBIGUOUS = "ambiguous"  # may or may not have been processed (read timeout, 5xx after send)
    # The provider refused the account's credentials (401/403): nothing was processed, and no
    # message on the channel can go until they are fixed. A condition of the channel, not of
    # the message: the row waits, and the channel is paused.
    CREDENTIALS = "credentials"


@dataclass(frozen=True, slots=True)
class SendOutcome:
    """How one attempt ended, as a provider adapter classifies it."""

    kind: OutcomeKind
    provider_id: str = ""
    provider_status: str = ""
    code: str = ""
    message: str = ""
    hint: str = ""
    retry_after_seconds: int | None = None
    opted_out: bool = False  # the provider says the recipient unsubscribed (Twilio 21610)

    @classmethod
    def accepted(cls, provider_id: str, status: str = "") -> SendOutcome:
        return cls(OutcomeKind.ACCEPTED, provider_id=provider_id, provider_status=status)

    @classmethod
    def retry(cls, message: str, retry_after_seconds: int | None = None) -> SendOutcome:
        return cls(OutcomeKind.RETRY, message=message, retry_after_seconds=retry_after_seconds)

    @classmethod
    def permanent(
        cls, code: str, message: str, hint: str = "", *, opted_out: bool = False
    ) -> SendOutcome:
        return cls(
            OutcomeKind.PERMANENT, code=code, message=message, hint=hint, opted_out=opted_out
        )

    @classmethod
    def refused_credentials(cls, code: str, message: str, hint: str = "") -> SendOutcome:
        return cls(OutcomeKind.CREDENTIALS, code=code, message=message, hint=hint)

    @classmethod
    def ambiguous(cls, message: str) -> SendOutcome:
        return cls(OutcomeKind.AMBIGUOUS, message=message)


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """One row of the outbox; `idempotency_key` is fixed when the row is created."""

    id: int
    channel: Channel
    recipient: str
    payload: dict[str, object]
    idempotency_key: str
    state: OutboxState
    attempts: int = 0
    next_attempt_at: datetime | None = None
    provider_id: str = ""
    last_error_code: str = ""
    last_error: str = ""
    last_error_hint: str = ""
    invoice_id: int | None = None
    campaign_id: int | None = None
    created_at: datetime | None = None
    extra: dict[str, str] = field(default_factory=dict)
    attempt_started_at: datetime | None = None  # when the latest attempt was claimed
    claimed_by: str | None = None  # the worker that claimed it (its lease), when sending


# When matching a provider's record to an unknown row: its clock against ours, and whole
# seconds in its dates (a message created in the second the attempt started shows earlier).
ATTEMPT_SKEW = timedelta(minutes=1)
CREATED_SKEW = timedelta(minutes=10)  # rows tried before the attempt start was stored


def match_since(message: OutboxMessage) -> datetime | None:
    """The provider's messages created before this instant cannot be this row's attempt."""
    if message.attempt_started_at is not None:
        return message.attempt_started_at - ATTEMPT_SKEW
    return message.created_at - CREATED_SKEW if message.created_at is not None else None
