"""What the operator's outbox view lists: one line per message, filtered by state."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from leadcartel_desktop.domain.outbox import Channel, OutboxState

HELD = "Waits for an earlier message to this recipient, whose delivery is unknown"
HELD_HINT = "Settle that one first: It arrived — mark as sent, or Send again."
LIST_LIMIT = 1000  # newest first; older messages are in the log and the invoice's history


class OutboxFilter(StrEnum):
    ALL = "All"
    WAITING = "Waiting"
    FAILED = "Failed"
    UNKNOWN = "Unknown"
    SENT = "Sent"


FILTER_STATES: dict[OutboxFilter, tuple[OutboxState, ...]] = {
    OutboxFilter.ALL: tuple(OutboxState),
    OutboxFilter.WAITING: (OutboxState.PENDING, OutboxState.SENDING),
    OutboxFilter.FAILED: (OutboxState.FAILED,),
    OutboxFilter.UNKNOWN: (OutboxState.UNKNOWN,),
    OutboxFilter.SENT: (OutboxState.SENT, OutboxState.DELIVERED),
}


@dataclass(frozen=True, slots=True)
class OutboxListRow:
    """One message as the outbox view shows it (no payload: an email's PDF stays unread)."""

    id: int
    channel: Channel
    recipient: str
    state: OutboxState
    attempts: int
    next_attempt_at: datetime | None
    last_error_code: str
    last_error: str
    last_error_hint: str
    invoice_id: int | None
    invoice_number: str
    created_at: datetime | None
    behind: int | None = None  # the earlier unknown message it waits for (per-recipient order)
    contact_name: str = ""  # who it is for, when a contact is known (invoice, thread, campaign)
    campaign_name: str = ""


def held_behind(
    rows: Iterable[OutboxListRow], unknown: Iterable[OutboxListRow]
) -> list[OutboxListRow]:
    """`rows` with each waiting message that an earlier unknown one holds back marked."""
    first: dict[tuple[Channel, str], int] = {}
    for message in unknown:
        key = (message.channel, message.recipient)
        first[key] = min(message.id, first.get(key, message.id))
    marked = []
    for row in rows:
        earlier = first.get((row.channel, row.recipient))
        held = row.state is OutboxState.PENDING and earlier is not None and earlier < row.id
        marked.append(replace(row, behind=earlier) if held else row)
    return marked


@dataclass(frozen=True, slots=True)
class OutboxStatus:
    """What the status bar says: how many rows are in each state, and the paused channels."""

    counts: Mapping[OutboxState, int]
    paused: Mapping[Channel, str] = field(default_factory=dict)  # channel: the provider's words
    # No channel has a provider (a new book, the demo): what waits is not waiting on a network.
    no_provider: bool = False
