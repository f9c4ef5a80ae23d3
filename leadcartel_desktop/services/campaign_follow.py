"""A queued campaign message follows its contact's corrected phone or email when claimed.

Claimed before any attempt (no provider has seen it), a campaign row goes to the contact's
phone or email as it is now, a number corrected after the launch included, and the opt-out
register is asked about that address. A row already attempted (a retry, an unknown outcome
being reconciled) keeps the address the provider may hold.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import quote

from leadcartel_desktop.domain.campaign_email import HEADERS_KEY, LIST_UNSUBSCRIBE
from leadcartel_desktop.domain.campaigns import (
    Campaign,
    CampaignStatus,
    LeftOutReason,
    left_out_reason,
)
from leadcartel_desktop.domain.outbox import Channel, OutboxMessage
from leadcartel_desktop.services.campaign_ports import ContactNow
from leadcartel_desktop.services.gate_recordings import cancelled, contact_id_of, waiting
from leadcartel_desktop.services.outbox_outcomes import Recording
from leadcartel_desktop.services.outbox_recorder import register_address, write
from leadcartel_desktop.services.ports import UnitOfWork

log = logging.getLogger(__name__)

ADDRESS_HINT = "Not sent: correct the contact's {}, then Retry this message to send it there."
IN_LINE_HINT = (
    "The contact's address changed after the campaign was launched: this message waits for an "
    "earlier one to the new address."
)
_TARGETS = re.compile(r"<([^<>]*)>")


@dataclass(frozen=True, slots=True)
class ClaimFacts:
    """What the claimed campaign rows are judged by, read once per claim."""

    campaigns: dict[int, Campaign]
    contacts: dict[int, ContactNow]  # the contacts that still exist


def claim_facts(uow: UnitOfWork, rows: Sequence[OutboxMessage]) -> ClaimFacts:
    if not rows:
        return ClaimFacts({}, {})
    campaigns = uow.campaigns.gate(sorted({row.campaign_id for row in rows if row.campaign_id}))
    contacts = uow.campaigns.contacts_now(sorted({contact_id_of(row) for row in rows} - {0}))
    return ClaimFacts(campaigns, contacts)


def follow(
    uow: UnitOfWork, message: OutboxMessage, facts: ClaimFacts, now: datetime
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
    contact = facts.contacts.get(contact_id_of(message))
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
        recording = cancelled(
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
        write(uow, followed, waiting(followed, message.next_attempt_at or now, IN_LINE_HINT), now)
        return None
    return followed


def _kind(message: OutboxMessage) -> str:
    return "email address" if message.channel is Channel.EMAIL else "phone number"


def _address_cancel(message: OutboxMessage, problem: LeftOutReason, address: str) -> Recording:
    if problem is LeftOutReason.INVALID_NUMBER:
        error = (
            f"The contact's phone number is now {address}, which is not a full international number"
        )
        return cancelled(message, "invalid_address", error, ADDRESS_HINT.format(_kind(message)))
    error = f"The contact has no {_kind(message)} any more"
    return cancelled(message, "no_address", error, ADDRESS_HINT.format(_kind(message)))


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
