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

A campaign row follows its contact: claimed before any attempt (no provider has seen it), it
goes to the contact's phone or email as it is now, a number corrected after the launch
included, and the opt-out register is asked about that address. A row already attempted (a
retry, an unknown outcome being reconciled) keeps the address the provider may hold.
"""

from __future__ import annotations

import html
import logging
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from urllib.parse import quote

from leadcartel_desktop.domain.campaign_email import HEADERS_KEY, LIST_UNSUBSCRIBE
from leadcartel_desktop.domain.campaigns import (
    CAMPAIGN_CHANNELS,
    Campaign,
    CampaignDraft,
    CampaignStatus,
    LeftOutReason,
    left_out_reason,
)
from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.outbox import Channel, OutboxMessage, OutboxState
from leadcartel_desktop.domain.send_windows import next_allowed, pace
from leadcartel_desktop.domain.whatsapp import needs_template, template_of
from leadcartel_desktop.services.campaign_build import CONTACT_KEY, ZONE_KEY
from leadcartel_desktop.services.campaign_ports import ContactNow, PendingRow
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
ADDRESS_HINT = "Not sent: correct the contact's {}, then Retry this message to send it there."
IN_LINE_HINT = (
    "The contact's address changed after the campaign was launched: this message waits for an "
    "earlier one to the new address."
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
_TARGETS = re.compile(r"<([^<>]*)>")


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
    facts = _facts(uow, [row for row in claimed if row.campaign_id is not None])
    rows: list[OutboxMessage] = []
    for row in claimed:
        followed = _follow(uow, row, facts, now) if row.campaign_id is not None else row
        if followed is not None:
            rows.append(followed)
    holds = _campaign_holds(uow, [row for row in rows if row.campaign_id is not None], facts, now)
    holds |= invoice_holds(uow, rows)
    others = [row for row in rows if row.campaign_id is None and row.id not in holds]
    blocked = _blocked(uow, [row for row in others if _contact_id(row) and row.invoice_id is None])
    for row in others:
        if row.invoice_id is None and (_contact_id(row), row.channel) in blocked:
            holds[row.id] = _do_not_contact_cancel(row)
        elif _window_closed(uow, row, now):
            holds[row.id] = _window_cancel(row)
    return rows, holds


@dataclass(frozen=True, slots=True)
class _Facts:
    """What the claimed campaign rows are judged by, read once per claim."""

    campaigns: dict[int, Campaign]
    contacts: dict[int, ContactNow]  # the contacts that still exist


def _facts(uow: UnitOfWork, rows: Sequence[OutboxMessage]) -> _Facts:
    if not rows:
        return _Facts({}, {})
    campaigns = uow.campaigns.gate(sorted({row.campaign_id for row in rows if row.campaign_id}))
    contacts = uow.campaigns.contacts_now(sorted({_contact_id(row) for row in rows} - {0}))
    return _Facts(campaigns, contacts)


def _follow(
    uow: UnitOfWork, message: OutboxMessage, facts: _Facts, now: datetime
) -> OutboxMessage | None:
    """The campaign row sent to its contact's address now, or None when it was settled here.

    Only a row no provider has seen (never attempted) follows: a retried or unknown one keeps
    the address the provider may hold (reconcile asks about it). A row of a cancelled
    campaign, or whose contact is gone, keeps its address too. One whose contact has no
    usable address now is cancelled; one whose new address another recipient of the campaign
    already has is cancelled (each address gets the campaign once, as the build ensures). In
    a paused campaign neither is cancelled: the pause holds the row, and it is judged again
    when it is claimed after the resume (the contact may be corrected meanwhile).
    A readdressed row waits (not an attempt) while an earlier message to its new address is
    open, as the claim would have made it wait. The text is the one built: merge fields keep
    the values of then, but an email's unsubscribe link names the new address.
    """
    campaign = facts.campaigns.get(message.campaign_id or 0)
    contact = facts.contacts.get(_contact_id(message))
    if (
        message.attempts
        or message.provider_id
        or campaign is None
        or campaign.status is CampaignStatus.CANCELLED
        or contact is None
    ):
        return message
    email = message.channel is Channel.EMAIL
    address = (contact.email if email else contact.phone).strip()
    before = register_address(message.recipient)
    if address == before:
        return message
    recording: Recording | None = None
    problem = left_out_reason(
        message.channel, contact.phone, contact.email, opted_out=False, do_not_contact=False
    )
    prefix = "whatsapp:" if message.recipient.strip().startswith("whatsapp:") else ""
    recipient = prefix + address
    if problem is not None:
        recording = _address_cancel(message, problem, address)
    elif uow.campaigns.shares_address(campaign.id, message.id, recipient):
        recording = _cancel(
            message,
            "same_address",
            f"The contact's {_kind(message)} is now {address}, which another recipient of "
            "this campaign has: it gets the campaign once",
        )
    if recording is not None:
        if campaign.status is CampaignStatus.PAUSED:
            return message
        write(uow, message, recording, now)
        return None
    payload = _readdressed_payload(message, before, address) if email else message.payload
    uow.campaigns.readdress(message.id, recipient, payload, now)
    log.info("outbox %d: follows its contact's new %s", message.id, _kind(message))
    followed = replace(message, recipient=recipient, payload=payload)
    if uow.campaigns.waits_in_line(message.id):
        write(uow, followed, _wait(followed, message.next_attempt_at or now, IN_LINE_HINT), now)
        return None
    return followed


def _kind(message: OutboxMessage) -> str:
    return "email address" if message.channel is Channel.EMAIL else "phone number"


def _address_cancel(message: OutboxMessage, problem: LeftOutReason, address: str) -> Recording:
    if problem is LeftOutReason.INVALID_NUMBER:
        error = (
            f"The contact's phone number is now {address}, which is not a full international number"
        )
        return _cancel(message, "invalid_address", error, ADDRESS_HINT.format(_kind(message)))
    error = f"The contact has no {_kind(message)} any more"
    return _cancel(message, "no_address", error, ADDRESS_HINT.format(_kind(message)))


def _readdressed_payload(message: OutboxMessage, before: str, after: str) -> dict[str, object]:
    """An email's payload with the unsubscribe link (footer and headers) naming `after`.

    The link carries the address URL-quoted (campaign_email.unsubscribe_link); left as it was,
    the new reader would unsubscribe the old address. Only that link changes: it is the https
    target of the List-Unsubscribe header, found in the footer as it is (and HTML-escaped in
    the HTML). Other text naming the old address, quoted or not, is the message as built.
    Without an https link (mailto only) nothing names the recipient.
    """
    headers = message.payload.get(HEADERS_KEY)
    link = _unsubscribe_link(headers, quote(before, safe=""))
    if not link or not isinstance(headers, dict):
        return message.payload
    new_link = link.replace(quote(before, safe=""), quote(after, safe=""))
    payload = dict(message.payload)
    for key, old, new in (
        ("body", link, new_link),
        ("html", html.escape(link), html.escape(new_link)),
    ):
        value = payload.get(key)
        if isinstance(value, str):
            payload[key] = value.replace(old, new)
    payload[HEADERS_KEY] = {
        name: str(value).replace(f"<{link}>", f"<{new_link}>")
        if name.lower() == LIST_UNSUBSCRIBE.lower()
        else value
        for name, value in headers.items()
    }
    return payload


def _unsubscribe_link(headers: object, quoted: str) -> str:
    """The https target of List-Unsubscribe naming `quoted` (the old address), or ''."""
    if not isinstance(headers, dict):
        return ""
    for name, value in headers.items():
        if str(name).lower() != LIST_UNSUBSCRIBE.lower():
            continue
        for link in _TARGETS.findall(str(value)):  # '<mailto:...>, <https://...>'
            if not link.lower().startswith("mailto:") and quoted in link:
                return link
    return ""


def _campaign_holds(
    uow: UnitOfWork, rows: Sequence[OutboxMessage], facts: _Facts, now: datetime
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
        dnc = (_contact_id(row), row.channel) in blocked
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
        contact_ids = {_contact_id(row) for row in rows if row.channel is channel} - {0}
        for contact_id in uow.campaigns.do_not_contact(sorted(contact_ids), channel):
            blocked.add((contact_id, channel))
    return blocked


def _zone(message: OutboxMessage, zones: dict[int, str], business_zone: str) -> str:
    """The contact's zone now, else the business's; the build's when the contact is gone."""
    built = message.extra.get(ZONE_KEY, "")
    contact_id = _contact_id(message)
    if contact_id not in zones:
        return built
    return zones[contact_id] or business_zone or built


def _window_closed(uow: UnitOfWork, message: OutboxMessage, now: datetime) -> bool:
    """WhatsApp free text judged again when it goes (it was built, paced or scheduled earlier)."""
    if message.channel is not Channel.WHATSAPP or template_of(message.payload) is not None:
        return False
    address = register_address(message.recipient)
    return needs_template(uow.messages.last_inbound_at(Channel.WHATSAPP, address=address), now)


def _contact_id(message: OutboxMessage) -> int:
    try:
        return int(message.extra.get(CONTACT_KEY, "0"))
    except ValueError:
        return 0


def _hold(
    message: OutboxMessage, campaign: Campaign, do_not_contact: bool, now: datetime, zone_name: str
) -> Recording | None:
    if campaign.status is CampaignStatus.CANCELLED:
        return _cancel(message, "campaign_cancelled", CANCELLED_ERROR)
    if do_not_contact:
        return _do_not_contact_cancel(message)
    if campaign.status is CampaignStatus.PAUSED:
        return _wait(message, PAUSED_UNTIL, PAUSED_HINT)
    if not zone_name:
        return None
    try:
        opens = next_allowed(now, zone_name, campaign.draft.window)
    except ValidationError:  # the zone was checked at launch: zone data missing since then
        log.warning("outbox %d: unknown time zone %r, judged in UTC", message.id, zone_name)
        opens = next_allowed(now, "UTC", campaign.draft.window)
    return _wait(message, opens, WINDOW_HINT) if opens > now else None


def _cancel(message: OutboxMessage, code: str, error: str, hint: str = "") -> Recording:
    return Recording(
        OutboxState.CANCELLED, message.attempts, error_code=code, error=error, hint=hint
    )


def _do_not_contact_cancel(message: OutboxMessage) -> Recording:
    return _cancel(message, "do_not_contact", DO_NOT_CONTACT_ERROR, DO_NOT_CONTACT_HINT)


def _window_cancel(message: OutboxMessage) -> Recording:
    return _cancel(message, "whatsapp_window", WHATSAPP_WINDOW_ERROR, WHATSAPP_WINDOW_HINT)


def _wait(message: OutboxMessage, until: datetime, hint: str) -> Recording:
    """Back to pending (not an attempt), due at `until`; the last error is kept."""
    return Recording(
        OutboxState.PENDING,
        message.attempts,
        next_attempt_at=until,
        error_code=message.last_error_code,
        error=message.last_error,
        hint=hint,
    )
