"""Helpers for the campaign tests: contacts, a business with an email, and drafts."""

from __future__ import annotations

from dataclasses import replace
from datetime import time
from typing import Any

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.campaigns import AudienceSpec, CampaignDraft
from leadcartel_desktop.domain.contact import Address, Contact
from leadcartel_desktop.domain.outbox import Channel

MIDNIGHT = time(0, 0)


def add_contact(services: Any, first: str, phone: str = "", email: str = "", **fields: Any) -> int:
    city = fields.pop("city", "")
    contact = services.contacts.create(
        Contact(first_name=first, last_name=fields.pop("last", ""), phone=phone, email=email,
                address=Address(city=city), **fields)
    )  # fmt: skip
    return int(contact.id)


def add_raw_contact(context: Any, first: str, phone: str) -> int:
    """A contact stored as an import might have left it (the phone not normalised)."""
    with context.database.unit_of_work() as uow:
        contact_id = uow.contacts.add(Contact(first_name=first, phone=phone))
        uow.commit()
    return int(contact_id)


def save_business(services: Any, **fields: Any) -> BusinessSettings:
    settings = BusinessSettings(
        company_name=fields.pop("company_name", "Acme Shop"),
        address=Address("1 Main St", "Springfield", "", "12345", "US"),
        email=fields.pop("email", "hello@shop.example"),
        time_zone=fields.pop("time_zone", "UTC"),
        **fields,
    )
    saved: BusinessSettings = services.settings.save_business(settings)
    return saved


def text_draft(
    contact_ids: tuple[int, ...] = (),
    *,
    channel: Channel = Channel.SMS,
    body: str = "Hi {first_name}, spring sale at {business_name}!",
    per_minute: int = 6000,
    **fields: Any,
) -> CampaignDraft:
    return CampaignDraft(
        name=fields.pop("name", "Spring sale"),
        channel=channel,
        body=body,
        audience=fields.pop("audience", AudienceSpec(contact_ids=contact_ids)),
        per_minute=per_minute,
        **fields,
    )


def launch_at_one(services: Any, clock: Any, *contact_ids: int, **fields: Any) -> int:
    """A text campaign to the contacts, its first message due at 13:00 of the clock's day."""
    campaign_id = int(services.campaigns.save_draft(text_draft(contact_ids, **fields)))
    services.campaigns.launch(campaign_id, clock.now().replace(hour=13))
    return campaign_id


def change_contact(services: Any, contact_id: int, **fields: Any) -> None:
    """Save the contact with `fields` changed (a corrected phone or email, say)."""
    services.contacts.update(replace(services.contacts.get(contact_id), **fields))
