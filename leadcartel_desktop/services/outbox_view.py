"""What the operator's outbox view lists: one line per message, filtered by state."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.domain.send_windows import zone
from leadcartel_desktop.i18n.formatting import DEFAULT_LOCALE, format_date
from leadcartel_desktop.services.clock import shown_zone

HELD = "Waits for an earlier message to this recipient, whose delivery is unknown"
HELD_HINT = "Settle that one first: It arrived — mark as sent, or Send again."
LIST_LIMIT = 1000  # newest first; older messages are in the log and the invoice's history
CHANNEL_NAMES = {Channel.EMAIL: "Email", Channel.SMS: "SMS", Channel.WHATSAPP: "WhatsApp"}


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
    # Why its channel keeps it waiting, and what to do (see channel_holds); '' when it may go.
    channel_error: str = ""
    channel_hint: str = ""


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


def channel_holds(
    rows: Iterable[OutboxListRow],
    unavailable: Callable[[Channel], str | None],
    refused: Callable[[Channel], str | None],
) -> list[OutboxListRow]:
    """`rows` with each waiting message told why its channel keeps it, and what to do.

    A channel without a provider (or without its secret) leaves its messages waiting, never
    tried, so they have no error of their own; one paused because the provider refused the
    credentials leaves them waiting too. `unavailable` and `refused` are the outbox's (each
    channel is asked once): they read the provider setup and the keychain, so call this off
    the GUI thread.
    """
    reasons: dict[Channel, tuple[str, str]] = {}

    def held(channel: Channel) -> tuple[str, str]:
        if channel not in reasons:
            reasons[channel] = _held_by(channel, unavailable(channel), refused(channel))
        return reasons[channel]

    told = []
    for row in rows:
        error, hint = held(row.channel) if row.state is OutboxState.PENDING else ("", "")
        told.append(replace(row, channel_error=error, channel_hint=hint) if hint else row)
    return told


def _held_by(channel: Channel, unavailable: str | None, refused: str | None) -> tuple[str, str]:
    """(what the error column says, what to do) for a message `channel` keeps waiting."""
    if unavailable:  # 'No provider is set for SMS: choose one in Settings > Providers'
        return "", unavailable.rstrip(".")
    if refused:  # the row that was refused has the provider's words; the others wait behind it
        # Imported here: this module's row type loads before the first paint, the rules not.
        from leadcartel_desktop.services.outbox_outcomes import CREDENTIALS_HINT

        name = CHANNEL_NAMES.get(channel, "Lead Cartel cloud")
        return f"{name} paused: {refused.rstrip('.')}", CREDENTIALS_HINT
    return "", ""


@dataclass(frozen=True, slots=True)
class BusinessTime:
    """How campaigns and the outbox write an instant: in the business's zone and locale.

    One format everywhere ('5 Dec 2026 08:00' in en_GB); the zone is named where it is shown,
    in a column's header or after the time in a sentence.
    """

    time_zone: str = "UTC"
    locale: str = DEFAULT_LOCALE

    @classmethod
    def of(cls, business: BusinessSettings) -> BusinessTime:
        return cls(business.time_zone or "UTC", business.locale or DEFAULT_LOCALE)

    def text(self, at: datetime) -> str:
        """'5 Dec 2026 08:00' (en_GB), 'Dec 5, 2026 08:00' (en_US), without the zone."""
        shown = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(self.zone())
        return f"{_day(shown.date(), self.locale)} {shown:%H:%M}"

    def named(self, at: datetime) -> str:
        """'5 Dec 2026 08:00 (Europe/Paris)': in a sentence; '(UTC)' when shown in UTC instead."""
        name = self.time_zone if _readable(self.time_zone) else "UTC"
        return f"{self.text(at)} ({name})"

    def zone(self) -> ZoneInfo:
        """The business's zone as times are shown in it (shown_zone)."""
        return shown_zone(self.time_zone)


@lru_cache(maxsize=64)
def _readable(name: str) -> bool:
    """`name` is a zone shown_zone reads (not one it replaces with UTC)."""
    try:
        zone(name)
    except ValidationError:
        return False
    return True


@lru_cache(maxsize=4096)
def _day(value: date, locale: str) -> str:
    """Thousands of rows span few days: each day is formatted once per locale."""
    return format_date(value, locale)
