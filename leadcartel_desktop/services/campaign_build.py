"""Building a campaign: who is left out and why, each recipient's message and outbox row."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.campaign_email import Sender, campaign_email
from leadcartel_desktop.domain.campaigns import (
    CampaignDraft,
    LeftOutReason,
    left_out_reason,
    outbox_key,
    text_too_long,
)
from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.merge_fields import render_template
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.sms import sms_length
from leadcartel_desktop.domain.whatsapp import TEMPLATE_ID_KEY, TEMPLATE_VARIABLES_KEY
from leadcartel_desktop.services.campaign_ports import AudienceRow, RecipientRow
from leadcartel_desktop.services.campaign_views import Audience, LeftOut, RenderedMessage
from leadcartel_desktop.services.messaging_ports import NewOutboxItem
from leadcartel_desktop.services.thread_ports import OutboundRow

# The outbox row's `extra`: which contact it is for and the zone its window is judged in.
CONTACT_KEY = "contact_id"
ZONE_KEY = "time_zone"


@dataclass(frozen=True, slots=True)
class Split:
    included: list[AudienceRow]
    left_out: list[tuple[AudienceRow, LeftOutReason]]
    # SMS and WhatsApp free text: each included contact's rendered text (outbox_items uses it).
    texts: dict[int, str] = field(default_factory=dict)

    def audience(self) -> Audience:
        return Audience(
            [row.contact_id for row in self.included],
            [LeftOut(row.contact_id, row.name, reason) for row, reason in self.left_out],
        )


def split(
    draft: CampaignDraft,
    rows: Sequence[AudienceRow],
    needs_template: Callable[[str], bool],
    business: BusinessSettings,
) -> Split:
    """Rows that can be sent the campaign, and the others with the reason.

    WhatsApp free text (no template chosen) reaches only contacts inside the 24-hour window;
    a template reaches only contacts for whom every variable has a value (WhatsApp refuses
    empty ones). SMS and WhatsApp free text is rendered for each contact: one whose text, merge
    fields filled, is over TEXT_LIMIT is left out (Twilio would refuse it, error 21617).
    """
    included: list[AudienceRow] = []
    left: list[tuple[AudienceRow, LeftOutReason]] = []
    texts: dict[int, str] = {}
    whatsapp = draft.channel is Channel.WHATSAPP
    template = whatsapp and bool(draft.whatsapp_template_id.strip())
    free_text = draft.channel is not Channel.EMAIL and not template
    text = ""
    # Two contacts sharing a number get one message, not two; one left out does not count.
    addresses: set[str] = set()
    for row in rows:
        reason = left_out_reason(
            draft.channel,
            row.phone,
            row.email,
            opted_out=row.opted_out,
            do_not_contact=row.do_not_contact,
        )
        if reason is None and whatsapp and not template and needs_template(row.phone):
            reason = LeftOutReason.NEEDS_TEMPLATE
        if reason is None and template and not _filled(draft, row, business):
            reason = LeftOutReason.EMPTY_VARIABLE
        if reason is None and free_text:
            # Before the shared-address check: a contact left out here leaves the number free.
            text = render_template(draft.body, merge_values(row, business))
            if text_too_long(draft.channel, text):
                reason = LeftOutReason.TOO_LONG
        address = address_of(draft.channel, row).casefold()
        if reason is None and address in addresses:
            reason = LeftOutReason.SAME_ADDRESS
        if reason is None:
            addresses.add(address)
            included.append(row)
            if free_text:
                texts[row.contact_id] = text
        else:
            left.append((row, reason))
    return Split(included, left, texts)


def _filled(draft: CampaignDraft, row: AudienceRow, business: BusinessSettings) -> bool:
    values = merge_values(row, business)
    return all(
        render_template(value, values).strip() for value in draft.whatsapp_variables.values()
    )


def merge_values(row: AudienceRow, business: BusinessSettings) -> dict[str, str]:
    return {
        "first_name": row.first_name,
        "last_name": row.last_name,
        "company": row.company,
        "email": row.email,
        "phone": row.phone,
        "business_name": business.company_name,
    }


def address_of(channel: Channel, row: AudienceRow) -> str:
    return row.email if channel is Channel.EMAIL else row.phone


def sender_of(business: BusinessSettings) -> Sender:
    """The footer's business: an email campaign needs its email (to unsubscribe) and address."""
    if not business.email:
        raise ValidationError(
            "Business email",
            "an email campaign needs it for the unsubscribe link (Settings > Business)",
        )
    if not business.address.lines():
        raise ValidationError(
            "Business address",
            "an email campaign's footer needs the postal address (Settings > Business)",
        )
    return Sender(business.company_name, business.address, business.email, business.unsubscribe_url)


def render(
    draft: CampaignDraft,
    row: AudienceRow,
    business: BusinessSettings,
    sender: Sender | None,
    *,
    measure: bool = True,
) -> RenderedMessage:
    """The message as `row` gets it; `measure` adds the SMS counter (the preview's)."""
    values = merge_values(row, business)
    recipient = address_of(draft.channel, row)
    if draft.channel is Channel.EMAIL:
        if sender is None:
            raise ValueError("an email needs its sender")
        email = campaign_email(draft.subject, draft.body, values, sender, recipient)
        return RenderedMessage(
            draft.channel, recipient, email.text, email.subject, email.html, email.headers
        )
    template_id = draft.whatsapp_template_id.strip()
    if draft.channel is Channel.WHATSAPP and template_id:
        variables = {
            name: render_template(value, values).strip()
            for name, value in draft.whatsapp_variables.items()
        }
        shown = "; ".join(f"{name}={value}" for name, value in variables.items())
        text = f"WhatsApp template {template_id}: {shown}"
        return RenderedMessage(
            draft.channel, recipient, text, template_id=template_id, template_variables=variables
        )
    text = render_template(draft.body, values)
    return RenderedMessage(
        draft.channel, recipient, text, sms=sms_length(text) if measure else None
    )


def payload_of(message: RenderedMessage, to_name: str) -> dict[str, object]:
    """The outbox payload the providers read (see providers/email_message.py for email)."""
    if message.channel is Channel.EMAIL:
        return {
            "subject": message.subject,
            "body": message.text,
            "html": message.html,
            "to_name": to_name,
            "headers": dict(message.headers),
        }
    if message.template_id:
        return {
            "body": message.text,
            TEMPLATE_ID_KEY: message.template_id,
            TEMPLATE_VARIABLES_KEY: dict(message.template_variables),
        }
    return {"body": message.text}


def outbox_items(
    campaign_id: int,
    draft: CampaignDraft,
    rows: Sequence[AudienceRow],
    *,
    dues: Sequence[datetime],
    zones: Sequence[str],
    business: BusinessSettings,
    sender: Sender | None,
    texts: Mapping[int, str] | None = None,
) -> list[NewOutboxItem]:
    """One row per recipient, keyed campaign:{id}:contact:{contact id} (at most once each).

    `texts` (Split.texts) holds the SMS or WhatsApp free text split() already rendered and
    measured; a contact without one is rendered here.
    """
    items = []
    rendered = texts or {}
    for row, due, zone_name in zip(rows, dues, zones, strict=True):
        text = rendered.get(row.contact_id)
        message = (
            render(draft, row, business, sender, measure=False)
            if text is None
            else RenderedMessage(draft.channel, address_of(draft.channel, row), text)
        )
        items.append(
            NewOutboxItem(
                channel=draft.channel,
                recipient=message.recipient,
                payload=payload_of(message, row.name),
                idempotency_key=outbox_key(campaign_id, row.contact_id),
                campaign_id=campaign_id,
                contact_id=row.contact_id,
                not_before=due,
                extra={CONTACT_KEY: str(row.contact_id), ZONE_KEY: zone_name},
            )
        )
    return items


def recipient_rows(channel: Channel, chosen: Split) -> list[RecipientRow]:
    """Every contact the build looked at, in id order: included first get their outbox row."""
    everyone = [(row, "") for row in chosen.included]
    everyone += [(row, reason.value) for row, reason in chosen.left_out]
    everyone.sort(key=lambda pair: pair[0].contact_id)
    return [
        RecipientRow(row.contact_id, position, row.name, address_of(channel, row), reason)
        for position, (row, reason) in enumerate(everyone)
    ]


def thread_rows(items: Sequence[NewOutboxItem], outbox_ids: dict[int, int]) -> list[OutboundRow]:
    """Each queued message as its contact's thread shows it."""
    return [
        OutboundRow(
            item.contact_id,
            item.channel,
            outbox_ids[item.contact_id],
            str(item.payload.get("body", "")),
            str(item.payload.get("subject", "")),
            item.campaign_id,
        )
        for item in items
        if item.contact_id is not None and item.contact_id in outbox_ids
    ]
