"""The last look at a claimed message: paused, cancelled, do-not-contact, out of hours, window.

Rows are paced and placed in their window when a campaign is built, but a row can become due
late (after a pause, a retry's backoff, a reconcile that found nothing, a schedule days ahead):
it is checked again when claimed, inside the claim's transaction, and put back to wait or
cancelled.

Two checks apply to every claimed row, not only a campaign's (issue 5: consent is checked
when each message is sent): WhatsApp free text is cancelled once the recipient's 24-hour
window has closed (judged by the address it goes to, as WhatsApp judges it), and a message
to a contact marked do-not-contact on its channel is cancelled. The contact is the one the
row names in `extra` (CONTACT_KEY: campaign and compose rows). Invoice sends and reminders
(rows with an invoice) are transactional and not held by the switch: it is the contact's
"no campaigns or conversations" choice, the Send dialog and the reminder run never refused
it when queueing, and reminders have their own per-customer stop ("Don't send payment
reminders"). The opt-out register (STOP, 21610, unsubscribe) still stops them, as it stops
every row.

Pausing is a campaign status this gate enforces: the rows keep their due times (a provider's
Retry-After, a retry's backoff, a paced slot), a row that falls due while paused is held here
(PAUSED_UNTIL), and resume paces the rows again from then but none sooner than it was due.

A campaign row follows its contact's corrected address first (campaign_follow).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from leadcartel_desktop.domain.campaigns import (
    CAMPAIGN_CHANNELS,
    Campaign,
    CampaignDraft,
    CampaignStatus,
)
from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.outbox import Channel, OutboxMessage, OutboxState
from leadcartel_desktop.domain.send_windows import next_allowed, pace
from leadcartel_desktop.domain.whatsapp import needs_template, template_of
from leadcartel_desktop.services import outbox_outcomes as outcomes
from leadcartel_desktop.services.campaign_build import ZONE_KEY
from leadcartel_desktop.services.campaign_follow import ClaimFacts, claim_facts, follow
from leadcartel_desktop.services.campaign_ports import PendingRow
from leadcartel_desktop.services.gate_recordings import cancelled, contact_id_of, waiting
from leadcartel_desktop.services.invoice_gate import invoice_holds
from leadcartel_desktop.services.outbox_outcomes import Recording
from leadcartel_desktop.services.outbox_recorder import register_address, write
from leadcartel_desktop.services.ports import UnitOfWork

log = logging.getLogger(__name__)
# A paused campaign's row claimed while paused waits "for ever"; resume gives it a time again.
PAUSED_UNTIL = datetime(9999, 1, 1, tzinfo=UTC)
PAUSED_HINT = "The campaign is paused; resume it to send this message."
WINDOW_HINT = "Waiting for the recipient's sending hours (quiet hours or the campaign's days)."
CANCELLED_ERROR = "The campaign was cancelled before this message was sent"
DO_NOT_CONTACT_ERROR = "The contact is marked do not contact on this channel"
DO_NOT_CONTACT_HINT = (
    "Not sent: the contact was marked do not contact on this channel after it was queued. "
    'Untick this channel under "Do not contact by" in the contact to write to them again.'
)
WHATSAPP_WINDOW_ERROR = (
    "More than 24 hours had passed since the contact's last WhatsApp message when this free "
    "text was due: WhatsApp allows only an approved template then"
)
WHATSAPP_WINDOW_HINT = (
    "Not sent: send it again as an approved WhatsApp template (its id and variables), or wait "
    "until the contact writes on WhatsApp again."
)
# The targets of a List-Unsubscribe header: '<mailto:...>, <https://...>' (RFC 2369).


def due_times(uow: UnitOfWork, campaign_id: int) -> dict[int, datetime]:
    """Each pending row's due time (outbox id -> due), read in the caller's transaction."""
    return {
        status.outbox_id: status.due_at
        for status in uow.campaigns.recipients(campaign_id, sys.maxsize)
        if status.state is OutboxState.PENDING
        and status.outbox_id is not None
        and status.due_at is not None
    }


def resumed_dues(
    pending: Sequence[PendingRow],
    due_before: dict[int, datetime],
    start: datetime,
    business_zone: str,
    draft: CampaignDraft,
) -> list[tuple[int, datetime]]:
    """When a resumed campaign's pending rows go: paced from `start`, none sooner than before.

    A row due before `start` (or held at PAUSED_UNTIL) simply takes the next paced slot. A row
    due later (a provider's Retry-After, a retry's backoff, a slot not reached yet) keeps that
    time as its earliest: the rows are paced in the order they were due, each taking the later
    of its slot and its old time, moved into its window. Resumed at once, the schedule is the
    one before the pause; resumed late, the rows are paced again from `start`.
    """

    def earliest(row: PendingRow) -> datetime:
        before = due_before.get(row.outbox_id)
        if before is None or before == PAUSED_UNTIL:
            return start
        return max(before, start)

    ordered = sorted(pending, key=earliest)  # stable: recipient order among equals
    zones = [row.time_zone or business_zone for row in ordered]
    slots = pace(start, zones, draft.per_minute, draft.window)
    dues: list[tuple[int, datetime]] = []
    for row, zone_name, slot in zip(ordered, zones, slots, strict=True):
        floor = earliest(row)
        due = slot if floor <= slot else next_allowed(floor, zone_name, draft.window)
        dues.append((row.outbox_id, due))
    return dues


def ready_to_send(
    uow: UnitOfWork, claimed: Sequence[OutboxMessage], now: datetime
) -> list[OutboxMessage]:
    """The claimed rows that may go now; the others are cancelled or wait again (written).

    Checked as each row goes, not only when queued: the opt-out register, do-not-contact
    and WhatsApp's window (every row), a paused or cancelled campaign or quiet hours
    reached late (campaign rows). A campaign row not yet attempted goes to its contact's
    address now, and the register is asked about that one (claim_gate).
    """
    rows, held = claim_gate(uow, claimed, now)
    ready: list[OutboxMessage] = []
    for message in rows:
        if uow.opt_outs.is_opted_out(message.channel, register_address(message.recipient)):
            write(uow, message, outcomes.opted_out(message), now)
        elif message.id in held:
            write(uow, message, held[message.id], now)
        else:
            ready.append(message)
    return ready


def claim_gate(
    uow: UnitOfWork, claimed: Sequence[OutboxMessage], now: datetime
) -> tuple[list[OutboxMessage], dict[int, Recording]]:
    """The claimed rows as they go now, and those among them that must not go now.

    First a campaign row never attempted takes its contact's address now (_follow): it is
    returned readdressed, so the opt-out register is asked about the address it goes to. A
    row that cannot follow (no address any more, another recipient's address) or that must
    wait behind an earlier message to its new address is written here and not returned.
    Then the holds (each with its new recording): campaign rows, the campaign's status,
    do-not-contact, the sending hours, WhatsApp's window; invoice rows, the invoice still open
    (invoice_gate); other rows, do-not-contact (a contact's compose row) and WhatsApp's window.
    """
    facts = claim_facts(uow, [row for row in claimed if row.campaign_id is not None])
    rows: list[OutboxMessage] = []
    for row in claimed:
        followed = follow(uow, row, facts, now) if row.campaign_id is not None else row
        if followed is not None:
            rows.append(followed)
    holds = _campaign_holds(uow, [row for row in rows if row.campaign_id is not None], facts, now)
    holds |= invoice_holds(uow, rows)
    others = [row for row in rows if row.campaign_id is None and row.id not in holds]
    blocked = _blocked(
        uow, [row for row in others if contact_id_of(row) and row.invoice_id is None]
    )
    for row in others:
        if row.invoice_id is None and (contact_id_of(row), row.channel) in blocked:
            holds[row.id] = _do_not_contact_cancel(row)
        elif _window_closed(uow, row, now):
            holds[row.id] = _window_cancel(row)
    return rows, holds


def _campaign_holds(
    uow: UnitOfWork, rows: Sequence[OutboxMessage], facts: ClaimFacts, now: datetime
) -> dict[int, Recording]:
    if not rows:
        return {}
    campaigns = facts.campaigns
    for campaign_id, campaign in campaigns.items():
        if campaign.status is CampaignStatus.PAUSED:
            # Every due row of a paused campaign is held at once: one by one, a claim would
            # take a slot's worth of them per round, all inside one write transaction.
            uow.campaigns.hold_due(campaign_id, now, PAUSED_UNTIL, PAUSED_HINT)
    blocked = _blocked(uow, rows)
    # The zone the contact has now (set or changed since the build), else the business's.
    zones = {contact_id: contact.time_zone for contact_id, contact in facts.contacts.items()}
    business_zone = uow.settings.business().time_zone if zones else ""
    holds: dict[int, Recording] = {}
    for row in rows:
        campaign = campaigns.get(row.campaign_id or 0)
        if campaign is None:
            continue
        dnc = (contact_id_of(row), row.channel) in blocked
        recording = _hold(row, campaign, dnc, now, _zone(row, zones, business_zone))
        if recording is None and _window_closed(uow, row, now):
            recording = _window_cancel(row)
        if recording is not None:
            holds[row.id] = recording
    return holds


def _blocked(uow: UnitOfWork, rows: Sequence[OutboxMessage]) -> set[tuple[int, Channel]]:
    """(contact id, channel) of the rows' contacts marked do-not-contact on that channel."""
    blocked: set[tuple[int, Channel]] = set()
    for channel in {row.channel for row in rows} & set(CAMPAIGN_CHANNELS):
        contact_ids = {contact_id_of(row) for row in rows if row.channel is channel} - {0}
        for contact_id in uow.campaigns.do_not_contact(sorted(contact_ids), channel):
            blocked.add((contact_id, channel))
    return blocked


def _zone(message: OutboxMessage, zones: dict[int, str], business_zone: str) -> str:
    """The contact's zone now, else the business's; the build's when the contact is gone."""
    built = message.extra.get(ZONE_KEY, "")
    contact_id = contact_id_of(message)
    if contact_id not in zones:
        return built
    return zones[contact_id] or business_zone or built


def _window_closed(uow: UnitOfWork, message: OutboxMessage, now: datetime) -> bool:
    """WhatsApp free text judged again when it goes (it was built, paced or scheduled earlier)."""
    if message.channel is not Channel.WHATSAPP or template_of(message.payload) is not None:
        return False
    address = register_address(message.recipient)
    return needs_template(uow.messages.last_inbound_at(Channel.WHATSAPP, address=address), now)


def _hold(
    message: OutboxMessage, campaign: Campaign, do_not_contact: bool, now: datetime, zone_name: str
) -> Recording | None:
    if campaign.status is CampaignStatus.CANCELLED:
        return cancelled(message, "campaign_cancelled", CANCELLED_ERROR)
    if do_not_contact:
        return _do_not_contact_cancel(message)
    if campaign.status is CampaignStatus.PAUSED:
        return waiting(message, PAUSED_UNTIL, PAUSED_HINT)
    if not zone_name:
        return None
    try:
        opens = next_allowed(now, zone_name, campaign.draft.window)
    except ValidationError:  # the zone was checked at launch: zone data missing since then
        log.warning("outbox %d: unknown time zone %r, judged in UTC", message.id, zone_name)
        opens = next_allowed(now, "UTC", campaign.draft.window)
    return waiting(message, opens, WINDOW_HINT) if opens > now else None


def _do_not_contact_cancel(message: OutboxMessage) -> Recording:
    return cancelled(message, "do_not_contact", DO_NOT_CONTACT_ERROR, DO_NOT_CONTACT_HINT)


def _window_cancel(message: OutboxMessage) -> Recording:
    return cancelled(message, "whatsapp_window", WHATSAPP_WINDOW_ERROR, WHATSAPP_WINDOW_HINT)
