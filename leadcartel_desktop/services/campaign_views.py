"""Frozen rows the campaign, group and tag services hand to the UI."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from leadcartel_desktop.domain.campaigns import CampaignStatus, LeftOutReason
from leadcartel_desktop.domain.contact_groups import GroupDefinition
from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.domain.sms import SmsLength


@dataclass(frozen=True, slots=True)
class TagCount:
    tag: str
    contacts: int


@dataclass(frozen=True, slots=True)
class ContactReach:
    """A contact's campaign settings: their zone ('' = the business's) and do-not-contact."""

    contact_id: int
    time_zone: str = ""
    do_not_contact: frozenset[Channel] = frozenset()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Group:
    id: int
    name: str
    definition: GroupDefinition


@dataclass(frozen=True, slots=True)
class LeftOut:
    contact_id: int
    name: str
    reason: LeftOutReason


@dataclass(frozen=True, slots=True)
class Audience:
    """Who a campaign would reach now, and who it leaves out and why (contact ids in order)."""

    included: list[int] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)

    def reasons(self) -> dict[LeftOutReason, int]:
        counted: dict[LeftOutReason, int] = {}
        for row in self.left_out:
            counted[row.reason] = counted.get(row.reason, 0) + 1
        return counted


@dataclass(frozen=True, slots=True)
class RenderedMessage:
    """A campaign message as one recipient gets it (the preview)."""

    channel: Channel
    recipient: str
    text: str
    subject: str = ""
    html: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    sms: SmsLength | None = None  # SMS and WhatsApp free text: characters, encoding, parts
    template_id: str = ""  # WhatsApp template
    template_variables: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LaunchResult:
    campaign_id: int
    queued: int
    left_out: int
    first_due: datetime | None
    last_due: datetime | None


@dataclass(frozen=True, slots=True)
class CampaignProgress:
    """Counts from the campaign's outbox rows; `queued` is everything not yet ended."""

    queued: int = 0
    sent: int = 0
    delivered: int = 0
    failed: int = 0
    left_out: int = 0
    cancelled: int = 0
    unknown: int = 0  # the provider may have it: checked before any resend (also in queued)

    @property
    def total(self) -> int:
        return (
            self.queued + self.sent + self.delivered + self.failed + self.left_out + self.cancelled
        )


@dataclass(frozen=True, slots=True)
class RecipientStatus:
    contact_id: int
    name: str
    address: str
    state: OutboxState | None  # None: left out (see `left_out_reason`)
    left_out_reason: str = ""
    error_code: str = ""
    error: str = ""
    hint: str = ""
    due_at: datetime | None = None
    outbox_id: int | None = None


@dataclass(frozen=True, slots=True)
class CampaignSummary:
    id: int
    name: str
    channel: Channel
    status: CampaignStatus
    scheduled_for: datetime | None
    created_at: datetime | None
    progress: CampaignProgress
