"""Ports for campaigns: contact tags and reach, groups, campaigns and their recipients."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from leadcartel_desktop.domain.campaigns import Campaign, CampaignDraft, CampaignStatus
from leadcartel_desktop.domain.contact_groups import GroupDefinition
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.services.campaign_views import (
    CampaignProgress,
    ContactReach,
    Group,
    RecipientStatus,
    TagCount,
)


@dataclass(frozen=True, slots=True)
class AudienceRow:
    """A contact a campaign's audience holds, with what decides whether it can be sent to."""

    contact_id: int
    name: str
    first_name: str
    last_name: str
    company: str
    email: str
    phone: str
    time_zone: str  # '' = the business's
    do_not_contact: bool  # for the campaign's channel
    opted_out: bool  # the address is on the channel's opt-out register


@dataclass(frozen=True, slots=True)
class RecipientRow:
    """One campaign_recipients row as the build writes it ('' reason: it has an outbox row)."""

    contact_id: int
    position: int
    name: str
    address: str
    left_out_reason: str = ""


@dataclass(frozen=True, slots=True)
class ContactNow:
    """What a claimed campaign row reads of its contact as it goes (not as it was built)."""

    time_zone: str  # '' = the business's
    phone: str
    email: str


@dataclass(frozen=True, slots=True)
class PendingRow:
    """A campaign's outbox row still waiting, with the zone its window is judged in."""

    outbox_id: int
    time_zone: str


class ContactTagRepository(Protocol):
    def existing(self, contact_ids: Sequence[int]) -> set[int]: ...

    def tag(self, contact_ids: Sequence[int], tag: str) -> int:
        """Add `tag` to each contact that lacks it (any case); returns how many gained it."""
        ...

    def untag(self, contact_ids: Sequence[int], tag: str) -> int: ...

    def tags(self) -> list[TagCount]:
        """Every tag in use with its number of contacts, by name (case-blind)."""
        ...

    def reach(self, contact_id: int) -> ContactReach:
        """Raises NotFoundError."""
        ...

    def set_do_not_contact(self, contact_id: int, channel: Channel, on: bool) -> None: ...

    def set_time_zone(self, contact_id: int, time_zone: str) -> None: ...


class GroupRepository(Protocol):
    def add(self, name: str, definition: GroupDefinition, now: datetime) -> int: ...

    def update(self, group_id: int, name: str, definition: GroupDefinition) -> None:
        """Raises NotFoundError."""
        ...

    def delete(self, group_id: int) -> None: ...

    def get(self, group_id: int) -> Group:
        """Raises NotFoundError."""
        ...

    def find_by_name(self, name: str) -> Group | None: ...

    def all(self) -> list[Group]: ...

    def members(self, definition: GroupDefinition) -> list[int]:
        """Contact ids the definition holds, in id order (one query)."""
        ...

    def count(self, definition: GroupDefinition) -> int: ...


class CampaignRepository(Protocol):
    def add(self, draft: CampaignDraft, now: datetime) -> int: ...

    def update_draft(self, campaign_id: int, draft: CampaignDraft, now: datetime) -> None: ...

    def get(self, campaign_id: int) -> Campaign:
        """Raises NotFoundError."""
        ...

    def all(self) -> list[Campaign]:
        """Newest first."""
        ...

    def delete(self, campaign_id: int) -> None: ...

    def set_status(
        self,
        campaign_id: int,
        status: CampaignStatus,
        now: datetime,
        *,
        scheduled_for: datetime | None = None,
        launched: bool = False,
    ) -> None: ...

    def audience(
        self,
        channel: Channel,
        definitions: Sequence[GroupDefinition],
        tags: Sequence[str],
        contact_ids: Sequence[int],
    ) -> list[AudienceRow]:
        """Contacts in any of the groups, with any of the tags, or named; by id, once each."""
        ...

    def add_recipients(self, campaign_id: int, rows: Sequence[RecipientRow]) -> None:
        """Write the recipients (executemany) and link each included one to its outbox row."""
        ...

    def outbox_ids(self, campaign_id: int) -> dict[int, int]:
        """Each included contact's outbox row id (contact id -> outbox id)."""
        ...

    def pending(self, campaign_id: int) -> list[PendingRow]:
        """The campaign's outbox rows still pending, in recipient order."""
        ...

    def reschedule(
        self, due: Sequence[tuple[int, datetime]], now: datetime, hint: str = ""
    ) -> None:
        """Set pending outbox rows' next attempt (executemany of (outbox id, due)) and hint."""
        ...

    def hold_due(self, campaign_id: int, now: datetime, until: datetime, hint: str) -> int:
        """Move the campaign's pending rows due by `now` to `until` (a paused campaign's)."""
        ...

    def cancel_pending(self, campaign_id: int, now: datetime) -> int:
        """Cancel the campaign's pending outbox rows; returns how many."""
        ...

    def progress(self, campaign_ids: Sequence[int]) -> dict[int, CampaignProgress]: ...

    def open_rows(self, campaign_ids: Sequence[int]) -> dict[int, int]:
        """Outbox rows still pending, sending or unknown, per campaign."""
        ...

    def recipients(self, campaign_id: int, limit: int) -> list[RecipientStatus]: ...

    def gate(self, campaign_ids: Sequence[int]) -> dict[int, Campaign]:
        """The campaigns of claimed rows (status and window), in one query."""
        ...

    def do_not_contact(self, contact_ids: Sequence[int], channel: Channel) -> set[int]:
        """The contacts among `contact_ids` with do-not-contact set for `channel`."""
        ...

    def contacts_now(self, contact_ids: Sequence[int]) -> dict[int, ContactNow]:
        """Each existing contact's time zone, phone and email now (one query)."""
        ...

    def shares_address(self, campaign_id: int, outbox_id: int, recipient: str) -> bool:
        """Another row of the campaign on the row's channel, not cancelled or failed, to it."""
        ...

    def readdress(
        self, outbox_id: int, recipient: str, payload: dict[str, object], now: datetime
    ) -> None:
        """Point a claimed row at `recipient` (its recipient list and thread rows too)."""
        ...

    def waits_in_line(self, outbox_id: int) -> bool:
        """An earlier open message to the row's recipient goes first (per-recipient order)."""
        ...
