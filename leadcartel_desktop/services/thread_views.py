"""Conversations' rows for the UI: a thread's message, a conversations-list row, a pull's tally."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from leadcartel_desktop.domain.outbox import Channel, OutboxState


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


class MessageStatus(StrEnum):
    """An outbound message's outbox state in the operator's words; inbound ones are received."""

    RECEIVED = "received"
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    UNKNOWN = "unknown"  # the provider may have it; the app checks before any resend
    CANCELLED = "cancelled"

    @classmethod
    def of(cls, state: OutboxState | None) -> MessageStatus:
        if state is None:
            return cls.RECEIVED
        if state is OutboxState.PENDING:
            return cls.QUEUED
        return cls(state.value)


@dataclass(frozen=True, slots=True)
class ThreadMessage:
    """One message of a thread; `error_code`, `error` and `hint` are set for a failed one."""

    id: int
    channel: Channel
    direction: Direction
    body: str
    subject: str
    at: datetime
    status: MessageStatus
    error_code: str = ""
    hint: str = ""
    error: str = ""
    outbox_id: int | None = None
    campaign_id: int | None = None


@dataclass(frozen=True, slots=True)
class ThreadSummary:
    """One row of the conversations list (most recent first).

    `contact_id` is None for a sender no contact matches yet; `address` is then theirs.
    """

    contact_id: int | None
    name: str
    address: str
    channel: Channel
    direction: Direction
    preview: str
    last_at: datetime
    unread: int


@dataclass(frozen=True, slots=True)
class WhatsAppTemplate:
    """An approved WhatsApp template (a Twilio Content SID HX..., or the cloud's id)."""

    template_id: str
    variables: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ComposeOption:
    """One channel in a contact's compose box.

    `refusal` is "" when compose would queue it, else a code (no_address, opted_out,
    do_not_contact) with `reason` in words; `provider_problem` is why nothing would leave yet
    (the message still waits in the outbox); `needs_template` is WhatsApp's 24-hour rule.
    """

    channel: Channel
    address: str
    refusal: str = ""
    reason: str = ""
    provider_problem: str = ""
    needs_template: bool = False

    @property
    def possible(self) -> bool:
        return not self.refusal


@dataclass(frozen=True, slots=True)
class PullResult:
    """What one inbound pull stored: new messages, opt-outs and opt-ins applied, problems."""

    new: int = 0
    opted_out: int = 0
    opted_in: int = 0
    problems: tuple[str, ...] = ()
