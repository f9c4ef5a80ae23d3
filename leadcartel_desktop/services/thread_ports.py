"""Ports for conversations: the messages table and the providers' inbound message lists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.services.thread_views import ThreadMessage, ThreadSummary


@dataclass(frozen=True, slots=True)
class OutboundRow:
    """An outbound message written with the outbox row that carries it."""

    contact_id: int | None
    channel: Channel
    outbox_id: int
    body: str
    subject: str = ""
    campaign_id: int | None = None


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """A message a customer sent us, as a provider lists it.

    `address` is the sender's (E.164 phone without "whatsapp:", or email); `provider_id` is
    unique per channel at the provider.
    """

    channel: Channel
    provider_id: str
    address: str
    body: str
    at: datetime
    subject: str = ""


@dataclass(frozen=True, slots=True)
class InboundBatch:
    """A source's messages since the last mark, and the mark to keep for the next pull.

    Oldest first: messages with the same time (providers stamp whole seconds or
    milliseconds) keep this order, so "STOP" then "START" ends opted in. `more` says the
    source stopped at its page limit with replies still to list: the mark then records where
    to go on, and fetching again from it brings the rest.
    """

    messages: Sequence[InboundMessage]
    mark: str
    more: bool = False


class InboundSource(Protocol):
    """One provider's list of messages customers sent (Twilio's list, the cloud's conversations)."""

    name: str  # the high-water mark's key: "twilio:sms", "cloud"

    def fetch(self, mark: str | None, now: datetime) -> InboundBatch:
        """Messages received since `mark` (None: the first pull); UserFacingError on failure.

        Overlap is harmless: a message already stored is stored once (by provider id).
        """
        ...


class MessageRepository(Protocol):
    def add_outbound(self, rows: Sequence[OutboundRow]) -> None:
        """Write outbound rows (executemany), each at its outbox row's time and recipient.

        An outbox row already recorded is kept once (a repeated queue returns the same row).
        """
        ...

    def for_outbox(self, outbox_id: int) -> int | None:
        """The message row that carries this outbox row, if any."""
        ...

    def add_inbound(self, message: InboundMessage, contact_id: int | None) -> int | None:
        """Store it unread; None when its provider id is already stored (pulled before)."""
        ...

    def thread(
        self, contact_id: int | None, address: str, limit: int | None, before: int | None
    ) -> list[ThreadMessage]:
        """A contact's (or, without one, an unmatched address's) messages, newest last."""
        ...

    def summaries(self, limit: int) -> list[ThreadSummary]:
        """Every contact (and unmatched sender) with messages, most recent first."""
        ...

    def mark_read(self, contact_id: int | None, address: str) -> int: ...

    def last_inbound_at(
        self, channel: Channel, *, contact_id: int | None = None, address: str = ""
    ) -> datetime | None: ...

    def contact_for(self, channel: Channel, address: str) -> int | None:
        """The contact whose phone (E.164) or email (any case) is `address`."""
        ...

    def adopt_unmatched(self) -> int:
        """Give unmatched inbound rows the contact that now has their address; how many."""
        ...

    def mark(self, source: str) -> str | None: ...

    def set_mark(self, source: str, mark: str, now: datetime) -> None: ...


class InboundSources(Protocol):
    def __call__(self) -> Sequence[InboundSource]:
        """The configured sources (none when no provider that receives is set up)."""
        ...
